// Writes scenarios/schemas/*.schema.json from the zod schemas (npm run schemas).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_FILES, schemaText } from '../sim/tools/schemas/schemas.js';

const dir = join(import.meta.dirname, '..', 'scenarios', 'schemas');
mkdirSync(dir, { recursive: true });
for (const entry of SCHEMA_FILES) writeFileSync(join(dir, entry.file), schemaText(entry));
console.log(`wrote ${SCHEMA_FILES.length} schemas to scenarios/schemas/`);
