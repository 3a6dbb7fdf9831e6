import { describe, expect, it } from 'vitest';
import { nelderMead } from '../../../sim/tools/calibrate/nelder-mead.js';
import { fromSearch, toSearch, type FittedParameter } from '../../../sim/tools/calibrate/parameters.js';

const rosenbrock = (x: readonly number[]): number => (1 - x[0]!) ** 2 + 100 * (x[1]! - x[0]! ** 2) ** 2;

describe('nelderMead', () => {
  it('finds the Rosenbrock minimum at (1, 1) from (-1.2, 1)', () => {
    const r = nelderMead(rosenbrock, [-1.2, 1], { step: 0.5, evaluationsMax: 2000, valueTolerance: 1e-12 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });

  it('is deterministic and keeps to its evaluation budget (plus at most one shrink)', () => {
    let calls = 0;
    const f = (x: readonly number[]): number => {
      calls++;
      return rosenbrock(x);
    };
    const a = nelderMead(f, [-1.2, 1], { step: 0.5, evaluationsMax: 40, valueTolerance: 0 });
    expect(calls).toBe(a.evaluations);
    expect(a.evaluations).toBeLessThanOrEqual(40 + 2);
    expect(a.converged).toBe(false);
    expect(nelderMead(rosenbrock, [-1.2, 1], { step: 0.5, evaluationsMax: 40, valueTolerance: 0 })).toEqual(a);
  });
});

describe('search transforms', () => {
  const rate: FittedParameter = { path: ['faults', 'rollbackFailureRate'], transform: 'logit', min: 0.001, max: 0.9 };
  const intensity: FittedParameter = {
    path: ['customers', 'upgradesPerAccountMonth'],
    transform: 'log',
    min: 0.01,
    max: 20,
  };

  it('round-trip inside the bounds and never leave them', () => {
    for (const v of [0.001, 0.02, 0.5, 0.9]) expect(fromSearch(rate, toSearch(rate, v))).toBeCloseTo(v, 6);
    for (const v of [0.01, 0.3, 20]) expect(fromSearch(intensity, toSearch(intensity, v))).toBeCloseTo(v, 9);
    for (const x of [-1e6, -30, 0, 30, 1e6]) {
      expect(fromSearch(rate, x)).toBeGreaterThanOrEqual(0.001);
      expect(fromSearch(rate, x)).toBeLessThanOrEqual(0.9);
      expect(fromSearch(intensity, x)).toBeGreaterThanOrEqual(0.01);
      expect(fromSearch(intensity, x)).toBeLessThanOrEqual(20);
    }
  });
});
