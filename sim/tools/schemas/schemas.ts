/**
 * JSON Schemas for every file a user writes, generated from the zod schemas
 * that check them, so an editor's completion and billsim's checks agree.
 * Written to scenarios/schemas/ by `npm run schemas`; a test keeps the
 * committed files equal to what this returns.
 */
import { z, type ZodType } from 'zod';
import { policyDocumentSchema } from '../../../policies/document.js';
import { scenarioSchema } from '../../world/scenario/schema.js';
import { observedSchema } from '../calibrate/observed.js';
import { thresholdsFileSchema } from '../gate/thresholds.js';
import { lifecycleSpecSchema } from '../lifecycle/spec.js';

interface SchemaFile {
  /** File name under scenarios/schemas/. */
  readonly file: string;
  readonly title: string;
  readonly schema: ZodType;
}

export const SCHEMA_FILES: readonly SchemaFile[] = [
  { file: 'scenario.schema.json', title: 'billsim scenario', schema: scenarioSchema },
  { file: 'policy.schema.json', title: 'billsim policy file', schema: policyDocumentSchema },
  { file: 'thresholds.schema.json', title: 'billsim gate thresholds', schema: thresholdsFileSchema },
  { file: 'observed.schema.json', title: 'billsim calibrate observed figures', schema: observedSchema },
  { file: 'lifecycle.schema.json', title: 'billsim recovery lifecycle spec', schema: lifecycleSpecSchema },
];

/** One schema as the text written to its file: the input shape (defaults optional), two-space JSON. */
export function schemaText(entry: SchemaFile): string {
  // Refinements (cross-field rules such as settleDays > webhook delay) have no JSON Schema form;
  // billsim checks them when it loads the file and names the line.
  const body = z.toJSONSchema(entry.schema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...body, title: entry.title, $id: `https://billsim.dev/schemas/${entry.file}` }, null, 2)}\n`;
}
