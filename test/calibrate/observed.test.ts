import { describe, expect, it } from 'vitest';
import { parseObservedText } from '../../sim/calibrate/observed.js';
import { profileScale, targetsOf } from '../../sim/calibrate/objective.js';

const message = (text: string): string => {
  try {
    parseObservedText(text, 'obs.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
};

describe('observed KPIs file', () => {
  it('reads KPIs, named drift invariants and weights', () => {
    const o = parseObservedText('kpis:\n  rollbacksPerDay: 196\n  invoiceCoverage: 0.19\ndrift:\n  inconsistentDebtFlags: 625\n', 'obs.yaml');
    expect(o.kpis.rollbacksPerDay).toBe(196);
    expect(o.drift.inconsistentDebtFlags).toBe(625);
    expect(o.weights).toEqual({ kpi: 1, drift: 0.25 });
  });

  it('names file, line and field for a bad value, an unknown KPI and an unknown invariant', () => {
    expect(message('kpis:\n  rollbacksPerDay: 196\n  invoiceCoverage: 19\n')).toMatch(/^obs\.yaml:3: kpis\.invoiceCoverage: /);
    expect(message('kpis:\n  rolbacksPerDay: 196\n')).toBe('obs.yaml:2: kpis.rolbacksPerDay: unknown field (misspelt?)');
    expect(message('kpis:\n  rollbacksPerDay: 1\ndrift:\n  badDebtDrift: 906\n')).toMatch(/^obs\.yaml:4: drift\.badDebtDrift: /);
    expect(message('kpis: {}\n')).toMatch(/^obs\.yaml:1: kpis: give at least one/);
  });
});

describe('population profile', () => {
  it('is the weighted geometric mean of observed/simulated over extensive targets only', () => {
    const o = parseObservedText('kpis:\n  rollbacksPerDay: 200\n  disagreeingAccounts: 800\n  invoiceCoverage: 0.5\n', 'obs.yaml');
    const targets = targetsOf(o);
    // Simulated at the fit population: 2/day and 2 accounts → ratios 100 and 400 → geometric mean 200; coverage ignored.
    expect(profileScale(targets, [2, 2, 0.1])).toBeCloseTo(200, 9);
  });
});
