import { readFileSync } from 'node:fs';
import { parseScenarioText } from '../../sim/tools/scenario/load.js';
import { scenarioSchema, type Scenario } from '../../sim/world/scenario/schema.js';

export function baseline(): Scenario {
  return parseScenarioText(readFileSync('scenarios/baseline.yaml', 'utf8'), 'scenarios/baseline.yaml');
}

/** A scenario from fields, with every default filled in (as a file would be). */
export function scenarioOf(fields: Record<string, unknown>): Scenario {
  return scenarioSchema.parse(fields);
}
