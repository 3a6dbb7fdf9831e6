import { describe, expect, it } from 'vitest';
import { streamsFor } from '../../../sim/world/kernel/rng.js';

describe('seeded streams', () => {
  it('the same seed gives the same draws; another seed, other draws', () => {
    const a = streamsFor(7),
      b = streamsFor(7),
      c = streamsFor(8);
    const draws = (s: typeof a) => Array.from({ length: 50 }, (_, k) => s.declines.u01(k, k * 3, 1));
    expect(draws(a)).toEqual(draws(b));
    expect(draws(a)).not.toEqual(draws(c));
  });

  it('gives each subsystem its own stream', () => {
    const s = streamsFor(7);
    const keys = new Set([s.workload.key, s.declines.key, s.delivery.key, s.faults.key]);
    expect(keys.size).toBe(4);
  });

  it('draws are uniform enough for a simulation (mean and deciles)', () => {
    const s = streamsFor(3);
    const n = 100_000;
    const buckets = new Array<number>(10).fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const u = s.workload.u01(i, i >> 3, i & 7);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
      buckets[Math.floor(u * 10)]!++;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.01);
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(n / 100);
  });
});
