/**
 * The online check and the recompute engine are skipped for an account whose
 * stores have not changed. These tests recompute every skipped case and
 * check that it would have changed nothing.
 */
import { describe, expect, it } from 'vitest';
import { isEmptyDiff } from '../../../policies/dunning/diff.js';
import { recoveryStep } from '../../../policies/dunning/recovery.js';
import { targetPolicies } from '../../../policies/sets.js';
import { brokenMask } from '../../../sim/world/check/invariants.js';
import { settling } from '../../../sim/world/engine/context.js';
import { drawWeather } from '../../../sim/world/faults/weather.js';
import { streamsFor } from '../../../sim/world/kernel/rng.js';
import { Simulation } from '../../../sim/world/engine/simulation.js';
import type { TargetPlatform } from '../../../sim/world/engine/target-platform.js';
import type { AccountState } from '../../../sim/world/model/state.js';
import { busyScenario } from './scale-fixture.js';

describe('skipping work for unchanged accounts', () => {
  for (const seed of [1, 2]) {
    it(`a skipped recompute would have found nothing to do and set the same wake (seed ${seed})`, () => {
      const policies = targetPolicies();
      const sim = new Simulation(busyScenario(), policies, seed);
      const config = { plans: sim.ctx.plans, retry: policies.retry, ladder: policies.ladder };
      const platform = sim.platform as TargetPlatform;
      const recompute = platform.recompute.bind(platform);
      const { ctx } = sim;
      /** The time a wake at `atMs` is scheduled for now, or -1 for none (the engine's rule). */
      const wakeSetMs = (atMs: number): number => (atMs < 0 || atMs >= ctx.endMs ? -1 : Math.max(atMs, ctx.nowMs + 1));
      let skipped = 0,
        skippedWithWake = 0;
      platform.recompute = (a: AccountState): void => {
        if (a.sim.settledVersion === a.sim.version && ctx.nowMs < a.sim.settledUntilMs) {
          skipped++;
          const step = recoveryStep(a, ctx.nowMs, config, !settling(ctx));
          expect(isEmptyDiff(step.diff)).toBe(true);
          expect(wakeSetMs(a.sim.settledWakeAtMs)).toBe(wakeSetMs(step.wakeAtMs));
          if (wakeSetMs(step.wakeAtMs) >= 0) skippedWithWake++;
        }
        recompute(a);
      };
      sim.run();
      expect(skipped).toBeGreaterThan(1000);
      expect(skippedWithWake).toBeGreaterThan(100);
    });
  }

  it('under fault weather a recompute with a wake pending is never skipped (skipping would skip its fault draws)', () => {
    const sim = new Simulation(busyScenario(), targetPolicies(), 4, { weather: drawWeather(streamsFor(4).faults) });
    const platform = sim.platform as TargetPlatform;
    const recompute = platform.recompute.bind(platform);
    let withWake = 0;
    platform.recompute = (a: AccountState): void => {
      if (a.sim.settledVersion === a.sim.version && a.sim.settledWakeAtMs >= 0) withWake++;
      recompute(a);
    };
    sim.run();
    expect(withWake).toBe(0);
  });

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

describe('the recompute engine trusts only a schedule that says it ignores the time', () => {
  it('with a schedule that may read the time (no ignoresNow, as from a policy module) a recompute with a wake pending is never skipped', () => {
    const target = targetPolicies();
    const policies = { ...target, retry: { name: 'reads-the-time', params: {}, next: target.retry.next } };
    const sim = new Simulation(busyScenario(), policies, 2);
    const platform = sim.platform as TargetPlatform;
    const recompute = platform.recompute.bind(platform);
    let withWake = 0,
      settled = 0;
    platform.recompute = (a: AccountState): void => {
      if (a.sim.settledVersion === a.sim.version) settled++;
      if (a.sim.settledVersion === a.sim.version && a.sim.settledWakeAtMs >= 0) withWake++;
      recompute(a);
    };
    sim.run();
    expect(settled).toBeGreaterThan(100);
    expect(withWake).toBe(0);
  });
});
