import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SCHEMA_FILES, schemaText } from '../../../sim/tools/schemas/schemas.js';

const SCHEMAS = 'scenarios/schemas';
const SHIPPED: Record<string, string> = {
  'scenarios/baseline.yaml': 'scenario.schema.json',
  'scenarios/large.yaml': 'scenario.schema.json',
  'scenarios/case-study-base.yaml': 'scenario.schema.json',
  'scenarios/case-study.yaml': 'scenario.schema.json',
  'test/fixtures/small-world.yaml': 'scenario.schema.json',
  'scenarios/case-study-observed.yaml': 'observed.schema.json',
  'scenarios/gate-thresholds.yaml': 'thresholds.schema.json',
  'examples/policies/smart-retries.yaml': 'policy.schema.json',
  'examples/policies/payday-plus.yaml': 'policy.schema.json',
  'policies/lifecycle.yaml': 'lifecycle.schema.json',
};

function validator(schemaFile: string): (data: unknown) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, schemaFile), 'utf8')) as object);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
}

/** The schema a YAML file's first line points at, resolved from the file's folder. */
function schemaOf(path: string): string | null {
  const match = /^# yaml-language-server: \$schema=(\S+)\n/.exec(readFileSync(path, 'utf8'));
  return match === null ? null : resolve(dirname(path), match[1]!);
}

describe('JSON Schemas for the files users write', () => {
  it('the committed schemas are what the zod schemas generate (npm run schemas rewrites them)', () => {
    for (const entry of SCHEMA_FILES) expect(readFileSync(join(SCHEMAS, entry.file), 'utf8')).toBe(schemaText(entry));
  });

  it.each(Object.entries(SHIPPED))('%s names its schema on its first line and validates against it', (path, file) => {
    expect(schemaOf(path)).toBe(resolve(SCHEMAS, file));
    expect(validator(file)(parse(readFileSync(path, 'utf8')))).toEqual([]);
  });

  it('the schemas reject what billsim rejects: an unknown field, a wrong type, a bad condition', () => {
    expect(validator('scenario.schema.json')({ accounts: 10, days: 5, acounts: 3 })).not.toEqual([]);
    expect(validator('scenario.schema.json')({ accounts: 'ten', days: 5 })).not.toEqual([]);
    expect(validator('scenario.schema.json')({ days: 5 })).not.toEqual([]);
    expect(validator('policy.schema.json')({ name: 'x', ordering: 'pay-later' })).not.toEqual([]);
    expect(validator('thresholds.schema.json')({ thresholds: { recoveryRate: ['=> 1'] } })).not.toEqual([]);
    expect(validator('thresholds.schema.json')({ thresholds: { recoveryRatio: ['>= 1'] } })).not.toEqual([]);
  });

  it('a policy file billsim writes (import-killbill -o) points at the schema and validates', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'billsim-schema-')), 'overdue.yaml');
    await promisify(execFile)('node', [
      'bin/billsim.js',
      'policies',
      'import-killbill',
      'scenarios/killbill-overdue.xml',
      '-o',
      out,
    ]);
    expect(schemaOf(out)).toBe(resolve(SCHEMAS, 'policy.schema.json'));
    expect(validator('policy.schema.json')(parse(readFileSync(out, 'utf8')))).toEqual([]);
  });
});
