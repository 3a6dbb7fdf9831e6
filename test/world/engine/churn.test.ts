/**
 * The recovery and churn KPIs, each stated on a hand-made case (docs/kpis.md):
 * involuntary churn counts subscribers lost to failed payment (canceled, or
 * suspended past the bound) once each, per month, by count and by MRR;
 * recovery leaves invoices still in recovery out (censored) and says n/a when
 * nothing has an outcome; retries are counted per recovered and per failed invoice.
 */
import { describe, expect, it } from 'vitest';
import { targetPolicies } from '../../../policies/sets.js';
import { MS_PER_DAY, type Plan } from '../../../policies/types.js';
import { closeChurn, noteCanceledForNonPayment, trackSuspension } from '../../../sim/world/engine/churn.js';
import type { SimContext } from '../../../sim/world/engine/context.js';
import { Metrics } from '../../../sim/world/engine/metrics.js';
import { resultFromTallies } from '../../../sim/world/engine/run.js';
import { mergeTallies, type ShardTally, type TallyCounters } from '../../../sim/world/engine/tally.js';
import { newAccount, newCard, type AccountState } from '../../../sim/world/model/state.js';
import type { InvoiceRow } from '../../../sim/world/result.js';
import { scenarioOf } from '../../support/scenarios.js';

const PRO: Plan = { id: 1, name: 'pro', monthlyPriceCents: 3_000, entitlements: 3 };
const SUSPEND = 4;
const DAY = MS_PER_DAY;

function world(boundDays = 14): { ctx: SimContext; account: (id: number) => AccountState } {
  const scenario = scenarioOf({ accounts: 2, days: 30, kpis: { involuntaryChurnSuspendedDays: boundDays } });
  const ctx = { scenario, plans: [PRO], metrics: new Metrics(), nowMs: 0 } as unknown as SimContext;
  const account = (id: number) => newAccount(id, PRO, 'stripe', newCard(id, 'visa', Infinity), 1, 0, true);
  return { ctx, account };
}

function at(ctx: SimContext, ms: number): SimContext {
  ctx.nowMs = ms;
  return ctx;
}

describe('involuntary churn: subscribers lost to failed payment', () => {
  it('a suspension counts once it has lasted the bound, at the moment it passed it, whenever noticed', () => {
    const { ctx, account } = world(14);
    const a = account(0);
    trackSuspension(at(ctx, 10 * DAY), a, SUSPEND);
    trackSuspension(at(ctx, 20 * DAY), a, SUSPEND);
    expect(ctx.metrics.involuntaryChurn).toBe(0);
    trackSuspension(at(ctx, 30 * DAY), a, SUSPEND);
    expect(a.sim.lostAtMs).toBe(24 * DAY);
    expect(ctx.metrics.involuntaryChurn).toBe(1);
    expect(ctx.metrics.involuntaryChurnBySuspension).toBe(1);
    expect(ctx.metrics.involuntaryChurnMrrCents).toBe(3_000);
    noteCanceledForNonPayment(at(ctx, 40 * DAY), a);
    expect(ctx.metrics.involuntaryChurn).toBe(1);
  });

  it('a suspension lifted before the bound is not a loss; a cancellation for non-payment is', () => {
    const { ctx, account } = world(14);
    const [lifted, canceled] = [account(0), account(1)];
    trackSuspension(at(ctx, 0), lifted, SUSPEND);
    trackSuspension(at(ctx, 13 * DAY), lifted, 0);
    closeChurn(at(ctx, 60 * DAY), lifted);
    noteCanceledForNonPayment(at(ctx, 5 * DAY), canceled);
    expect(lifted.sim.lostAtMs).toBe(-1);
    expect(canceled.sim.lostAtMs).toBe(5 * DAY);
    expect(ctx.metrics.involuntaryChurn).toBe(1);
    expect(ctx.metrics.involuntaryChurnBySuspension).toBe(0);
  });

  it('at the end a suspension past the bound is a loss, one under it is censored', () => {
    const { ctx, account } = world(14);
    const [long, short] = [account(0), account(1)];
    trackSuspension(at(ctx, 0), long, SUSPEND);
    trackSuspension(at(ctx, 20 * DAY), short, SUSPEND);
    closeChurn(at(ctx, 30 * DAY), long);
    closeChurn(ctx, short);
    expect(ctx.metrics.involuntaryChurn).toBe(1);
    expect(ctx.metrics.involuntaryChurnCensored).toBe(1);
  });

  it('per month: lost subscribers over those at risk over 30-day months of the window, by count and MRR', () => {
    // 1,000 subscribers, $30,000 MRR at risk; 19 lost with $950 MRR over 90 + 5 days = 95/30 months.
    const r = result({ subscribersAtRisk: 1_000, mrrAtRiskCents: 3_000_000, involuntaryChurn: 19 }, []);
    const months = 95 / 30;
    expect(r.involuntaryChurnPerThousand).toBeCloseTo(19, 9);
    expect(r.involuntaryChurnMonthlyRate).toBeCloseTo(0.019 / months, 12);
    expect(r.involuntaryChurnMrrMonthlyRate).toBeCloseTo(95_000 / 3_000_000 / months, 12);
  });
});

