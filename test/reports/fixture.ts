/**
 * Hand-built RunResults with realistic shapes for the report tests:
 * a legacy-like run (many rollbacks, drift, low coverage) and a recompute-like
 * run (few), 30 daily rows each, a few hundred invoices over several decline codes.
 * Deterministic: a small LCG, no Math.random.
 */
import { CONSEQUENCE_LEVELS, MS_PER_DAY, type ConsequenceLevel, type DeclineCode } from '../../policies/types.js';
import type { DailyRow, InvoiceRow, RunResult } from '../../sim/world/result.js';
import { recoveryCurvesOf } from '../../sim/world/engine/recovery-curves.js';

export const INVARIANTS = [
  'entitlements_match_payment',
  'subscription_status_agrees',
  'single_dunning_writer',
  'invoice_status_agrees',
];
const CODES: DeclineCode[] = [
  'insufficient_funds',
  'expired_card',
  'do_not_honor',
  'generic_decline',
  'authentication_required',
];
const DAYS = 30;
const START_MS = 1_700_000_000_000;

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Quality {
  readonly rollbacksPerDay: number;
  readonly driftScale: number;
  readonly coverage: number;
  readonly recoverChance: number;
  readonly codePaths: number;
}

const LEGACY: Quality = { rollbacksPerDay: 180, driftScale: 1, coverage: 0.22, recoverChance: 0.45, codePaths: 5 };
const RECOMPUTE: Quality = { rollbacksPerDay: 3, driftScale: 0.04, coverage: 0.97, recoverChance: 0.7, codePaths: 1 };

function occupancy(day: number, q: Quality, rand: () => number): Record<ConsequenceLevel, number> {
  const ramp = Math.min(1, day / 10);
  const weights = [0, 40, 25, 15, 8, 4];
  const entries = CONSEQUENCE_LEVELS.map((level, i) => {
    const accounts =
      i === 0 ? 2000 : Math.round((weights[i] ?? 0) * ramp * (0.6 + q.driftScale) * (0.8 + 0.4 * rand()));
    return [level, accounts] as const;
  });
  const total = entries.reduce((s, [, n]) => s + n, 0);
  return Object.fromEntries(entries.map(([l, n]) => [l, l === 'none' ? 2000 - (total - 2000) : n])) as Record<
    ConsequenceLevel,
    number
  >;
}

function dailyRows(q: Quality, rand: () => number): DailyRow[] {
  const rows: DailyRow[] = [];
  let rollbacks = 0;
  let events = 0;
  for (let day = 1; day <= DAYS; day++) {
    rollbacks += Math.round(q.rollbacksPerDay * (0.8 + 0.4 * rand()));
    events += 300 + Math.round(100 * rand());
    const drift = Object.fromEntries(
      INVARIANTS.map((name, i) => [
        name,
        Math.round((120 + 60 * i) * q.driftScale * Math.min(1, day / 8) * (0.85 + 0.3 * rand())),
      ]),
    );
    rows.push({
      day,
      rollbacks,
      badDebtUpgrades: Math.round(rollbacks * 0.25),
      disagreeingAccounts: Object.values(drift).reduce((a, b) => a + b, 0),
      invoiceEventsCovered: Math.round(events * q.coverage),
      invoiceEvents: events,
      dunningCodePaths: q.codePaths,
      recoveredInvoices: Math.round(day * 4 * q.recoverChance),
      failedInvoices: day * 4,
      consequenceOccupancy: occupancy(day, q, rand),
      drift,
    });
  }
  return rows;
}

function invoice(id: number, q: Quality, rand: () => number): InvoiceRow {
  const createdAtMs = START_MS + Math.floor(rand() * 20) * MS_PER_DAY;
  const fails = rand() < 0.55;
  const code = CODES[Math.floor(rand() * CODES.length)] ?? 'generic_decline';
  const recovered = fails && rand() < q.recoverChance * (code === 'expired_card' ? 0.6 : 1);
  const firstFailedAtMs = fails ? createdAtMs + 3_600_000 : -1;
  const recoveryDays = Math.floor(rand() * rand() * 21);
  const attempts = !fails ? 1 : recovered ? 2 + Math.min(6, Math.floor(recoveryDays / 3)) : 4 + Math.floor(rand() * 4);
  return {
    invoiceId: 10_000 + id,
    accountId: 1 + Math.floor(rand() * 2000),
    kind: rand() < 0.2 ? 'upgrade' : 'renewal',
    amountCents: [1200, 2900, 4900, 9900][Math.floor(rand() * 4)] ?? 2900,
    status: !fails || recovered ? 'paid' : rand() < 0.5 ? 'open' : 'uncollectible',
    createdAtMs,
    firstFailedAtMs,
    paidAtMs: !fails ? createdAtMs + 60_000 : recovered ? firstFailedAtMs + recoveryDays * MS_PER_DAY + 7_200_000 : -1,
    attempts,
    firstDeclineCode: fails ? code : null,
  };
}

