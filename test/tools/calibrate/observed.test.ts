import { describe, expect, it } from 'vitest';
import { parseObservedText } from '../../../sim/tools/calibrate/observed.js';
import { profileScale, targetLoss, targetsOf, type Target } from '../../../sim/tools/calibrate/objective.js';

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
    const o = parseObservedText(
      'kpis:\n  rollbacksPerDay: 196\n  invoiceCoverage: 0.19\ndrift:\n  inconsistentDebtFlags: 625\n',
      'obs.yaml',
    );
    expect(o.kpis.rollbacksPerDay).toBe(196);
    expect(o.drift.inconsistentDebtFlags).toBe(625);
    expect(o.weights).toEqual({ kpi: 1, drift: 0.25 });
  });

  it('names file, line and field for a bad value, an unknown KPI and an unknown invariant', () => {
    expect(message('kpis:\n  rollbacksPerDay: 196\n  invoiceCoverage: 19\n')).toMatch(
      /^obs\.yaml:3: kpis\.invoiceCoverage: /,
    );
    expect(message('kpis:\n  rolbacksPerDay: 196\n')).toBe(
      'obs.yaml:2: kpis.rolbacksPerDay: unknown field (misspelt?)',
    );
    expect(message('kpis:\n  rollbacksPerDay: 1\ndrift:\n  badDebtDrift: 906\n')).toMatch(
      /^obs\.yaml:4: drift\.badDebtDrift: /,
    );
    expect(message('kpis: {}\n')).toMatch(/^obs\.yaml:1: kpis: give at least one/);
  });
});

describe('population profile', () => {
  it('is the weighted geometric mean of observed/simulated over extensive targets only', () => {
    const o = parseObservedText(
      'kpis:\n  rollbacksPerDay: 200\n  disagreeingAccounts: 800\n  invoiceCoverage: 0.5\n',
      'obs.yaml',
    );
    const targets = targetsOf(o);
    // Simulated at the fit population: 2/day and 2 accounts → ratios 100 and 400 → geometric mean 200; coverage ignored.
    expect(profileScale(targets, [2, 2, 0.1])).toBeCloseTo(200, 9);
  });
});

describe('loss per target', () => {
  const o = parseObservedText(
    'kpis:\n  rollbacksPerDay: 200\n  dunningCodePaths: 5\ndrift:\n  inconsistentDebtFlags: 600\n' +
      'band:\n  tolerance: 0.1\n  weight: 100\n',
    'obs.yaml',
  );
  const [rollbacks, codePaths, drift] = targetsOf(o) as [Target, Target, Target];
  const logLoss = (t: Target, v: number): number => t.weight * Math.log((v + t.floor) / (t.observed + t.floor)) ** 2;

  it('adds the band penalty only beyond the tolerance, and only on KPIs', () => {
    expect(targetLoss(rollbacks, 215)).toBeCloseTo(logLoss(rollbacks, 215), 12);
    expect(targetLoss(rollbacks, 250)).toBeCloseTo(logLoss(rollbacks, 250) + 100 * 0.15 ** 2, 12);
    expect(targetLoss(rollbacks, 150)).toBeCloseTo(logLoss(rollbacks, 150) + 100 * 0.15 ** 2, 12);
    expect(targetLoss(drift, 300)).toBeCloseTo(logLoss(drift, 300), 12);
  });

  it('counts "5+" dunning code paths as met at 5 or more, and a miss below', () => {
    expect(targetLoss(codePaths, 5)).toBe(0);
    expect(targetLoss(codePaths, 6)).toBe(0);
    expect(targetLoss(codePaths, 4)).toBeCloseTo(logLoss(codePaths, 4) + 100 * 0.1 ** 2, 12);
  });

  it('has no band without one in the file', () => {
    const plain = targetsOf(parseObservedText('kpis:\n  rollbacksPerDay: 200\n', 'obs.yaml'))[0]!;
    expect(targetLoss(plain, 400)).toBeCloseTo(logLoss(plain, 400), 12);
  });
});
