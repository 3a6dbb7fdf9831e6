import { describe, expect, it } from 'vitest';
import { legacyPolicies, targetPolicies } from '../../../policies/sets.js';
import { parsePerturb } from '../../../sim/tools/replay/perturb.js';
import { exportedRun, replay, states } from './support.js';

const run = exportedRun('roundtrip');

describe('replay of an exported run', () => {
  it("run → export → replay reproduces every account's final state under target", async () => {
    const replayed = await replay(run.path, targetPolicies());
    expect(states(run.final).length).toBe(400);
    expect(run.final.some((a) => a.inDunning) && run.final.some((a) => a.restricted)).toBe(true);
    expect(states(replayed)).toEqual(states(run.final));
  });

  const perturbations = [
    'late=0.3:2d',
    'dup=0.5',
    'reorder=0.5',
    'drop=0.2',
    'late=0.2:6h,dup=0.2,reorder=0.3,drop=0.1',
  ];

  it('five bad re-deliveries (late, duplicated, shuffled, dropped) end in identical final states under target', async () => {
    const recorded = states(await replay(run.path, targetPolicies()));
    for (const spec of perturbations)
      expect(states(await replay(run.path, targetPolicies(), parsePerturb(spec), 3)), spec).toEqual(recorded);
  });

  it('under legacy the same re-deliveries do not all end where the recorded delivery ends', async () => {
    const recorded = JSON.stringify(states(await replay(run.path, legacyPolicies())));
    let differing = 0;
    for (const spec of perturbations)
      if (JSON.stringify(states(await replay(run.path, legacyPolicies(), parsePerturb(spec), 3))) !== recorded)
        differing++;
    expect(differing).toBeGreaterThan(0);
  });
});
