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
 * - Shipped at a quarter of the population (its claims are shares and
 *   near-zero counts, which do not need the full population): what remains,
 *   each with the mechanism that leaves it, shown by the variant without it.
 */
import { expectAtTargetGoals } from '../../support/goals.js';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { policyDocumentSchema, policySetOf, type PolicyDocumentInput } from '../../../policies/document.js';
import { OFF_SESSION_FLOWS, orderingForCharge } from '../../../policies/ordering/by-session.js';
import {
  BUILT_IN_DOCUMENTS,
  legacyPolicies,
  SHIPPED_LEGACY_PATHS,
  shippedPolicies,
  targetPolicies,
} from '../../../policies/sets.js';
import { resultOf, runSimulation } from '../../../sim/world/engine/run.js';
import { Simulation } from '../../../sim/world/engine/simulation.js';
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
  beforeAll(() => {
    target = runSimulation(caseStudy, targetPolicies(), 1);
  }, SLOW_MS);

  it('target gives 0, 0, 0, 100 %, 1 and no drift, full calibrated population', () => {
    expectAtTargetGoals(target);
    expect(Object.values(target.drift).every((n) => n === 0)).toBe(true);
  });
});

/** `shipped` and its variants at a quarter of the population (its claims are shares and near-zero counts). */
describe('shipped leaves what the seeds say remains, each remainder from its mechanism', () => {
  const quarter: Scenario = { ...caseStudy, accounts: Math.round(caseStudy.accounts / 4) };
  const shippedDocument = BUILT_IN_DOCUMENTS['shipped']!;
  const variant = (patch: Partial<PolicyDocumentInput>) =>
    policySetOf(policyDocumentSchema.parse({ ...shippedDocument, ...patch }));
  let shipped: Simulation;
  let shippedResult: RunResult;
  let legacyResult: RunResult;
  beforeAll(() => {
    shipped = new Simulation(quarter, shippedPolicies(), 1);
    shipped.run();
    shippedResult = resultOf(shipped);
    legacyResult = runSimulation(quarter, legacyPolicies(), 1);
  }, SLOW_MS);

  it('rollbacks > 0, all from off-session flows shipped leaves commit-then-pay (later renewals’ finalization and access, retries): none from upgrades', () => {
    const { rollbacks, rollbacksByFlow } = shipped.ctx.metrics;
    expect(shippedResult.kpis.rollbacksPerDay).toBeGreaterThan(0);
    expect(rollbacksByFlow.renewal + rollbacksByFlow.finalization + rollbacksByFlow.retry).toBe(rollbacks);
    expect(Object.keys(shippedResult.writesByCodePath)).not.toContain('mutation-rollback');
    const ordering = shippedPolicies().ordering;
    for (const flow of OFF_SESSION_FLOWS) {
      if (rollbacksByFlow[flow] === 0) continue;
      expect(orderingForCharge(ordering, { flow, firstRenewal: false }).commitBeforePayment, flow).toBe(true);
    }
    const covered = new Simulation(quarter, variant({ ordering: 'pay-before-commit' }), 1);
    covered.run();
    expect(covered.ctx.metrics.rollbacks).toBe(0);
  });

  it('no bad debt from upgrades and near-zero disagreement: on-session pay-before-commit and the engine’s recompute', () => {
    expect(shippedResult.kpis.badDebtFromUpgradesPerDay).toBe(0);
    expect(shippedResult.kpis.disagreeingAccounts).toBeLessThanOrEqual((0.02 * 691) / 4);
  });

  it('code paths > 1: the legacy subscription sync still writes cf_prod through its synchronous call beside the engine', () => {
    expect(shippedResult.kpis.dunningCodePaths).toBeGreaterThan(1);
    expect(shippedResult.writesByCodePath['legacy/subscription-sync']).toHaveProperty('cf_prod');
    const withoutSync = runSimulation(
      quarter,
      variant({
        dunning: { engine: 'hybrid', processors: ['legacy/first-payment'], engineEvents: 'legacy-subscriptions' },
      }),
      1,
    );
    expect(withoutSync.kpis.dunningCodePaths).toBe(1);
  });

  it('coverage below 100 % and above legacy’s: the engine hears only the legacy processors’ event types', () => {
    expect(shippedResult.kpis.invoiceCoverage).toBeLessThan(1);
    expect(shippedResult.kpis.invoiceCoverage).toBeGreaterThan(legacyResult.kpis.invoiceCoverage);
    const subscribed = variant({
      dunning: { engine: 'hybrid', processors: [...SHIPPED_LEGACY_PATHS], engineEvents: 'all' },
    });
    expect(runSimulation(quarter, subscribed, 1).kpis.invoiceCoverage).toBe(1);
  });
});
