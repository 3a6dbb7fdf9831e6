/**
 * scenarios/case-study.yaml, calibrated to the case study's start figures
 * under `legacy`, with a warm start (history before the 3-day window) and
 * support repairs. What is tested, honestly:
 *
 * - The five start figures (the requirement): legacy at the full
 *   calibrated population, seeds 1–5 (1–3 were the fit's seeds), averaged over
 *   the seeds: rollbacks/day, bad debt/day, disagreeing accounts and invoice
 *   coverage within 15 % of 196, 48, 691 and 19 %.
 * - Dunning code paths ("5+"): every seed's window has all five legacy
 *   processors writing (the escalator included, thanks to the history) plus
 *   support's repairs.
 * - The three drift figures are produced by the modelled legacy writes but
 *   fall well short of 906/625/633 (docs/case-study.md: the disagreement bound
 *   and coverage cap them); each is held to its documented gap, so a worse fit fails.
 * - Target on the full population, one seed: 0, 0, 0, 100 %, 1 and no drift.
 *   Shipped at a quarter of the population (its claims are shares and
 *   near-zero counts, which do not need the full population).
 */
import { expectAtTargetGoals } from '../../support/goals.js';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { legacyPolicies, shippedPolicies, targetPolicies } from '../../../policies/sets.js';
import { runSimulation } from '../../../sim/world/engine/run.js';
import type { RunResult } from '../../../sim/world/result.js';
import { parseScenarioText } from '../../../sim/tools/scenario/load.js';
import type { Scenario } from '../../../sim/world/scenario/schema.js';

const PATH = 'scenarios/case-study.yaml';
const caseStudy: Scenario = parseScenarioText(readFileSync(PATH, 'utf8'), PATH);
const SEEDS = [1, 2, 3, 4, 5];
const SLOW_MS = 240_000;

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const within = (value: number, expected: number, share: number): void => {
  expect(Math.abs(value - expected) / expected, `${value} vs ${expected}`).toBeLessThanOrEqual(share);
};

describe('case-study.yaml under legacy reproduces the start figures', () => {
  let runs: RunResult[];
  beforeAll(() => {
    runs = SEEDS.map((seed) => runSimulation(caseStudy, legacyPolicies(), seed));
  }, SLOW_MS);

  it('is a warm start: history before the window, support repairing what it sees', () => {
    expect(caseStudy.warmUpDays).toBeGreaterThanOrEqual(17);
    expect(caseStudy.customers.supportContactMeanDays).toBeDefined();
  });

  it('rollbacks/day ≈ 196, bad debt/day ≈ 48, disagreeing ≈ 691, coverage ≈ 19 % (mean of 5 seeds, each within 15 %)', () => {
    within(mean(runs.map((r) => r.kpis.rollbacksPerDay)), 196, 0.15);
    within(mean(runs.map((r) => r.kpis.badDebtFromUpgradesPerDay)), 48, 0.15);
    within(mean(runs.map((r) => r.kpis.disagreeingAccounts)), 691, 0.15);
    within(mean(runs.map((r) => r.kpis.invoiceCoverage)), 0.19, 0.15);
  });

  it("dunning code paths: five or more in every seed's 3-day window, the delinquency escalator among them", () => {
    for (const r of runs) {
      expect(r.kpis.dunningCodePaths).toBeGreaterThanOrEqual(5);
      expect(Object.keys(r.writesByCodePath)).toEqual(
        expect.arrayContaining([
          'legacy/invoice-payment-failed',
          'legacy/invoice-paid',
          'legacy/subscription-sync',
          'legacy/retry-runner',
          'legacy/delinquency-escalator',
        ]),
      );
    }
  });

  it('the three drift figures come out of the legacy writes, short of the seeds by at most the documented gap (bad-debt drift 80 %, inconsistent flags 60 %, stale flag 40 %)', () => {
    within(mean(runs.map((r) => r.drift.badDebtFlagWithoutWriteOff ?? 0)), 906, 0.8);
    within(mean(runs.map((r) => r.drift.inconsistentDebtFlags ?? 0)), 625, 0.6);
    within(mean(runs.map((r) => r.drift.noSuccessfulPaymentFlagStale ?? 0)), 633, 0.4);
  });
});

describe('the roadmap on the same scenario', () => {
  let target: RunResult;
  let shipped: RunResult;
  beforeAll(() => {
    target = runSimulation(caseStudy, targetPolicies(), 1);
    shipped = runSimulation({ ...caseStudy, accounts: Math.round(caseStudy.accounts / 4) }, shippedPolicies(), 1);
  }, SLOW_MS);

  it('target gives 0, 0, 0, 100 %, 1 and no drift, full calibrated population', () => {
    expectAtTargetGoals(target);
    expect(Object.values(target.drift).every((n) => n === 0)).toBe(true);
  });

  it('shipped: no on-session rollbacks, near-zero disagreement, full coverage, but legacy paths still write dunning state', () => {
    expect(shipped.kpis.rollbacksPerDay).toBe(0);
    expect(shipped.kpis.badDebtFromUpgradesPerDay).toBe(0);
    expect(shipped.kpis.disagreeingAccounts).toBeLessThanOrEqual((0.02 * 691) / 4);
    expect(shipped.kpis.invoiceCoverage).toBe(1);
    expect(shipped.kpis.dunningCodePaths).toBe(2);
    expect(Object.keys(shipped.writesByCodePath)).toContain('legacy/subscription-sync');
  });
});
