import { expect } from 'vitest';
import type { RunResult } from '../../sim/world/result.js';

/** The case study's target: 0 rollbacks, 0 bad debt, 0 disagreeing, 100 % coverage, 1 code path; no double charge, no network-rule violation. */
export function expectAtTargetGoals(r: RunResult): void {
  expect(r.kpis.rollbacksPerDay).toBe(0);
  expect(r.kpis.badDebtFromUpgradesPerDay).toBe(0);
  expect(r.kpis.disagreeingAccounts).toBe(0);
  expect(r.kpis.invoiceCoverage).toBe(1);
  expect(r.kpis.dunningCodePaths).toBe(1);
  expect(r.recovery.doubleCharges).toBe(0);
  expect(r.recovery.networkRuleViolations).toBe(0);
}
