/**
 * Loading a scenario file: YAML → zod. Any problem becomes one InputError
 * naming the file, the line where known, and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../../lib/errors.js';
import { parseYaml, zodInputError } from '../../lib/yaml.js';
import { BUILT_IN_SCENARIOS } from '../../world/scenario/builtin.js';
import { scenarioSchema, type Scenario } from '../../world/scenario/schema.js';

export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read the scenario file`);
  }
  return parseScenarioText(text, path);
}

export function parseScenarioText(text: string, path: string): Scenario {
  const { value, lineOf } = parseYaml(text, path, 'scenario');
  const result = scenarioSchema.safeParse(value);
  if (!result.success) throw zodInputError(result.error, path, lineOf);
  return result.data;
}

/** A scenario file's path, or the name of an embedded one. */
export function resolveScenario(spec: string): Scenario {
  if (existsSync(spec)) return loadScenarioFile(spec);
  const embedded = BUILT_IN_SCENARIOS[spec];
  if (embedded !== undefined) return parseScenarioText(embedded, `(built-in ${spec})`);
  throw new InputError(`${spec}: no such scenario file (built-in: ${Object.keys(BUILT_IN_SCENARIOS).join(', ')})`);
}
