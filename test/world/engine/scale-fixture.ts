/** A small, busy scenario for the sharding and skip tests: many failures, retries, upgrades and bad webhook weather. */
import { parseScenarioText } from '../../../sim/tools/scenario/load.js';
import type { Scenario } from '../../../sim/world/scenario/schema.js';

export const BUSY_YAML = `
name: busy
accounts: 600
days: 45
settleDays: 4
customers:
  upgradesPerAccountMonth: 1.5
  paymentMethodUpdatesPerAccountMonth: 0.3
  cardExpiryShare: 0.2
  updateAfterFailureShare: 0.3
declines:
  renewalFailureRate: 0.5
  onSessionFailureRate: 0.3
  requiresActionRate: 0.2
webhooks:
  tailShare: 0.2
  duplicateRate: 0.2
  dropRate: 0.1
  doubleEventRate: 0.1
faults:
  providerTimeoutRate: 0.1
  cfProdCallFailureRate: 0.2
`;

export function busyScenario(): Scenario {
  return parseScenarioText(BUSY_YAML, 'busy.yaml');
}
