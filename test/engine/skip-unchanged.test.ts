/**
 * The online check and the recompute engine are skipped for an account whose
 * stores have not changed. These tests recompute every skipped case and
 * check that it would have changed nothing.
 */
import { describe, expect, it } from 'vitest';
import { computeDiff } from '../../policies/dunning/recompute.js';
import { isEmptyDiff } from '../../policies/dunning/diff.js';
import { targetPolicies } from '../../policies/sets.js';
import { brokenMask } from '../../sim/check/invariants.js';
import { Simulation } from '../../sim/engine/simulation.js';
import type { TargetPlatform } from '../../sim/engine/target-platform.js';
import type { AccountState } from '../../sim/world/state.js';
import { busyScenario } from './scale-fixture.js';

describe('skipping work for unchanged accounts', () => {
  for (const seed of [1, 2]) {
    it(`a skipped recompute would have found nothing to do (seed ${seed})`, () => {
      const policies = targetPolicies();
      const sim = new Simulation(busyScenario(), policies, seed);
      const config = { plans: sim.ctx.plans, retry: policies.retry, ladder: policies.ladder };
      const platform = sim.platform as TargetPlatform;
      const recompute = platform.recompute.bind(platform);
      let skipped = 0;
      platform.recompute = (a: AccountState): void => {
        if (a.sim.settledVersion === a.sim.version) {
          skipped++;
          const diff = computeDiff(a, sim.ctx.nowMs, config);
          expect(isEmptyDiff(diff)).toBe(true);
          expect(diff.wakeAtMs < 0 || diff.wakeAtMs >= sim.ctx.endMs).toBe(true);
        }
        recompute(a);
      };
      sim.run();
      expect(skipped).toBeGreaterThan(1000);
    });
  }

  it('a skipped check would have seen the same broken invariants', () => {
    const sim = new Simulation(busyScenario(), targetPolicies(), 3);
    const check = sim['check'].bind(sim);
    let skipped = 0;
    sim['check'] = (a: AccountState, from: string): void => {
      if (a.sim.checkedVersion === a.sim.version) {
        skipped++;
        expect(brokenMask(a)).toBe(a.sim.brokenMask);
      }
      check(a, from);
    };
    sim.run();
    expect(skipped).toBeGreaterThan(1000);
  });
});
