import { describe, expect, it } from 'vitest';
import { legacyPolicies, targetPolicies } from '../../../policies/sets.js';
import { jsonOf } from '../../../reports/text.js';
import { runSimulation } from '../../../sim/world/engine/run.js';
import { scenarioOf } from '../../support/scenarios.js';

const small = scenarioOf({ accounts: 1500, days: 45 });

describe('determinism', () => {
  it.each([
    ['legacy', legacyPolicies],
    ['target', targetPolicies],
  ])('%s: the same seed gives byte-identical output', (_name, set) => {
    expect(jsonOf(runSimulation(small, set(), 11))).toBe(jsonOf(runSimulation(small, set(), 11)));
  });

  it('another seed gives different output', () => {
    expect(jsonOf(runSimulation(small, targetPolicies(), 11))).not.toBe(
      jsonOf(runSimulation(small, targetPolicies(), 12)),
    );
  });

  it('account k is the same customer whatever the population size', () => {
    const a = runSimulation(scenarioOf({ accounts: 200, days: 40 }), targetPolicies(), 5);
    const b = runSimulation(scenarioOf({ accounts: 400, days: 40 }), targetPolicies(), 5);
    const mine = (r: typeof a) => r.invoices.filter((i) => i.accountId < 200);
    expect(mine(b)).toEqual(mine(a));
  });
});
