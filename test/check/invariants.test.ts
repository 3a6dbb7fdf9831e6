import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { brokenMask, brokenNames, INVARIANTS } from '../../sim/check/invariants.js';
import { snapshotArb } from '../support/snapshots.js';

describe('brokenMask (one pass over the invoices)', () => {
  test.prop([snapshotArb], { numRuns: 1000 })('sets exactly the bits of the invariants whose predicate says broken', (snapshot) => {
    const want = INVARIANTS.reduce((mask, inv, k) => (inv.broken(snapshot) ? mask | (1 << k) : mask), 0);
    expect(brokenMask(snapshot)).toBe(want);
    expect(INVARIANTS.filter((_, k) => (brokenMask(snapshot) & (1 << k)) !== 0).map((i) => i.name)).toEqual(brokenNames(snapshot));
  });
});
