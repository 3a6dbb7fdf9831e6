/** A small copy of the baseline world for tests: few accounts, short horizon. */
import { parseScenarioText } from '../../sim/tools/scenario/load.js';
import type { Scenario } from '../../sim/world/scenario/schema.js';

export function smallBaseline(accounts = 400, days = 40, extra = ''): Scenario {
  return parseScenarioText(
    `name: small-baseline\naccounts: ${accounts}\ndays: ${days}\nsettleDays: 5\n${extra}`,
    '(small baseline)',
  );
}
