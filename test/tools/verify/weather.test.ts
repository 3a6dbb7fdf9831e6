import { describe, expect, it } from 'vitest';
import { legacyPolicies, targetPolicies } from '../../../policies/sets.js';
import { finalStateHash } from '../../../sim/world/check/hashes.js';
import { Simulation } from '../../../sim/world/engine/simulation.js';
import { FAULT_SITES, drawWeather } from '../../../sim/world/faults/weather.js';
import { streamsFor } from '../../../sim/world/kernel/rng.js';
import { parseScenarioText } from '../../../sim/tools/scenario/load.js';
import { shrinkWeatherFailure, weatherRun } from '../../../sim/tools/verify/batch.js';
import { checkDeterminism } from '../../../sim/tools/verify/determinism.js';

const small = parseScenarioText('name: t\naccounts: 200\ndays: 40\nsettleDays: 5\n', 'test');

describe('fault weather', () => {
  it('is drawn per seed (swarm: every site is on in some seeds and off in others)', () => {
    const weathers = Array.from({ length: 24 }, (_, s) => drawWeather(streamsFor(s).faults));
    expect(drawWeather(streamsFor(5).faults)).toEqual(weathers[5]);
    for (const site of FAULT_SITES) {
      expect(weathers.some((w) => w.sites[site].on)).toBe(true);
      expect(weathers.some((w) => !w.sites[site].on)).toBe(true);
    }
  });

  it('target keeps every invariant under weather; a run is reproduced by its seed', () => {
    for (const seed of [1, 2, 3]) {
      const run = weatherRun(small, targetPolicies(), seed);
      expect(run.violations).toEqual([]);
    }
    const a = weatherRun(small, legacyPolicies(), 4),
      b = weatherRun(small, legacyPolicies(), 4);
    expect(a.violations).toEqual(b.violations);
    expect(a.faultsFired).toEqual(b.faultsFired);
  });

  it('legacy breaks safety; the failure narrows to one account, which fails the same way alone', () => {
    const run = weatherRun(small, legacyPolicies(), 1);
    const v = run.violations.find((x) => x.invariant === 'payBeforeCommit')!;
    expect(v).toBeDefined();
    const shrunk = shrinkWeatherFailure(small, legacyPolicies(), run, v);
    expect(shrunk.accountId).toBe(v.accountId);
    const alone = weatherRun(small, legacyPolicies(), 1, shrunk.weather, new Set([v.accountId]));
    expect(alone.violations.map((x) => x.invariant)).toContain('payBeforeCommit');
  });
});

describe('determinism', () => {
  it('two runs of one seed have the same event-log and final-state hashes; other seeds differ', () => {
    const hashes = [1, 2, 3].map((seed) => checkDeterminism(small, targetPolicies(), seed));
    for (const h of hashes) expect(h.same).toBe(true);
    expect(new Set(hashes.map((h) => h.first.eventLogHash)).size).toBe(3);
    const legacy = checkDeterminism(small, legacyPolicies(), 2);
    expect(legacy.same).toBe(true);
  });

  it('the final-state hash sees a one-field change', () => {
    const sim = new Simulation(small, targetPolicies(), 1);
    sim.run();
    const before = finalStateHash(sim.ctx.accounts);
    sim.ctx.accounts[7]!.cfProd.restriction = 'suspend';
    expect(finalStateHash(sim.ctx.accounts)).not.toBe(before);
  });
});
