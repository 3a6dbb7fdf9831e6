/**
 * Involuntary churn: subscribers lost to failed payment (docs/kpis.md). A
 * subscriber is lost when the platform cancels the subscription for
 * non-payment, or when its access has stayed suspended (or worse) for
 * `kpis.involuntaryChurnSuspendedDays` in a row, whichever comes first; each
 * subscriber is lost at most once. A suspension that outlasts the bound is a
 * loss at the moment it passes the bound, whenever that is noticed (at the
 * account's next event, when the suspension ends, or at the end of the run),
 * so the figure does not depend on when the account is next touched.
 */
import { MS_PER_DAY, severityOf } from '../../../policies/types.js';
import type { AccountState } from '../model/state.js';
import type { SimContext } from './context.js';

const SUSPEND = severityOf('suspend');

export type ChurnCause = 'canceled' | 'suspended';

function boundMs(ctx: SimContext): number {
  return ctx.scenario.kpis.involuntaryChurnSuspendedDays * MS_PER_DAY;
}

/** The subscriber's monthly recurring revenue now: its plan's monthly price at the provider. */
export function mrrCentsOf(ctx: SimContext, a: AccountState): number {
  return ctx.plans.find((p) => p.id === a.stripe.planId)?.monthlyPriceCents ?? 0;
}

function lose(ctx: SimContext, a: AccountState, atMs: number, cause: ChurnCause): void {
  if (a.sim.lostAtMs >= 0) return;
  a.sim.lostAtMs = atMs;
  const m = ctx.metrics;
  m.involuntaryChurn++;
  m.involuntaryChurnMrrCents += mrrCentsOf(ctx, a);
  if (cause === 'suspended') m.involuntaryChurnBySuspension++;
}

/** A suspension that has lasted the bound by `nowMs` is a loss at the moment it passed the bound. */
function passSuspension(ctx: SimContext, a: AccountState, nowMs: number): void {
  const since = a.sim.suspendedSinceMs;
  if (since >= 0 && nowMs - since >= boundMs(ctx)) lose(ctx, a, since + boundMs(ctx), 'suspended');
}

/**
 * The provider canceled the subscription when its invoice was written off (the subscription's own
 * failure setting, `subscriptions.afterFailedPayments: cancel`): lost like a cancellation by the ladder.
 */
function canceledAfterWriteOff(a: AccountState): boolean {
  if (a.stripe.subscriptionStatus !== 'canceled') return false;
  for (let k = a.stripe.invoices.length - 1; k >= 0; k--) {
    const i = a.stripe.invoices[k]!;
    if (i.kind === 'renewal' && i.status !== 'void') return i.status === 'uncollectible';
  }
  return false;
}

/** After every check of the account: the consequence level is `level` (a severity) now. */
export function trackSuspension(ctx: SimContext, a: AccountState, level: number): void {
  passSuspension(ctx, a, ctx.nowMs);
  if (canceledAfterWriteOff(a)) lose(ctx, a, ctx.nowMs, 'canceled');
  if (level >= SUSPEND) {
    if (a.sim.suspendedSinceMs < 0) a.sim.suspendedSinceMs = ctx.nowMs;
  } else a.sim.suspendedSinceMs = -1;
}

/** The platform canceled the subscription for non-payment, now. */
export function noteCanceledForNonPayment(ctx: SimContext, a: AccountState): void {
  passSuspension(ctx, a, ctx.nowMs);
  lose(ctx, a, ctx.nowMs, 'canceled');
}

/** At the end of the run: a suspension still running counts if it has passed the bound. */
export function closeChurn(ctx: SimContext, a: AccountState): void {
  passSuspension(ctx, a, ctx.nowMs);
  if (a.sim.lostAtMs < 0 && a.sim.suspendedSinceMs >= 0) ctx.metrics.involuntaryChurnCensored++;
}

/** The measured window opens (after a warm-up): losses before it are history, the MRR base is today's. */
export function openChurnWindow(ctx: SimContext): void {
  for (const a of ctx.accounts) a.sim.windowMrrCents = mrrCentsOf(ctx, a);
}

/** Subscribers at risk in the window: those not lost before it opened. */
export function atRisk(a: AccountState, windowStartMs: number): boolean {
  return a.sim.lostAtMs < 0 || a.sim.lostAtMs >= windowStartMs;
}
