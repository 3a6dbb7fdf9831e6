/**
 * History before the measured window, and the support contacts that repair
 * some of what it leaves behind.
 *
 * Warm start (`warmUpDays`): the run simulates that many days before the
 * window, with the same workload and platform, and at the boundary forgets
 * every flow it counted (rollbacks, bad debt, coverage, code paths, writes,
 * harm, transitions, network violations). Stocks stay: accounts enter the
 * window already in dunning, escalated, written off or drifted, as in a
 * snapshot of a platform that has run for a while. Day rows and per-day KPIs
 * cover the window only. Invoice rows (recovery figures) still list renewal
 * invoices from the warm-up.
 *
 * Support contacts (`customers.supportContactMeanDays`): a Poisson process per
 * account, drawn from the workload stream keyed by account and contact number
 * (so they are the same under every policy set); each contact hands the
 * account to the platform's manual repair, if it has one.
 */
import { MS_PER_DAY } from '../../../policies/types.js';
import type { Scenario } from '../scenario/schema.js';
import type { SimContext } from './context.js';
import { openChurnWindow } from './churn.js';
import { COUNTER, WORKLOAD } from '../kernel/slots.js';

/** Where the measured window starts, in simulated ms. */
export function warmUpMsOf(s: Scenario): number {
  return (s.warmUpDays ?? 0) * MS_PER_DAY;
}

/** Simulated days from t = 0 to the end of the workload (warm-up included). */
export function simulatedDaysOf(s: Scenario): number {
  return (s.warmUpDays ?? 0) + s.days;
}

/** Forgets the flows counted during the warm-up; stocks (the stores, the disagreeing gauges) stay. */
export function endWarmUp(ctx: SimContext): void {
  const m = ctx.metrics;
  m.rollbacks = 0;
  for (const flow of Object.keys(m.rollbacksByFlow) as (keyof typeof m.rollbacksByFlow)[]) m.rollbacksByFlow[flow] = 0;
  m.badDebtUpgrades = 0;
  m.badDebtCents = 0;
  m.invoiceEventsDelivered = 0;
  m.invoiceEventsCovered = 0;
  m.doubleCharges = 0;
  m.retriesAfterSettled = 0;
  m.involuntaryChurn = 0;
  m.involuntaryChurnMrrCents = 0;
  m.involuntaryChurnBySuspension = 0;
  m.involuntaryChurnCensored = 0;
  openChurnWindow(ctx);
  m.contactsSent = 0;
  m.contactsOwingNothing = 0;
  m.harmMs = 0;
  m.networkFeesCents = 0;
  for (const rule of Object.keys(m.networkViolations) as (keyof typeof m.networkViolations)[])
    m.networkViolations[rule] = 0;
  m.transitions.clear();
  ctx.writer.writes.clear();
  ctx.writer.dunningWriters.clear();
  for (const a of ctx.accounts) if (a.sim.harmSinceMs >= 0) a.sim.harmSinceMs = ctx.nowMs;
}

/** When the account's support contact number `k` comes, given the previous one at `afterMs`; +Infinity if never. */
export function supportContactMs(ctx: SimContext, accountId: number, k: number, afterMs: number): number {
  const meanDays = ctx.scenario.customers.supportContactMeanDays;
  if (meanDays === undefined) return Number.POSITIVE_INFINITY;
  const u = ctx.streams.workload.u01(accountId, COUNTER.accountSupport + k, WORKLOAD.supportContactDelay);
  return afterMs + Math.max(1, Math.round(-Math.log(1 - u) * meanDays * MS_PER_DAY));
}
