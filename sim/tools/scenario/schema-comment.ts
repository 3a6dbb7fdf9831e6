/**
 * The first line of a YAML file billsim writes (a calibrated scenario, an
 * imported policy file): the yaml-language-server comment pointing at the
 * file's JSON Schema relative to where it is written, so an editor
 * completes and checks it like the shipped ones.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** scenarios/schemas/, found from this module whether it runs from source or from dist/. */
function schemasDirectory(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++) {
    const candidate = join(dir, 'scenarios', 'schemas');
    if (existsSync(join(candidate, 'scenario.schema.json'))) return candidate;
    dir = dirname(dir);
  }
  return null;
}

/** `# yaml-language-server: $schema=…` for a file written at outputPath, or '' when the schemas are not installed. */
export function schemaComment(schemaFile: string, outputPath: string): string {
  const dir = schemasDirectory();
  if (dir === null) return '';
  const path = relative(dirname(resolve(outputPath)), join(dir, schemaFile))
    .split(sep)
    .join('/');
  return `# yaml-language-server: $schema=${path}\n`;
}
