import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { applyDiff } from '../../policies/dunning/apply.js';
import { isEmptyDiff } from '../../policies/dunning/diff.js';
import { computeDiff, type RecomputeConfig } from '../../policies/dunning/recompute.js';
import { targetPolicies } from '../../policies/sets.js';
import { brokenNames } from '../../sim/world/check/invariants.js';
import { plansOf } from '../../sim/world/model/population.js';
import { scenarioSchema } from '../../sim/world/scenario/schema.js';
import { nowArb, snapshotArb } from '../support/snapshots.js';

const target = targetPolicies();
const config: RecomputeConfig = {
  plans: plansOf(scenarioSchema.parse({ accounts: 1, days: 1 })),
  retry: target.retry,
  ladder: target.ladder,
};

describe('the recompute engine', () => {
  test.prop([snapshotArb, nowArb], { numRuns: 400 })(
    'after any apply, computing again gives the empty diff',
    (snapshot, nowMs) => {
      const once = applyDiff(snapshot, computeDiff(snapshot, nowMs, config));
      const again = computeDiff(once, nowMs, config);
      expect(isEmptyDiff(again), JSON.stringify(again)).toBe(true);
    },
  );

  test.prop([snapshotArb, nowArb], { numRuns: 400 })(
    'its result breaks no cross-store invariant, whatever the drift it started from',
    (snapshot, nowMs) => {
      const fixed = applyDiff(snapshot, computeDiff(snapshot, nowMs, config));
      expect(brokenNames(fixed)).toEqual([]);
    },
  );

  test.prop([snapshotArb, nowArb, fc.context()], { numRuns: 200 })(
    'reads only the stores: the same stores give the same diff (no hidden state)',
    (snapshot, nowMs) => {
      expect(computeDiff(snapshot, nowMs, config)).toEqual(computeDiff(structuredClone(snapshot), nowMs, config));
    },
  );
});
