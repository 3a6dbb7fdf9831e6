import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { pickWeighted } from '../../../sim/world/model/weights.js';

/** The straightforward pick the cached tables must agree with. */
function pickNaive(weights: Record<string, number>, u: number): string {
  const entries = Object.entries(weights).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let acc = 0;
  for (const [key, w] of entries) {
    acc += w / total;
    if (u < acc) return key;
  }
  return entries[entries.length - 1]![0];
}

describe('pickWeighted', () => {
  test.prop([
    fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 100 }), { minKeys: 1 }),
    fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  ])('picks what the plain running sum picks', (weights, u) => {
    fc.pre(Object.values(weights).some((w) => w > 0));
    const table = { ...weights };
    expect(pickWeighted(table, u)).toBe(pickNaive(table, u));
    expect(pickWeighted(table, u)).toBe(pickNaive(table, u));
  });
});
