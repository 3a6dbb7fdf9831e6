import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { meanInterval, pairedInterval } from '../../../sim/lib/stats/interval.js';
import {
  logGamma,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
} from '../../../sim/lib/stats/student-t.js';

/** Two-sided critical values t(0.975, df) and one-sided t(0.95, df), from the standard t table. */
const TABLE_975: readonly [number, number][] = [
  [1, 12.706],
  [2, 4.303],
  [3, 3.182],
  [4, 2.776],
  [5, 2.571],
  [6, 2.447],
  [9, 2.262],
  [10, 2.228],
  [19, 2.093],
  [29, 2.045],
  [30, 2.042],
  [60, 2.0],
  [120, 1.98],
];
const TABLE_95: readonly [number, number][] = [
  [1, 6.314],
  [4, 2.132],
  [10, 1.812],
  [30, 1.697],
];
const TABLE_995: readonly [number, number][] = [
  [1, 63.657],
  [4, 4.604],
  [10, 3.169],
  [30, 2.75],
];

describe('Student t quantile', () => {
  it('matches the printed t table', () => {
    for (const [df, t] of TABLE_975) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    for (const [df, t] of TABLE_95) expect(studentTQuantile(0.95, df)).toBeCloseTo(t, 3);
    for (const [df, t] of TABLE_995) expect(studentTQuantile(0.995, df)).toBeCloseTo(t, 3);
  });

  it('has closed forms at df 1 and 2, and tends to the normal', () => {
    for (const p of [0.6, 0.9, 0.975, 0.999]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 8);
      const a = 4 * p * (1 - p);
      expect(studentTQuantile(p, 2)).toBeCloseTo(2 * (p - 0.5) * Math.sqrt(2 / a), 8);
    }
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.776445, 5);
    expect(studentTQuantile(0.5, 7)).toBe(0);
  });

  test.prop([fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 200 })])(
    'is the inverse of the CDF',
    (p, df) => {
      expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 9);
    },
  );

  it('builds on a correct log-gamma and incomplete beta', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(regularizedIncompleteBeta(0.4, 2, 3)).toBeCloseTo(0.5248, 12);
    expect(() => studentTQuantile(1, 3)).toThrow(/p must be in/);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/degrees of freedom/);
  });
});

describe('intervals across seeds', () => {
  it('computes the paired t interval by hand', () => {
    const ci = pairedInterval([10, 12, 11, 13, 9], [12, 15, 12, 16, 10]);
    // differences 2, 3, 1, 3, 1: mean 2, sd 1, half width t(0.975, 4) / sqrt(5)
    expect(ci.mean).toBe(2);
    expect(ci.sd).toBeCloseTo(1, 12);
    expect(ci.ciLow).toBeCloseTo(2 - 2.776445 / Math.sqrt(5), 5);
    expect(ci.ciHigh).toBeCloseTo(2 + 2.776445 / Math.sqrt(5), 5);
    expect(ci.excludesZero).toBe(true);
  });

  it('is degenerate when every difference is the same, and unbounded for one value', () => {
    expect(pairedInterval([1, 2, 3], [5, 6, 7])).toMatchObject({ mean: 4, ciLow: 4, ciHigh: 4, excludesZero: true });
    expect(pairedInterval([1, 2, 3], [1, 2, 3])).toMatchObject({ mean: 0, ciLow: 0, ciHigh: 0, excludesZero: false });
    expect(meanInterval([3])).toMatchObject({ ciLow: -Infinity, ciHigh: Infinity, excludesZero: false });
    expect(meanInterval([-1, 1])).toMatchObject({ mean: 0, excludesZero: false });
  });
});