function recoveryOf(invoices: readonly InvoiceRow[], accounts: number): RunResult['recovery'] {
  const failed = invoices.filter((i) => i.firstFailedAtMs >= 0);
  const recovered = failed.filter((i) => i.paidAtMs >= 0);
  const days = recovered.map((i) => (i.paidAtMs - i.firstFailedAtMs) / MS_PER_DAY);
  const churn = failed.length - recovered.length;
  return {
    recoveryRate: recovered.length / failed.length,
    revenueRecoveredCents: recovered.reduce((s, i) => s + i.amountCents, 0),
    failedInvoices: failed.length,
    recoveredInvoices: recovered.length,
    lostInvoices: churn,
    censoredInvoices: 0,
    meanDaysToRecovery: days.reduce((a, b) => a + b, 0) / days.length,
    involuntaryChurnPerThousand: (churn * 1000) / accounts,
    involuntaryChurn: churn,
    involuntaryChurnBySuspension: 0,
    involuntaryChurnCensored: 0,
    involuntaryChurnMonthlyRate: churn / accounts / 3,
    involuntaryChurnMrrCents: churn * 3_000,
    involuntaryChurnMrrMonthlyRate: churn / accounts / 3,
    customerHarmRestrictionDays: 37.5,
    retriesPerRecovery: recovered.reduce((s, i) => s + i.attempts - 1, 0) / recovered.length,
    retriesPerFailedInvoice: null,
    networkRuleViolations: 3,
    networkRuleViolationsByRule: { visa_15_in_30: 2, mastercard_10_in_24h: 1 },
    networkFeesCents: 70,
    doubleCharges: 0,
    retriesAfterSettled: 1,
    warnings: [],
    contactsSent: failed.length * 3,
    contactsToCustomersOwingNothing: 2,
  };
}

/** The case study's table, as its scenarios carry it. */
export const CASE_STUDY_REFERENCE = {
  source: "the case study's KPI table",
  start: {
    rollbacksPerDay: 196,
    badDebtFromUpgradesPerDay: 48,
    disagreeingAccounts: 691,
    invoiceCoverage: 0.19,
    dunningCodePaths: 5,
  },
  target: {
    rollbacksPerDay: 0,
    badDebtFromUpgradesPerDay: 0,
    disagreeingAccounts: 0,
    invoiceCoverage: 1,
    dunningCodePaths: 1,
  },
};

export function makeRun(kind: 'legacy' | 'recompute', seed: number, invoiceCount = 320): RunResult {
  const q = kind === 'legacy' ? LEGACY : RECOMPUTE;
  const rand = lcg(seed);
  const daily = dailyRows(q, rand);
  const invoices = Array.from({ length: invoiceCount }, (_, i) => invoice(i, q, rand));
  const last = daily[daily.length - 1] as DailyRow;
  return {
    seed,
    policies: kind === 'legacy' ? 'legacy' : 'recompute+reason-aware',
    scenario: 'case-study',
    days: DAYS,
    settleDays: 7,
    accounts: 2000,
    events: 1_234_567,
    parameters: {
      accounts: 2000,
      upgradeShare: 0.2,
      provider: { stripe: 0.8, paypal: 0.2 },
      scenario: { reference: CASE_STUDY_REFERENCE },
    },
    kpis: {
      rollbacksPerDay: last.rollbacks / DAYS,
      badDebtFromUpgradesPerDay: last.badDebtUpgrades / DAYS,
      badDebtFromUpgradesCents: last.badDebtUpgrades * 2900,
      disagreeingAccounts: last.disagreeingAccounts,
      invoiceCoverage: last.invoiceEventsCovered / last.invoiceEvents,
      dunningCodePaths: q.codePaths,
    },
    drift: last.drift,
    recovery: recoveryOf(invoices, 2000),
    recoveryCurves: recoveryCurvesOf(invoices, START_MS + (DAYS + 5) * MS_PER_DAY),
    transitions: { 'active->past_due': 170, 'past_due->active': 90, 'past_due->canceled': 12 },
    writesByCodePath: { dunning_state: { 'webhooks/invoice_failed': 210, 'cron/dunning_sweep': 95 } },
    daily,
    invoices,
  };
}

/** The two runs the tests use. */
export function fixtureRuns(): [RunResult, RunResult] {
  return [makeRun('legacy', 42), makeRun('recompute', 42)];
}