describe('recovery: censoring-aware', () => {
  const row = (id: number, status: InvoiceRow['status'], attempts: number, lostAtMs = -1): InvoiceRow => ({
    invoiceId: id,
    accountId: id,
    kind: 'renewal',
    amountCents: 1_000,
    status,
    createdAtMs: 0,
    firstFailedAtMs: DAY,
    paidAtMs: status === 'paid' ? 3 * DAY : -1,
    attempts,
    firstDeclineCode: 'insufficient_funds',
    subscriberLostAtMs: lostAtMs,
  });

  it('recovered / (recovered + lost); an open invoice on a subscriber not lost is censored', () => {
    const r = result({}, [
      row(1, 'paid', 2),
      row(2, 'paid', 4),
      row(3, 'uncollectible', 5),
      row(4, 'open', 7, 30 * DAY),
      row(5, 'open', 3),
    ]);
    expect(r.failedInvoices).toBe(5);
    expect([r.recoveredInvoices, r.lostInvoices, r.censoredInvoices]).toEqual([2, 2, 1]);
    expect(r.recoveryRate).toBe(0.5);
    expect(r.meanDaysToRecovery).toBe(2);
    expect(r.retriesPerRecovery).toBe(2);
    expect(r.retriesPerFailedInvoice).toBe(5);
    expect(r.warnings).toEqual([]);
  });

  it('says n/a, with a warning, when nothing failed or every failure is still in recovery', () => {
    const none = result({}, []);
    expect(none.recoveryRate).toBeNull();
    expect(none.retriesPerRecovery).toBeNull();
    expect(none.warnings).toContain('recovery rate n/a: no renewal invoice failed');
    const open = result({}, [row(1, 'open', 2), row(2, 'open', 3)]);
    expect(open.recoveryRate).toBeNull();
    expect(open.censoredInvoices).toBe(2);
    expect(open.warnings).toContain('recovery rate n/a: all 2 failed invoices are still in recovery (censored)');
  });
});

const COUNTERS: TallyCounters = {
  contactsSent: 0,
  contactsOwingNothing: 0,
  rollbacks: 0,
  badDebtUpgrades: 0,
  badDebtCents: 0,
  invoiceEventsDelivered: 0,
  invoiceEventsCovered: 0,
  doubleCharges: 0,
  retriesAfterSettled: 0,
  involuntaryChurn: 0,
  involuntaryChurnMrrCents: 0,
  involuntaryChurnBySuspension: 0,
  involuntaryChurnCensored: 0,
  subscribersAtRisk: 1,
  mrrAtRiskCents: 1,
  harmMs: 0,
  networkFeesCents: 0,
  disagreeing: 0,
};

function result(counters: Partial<TallyCounters>, invoices: InvoiceRow[]) {
  const c = { ...COUNTERS, ...counters };
  if (counters.involuntaryChurn !== undefined) c.involuntaryChurnMrrCents = counters.involuntaryChurn * 5_000;
  const tally: ShardTally = {
    accountEvents: 0,
    dayEvents: 0,
    counters: c,
    networkViolations: {},
    drift: {},
    transitions: {},
    writesByCodePath: {},
    dunningWriterFirstRow: {},
    daily: [],
    invoices,
  };
  const scenario = scenarioOf({ accounts: 1_000, days: 90, settleDays: 5 });
  return resultFromTallies(scenario, targetPolicies(), 1, [mergeTallies([tally])]).recovery;
}
