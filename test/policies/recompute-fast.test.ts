import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { applyDiff } from '../../policies/dunning/apply.js';
import { computeDiff, type RecomputeConfig } from '../../policies/dunning/recompute.js';
import { legacyPolicies, targetPolicies } from '../../policies/sets.js';
import { plansOf } from '../../sim/world/model/population.js';
import { scenarioSchema } from '../../sim/world/scenario/schema.js';
import { computeDiffStraightforward } from '../support/recompute-straightforward.js';
import { nowArb, snapshotArb } from '../support/snapshots.js';

const plans = plansOf(scenarioSchema.parse({ accounts: 1, days: 1 }));
const configs: readonly [string, RecomputeConfig][] = [targetPolicies(), legacyPolicies()].map((set) => [
  set.name,
  { plans, retry: set.retry, ladder: set.ladder },
]);

describe('the allocation-light computeDiff', () => {
  for (const [name, config] of configs) {
    test.prop([snapshotArb, nowArb], { numRuns: 500 })(
      `returns exactly the straightforward diff (${name} schedule and ladder)`,
      (snapshot, nowMs) => {
        const want = computeDiffStraightforward(snapshot, nowMs, config);
        const got = computeDiff(snapshot, nowMs, config);
        expect(got).toStrictEqual(want);
        expect(JSON.stringify(got)).toBe(JSON.stringify(want));
      },
    );

    test.prop([snapshotArb, nowArb], { numRuns: 200 })(
      `and after applying it, the same again (${name})`,
      (snapshot, nowMs) => {
        const once = applyDiff(snapshot, computeDiff(snapshot, nowMs, config));
        expect(computeDiff(once, nowMs, config)).toStrictEqual(computeDiffStraightforward(once, nowMs, config));
      },
    );
  }
});
