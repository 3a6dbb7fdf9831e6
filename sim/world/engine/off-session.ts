/**
 * The off-session flows under their payment ordering. Under commit-then-pay a
 * renewal grants the renewed period, its finalization writes the billing row as
 * paid, and a retry on a restricted account restores access — each before the
 * charge — and each is reversed when the charge fails (a rollback, counted with
 * the flow's name). A reversal can be lost or come late, with the same fault
 * rates as an upgrade's (faults.rollbackFailureRate, rollbackLateRate). Under
 * pay-before-commit nothing is written first, so there is nothing to reverse:
 * the flow draws nothing and runs exactly as before.
 */
import { orderingForCharge, type OffSessionFlow } from '../../../policies/ordering/by-session.js';
import type { SubsAccountRow } from '../../../policies/account.js';
import { chargeable } from '../model/provider.js';
import type { AccountState, SimInvoice } from '../model/state.js';
import { faultDraw, type SimContext } from './context.js';
import { EV_OFF_SESSION_ROLLBACK_LATE } from './kinds.js';
import { FAULTS } from '../kernel/slots.js';

/** The code path of a flow's commit before its charge, and of its reversal (writes by code path name the flow). */
export const commitPath = (flow: OffSessionFlow): string => `off-session-commit/${flow}`;
export const rollbackPath = (flow: OffSessionFlow): string => `off-session-rollback/${flow}`;

/** What undoes one off-session commit: the platform's rows as they were before it. */
export interface OffSessionReversal {
  readonly flow: OffSessionFlow;
  readonly invoiceId: number;
  readonly subsAccount: SubsAccountRow | null;
}

/** Does this charge run commit-first? A first renewal is a never-paid customer's renewal. */
function commitsFirst(ctx: SimContext, a: AccountState, flow: OffSessionFlow): boolean {
  const charge = { flow, firstRenewal: !a.stripe.hasSucceededCharge };
  return orderingForCharge(ctx.policies.ordering, charge).commitBeforePayment;
}

/**
 * A renewal's commits before its charge, each only under an ordering that commits first:
 * the renewed period's access when it changes the platform's row (access withheld, or a plan
 * the provider does not hold: a change taking effect at the renewal), and the finalized
 * invoice's billing row as paid. A renewal of an account already at the renewed row writes no
 * access, so it has none to roll back.
 */
export function commitRenewal(ctx: SimContext, a: AccountState, invoice: SimInvoice): OffSessionReversal[] {
  const reversals: OffSessionReversal[] = [];
  const plan = ctx.provider.plan(a.stripe.planId);
  const renewed: SubsAccountRow = { planId: plan.id, status: 'active', entitlements: plan.entitlements };
  if (!sameRow(a.subsAccount, renewed) && commitsFirst(ctx, a, 'renewal')) {
    reversals.push({ flow: 'renewal', invoiceId: invoice.id, subsAccount: { ...a.subsAccount } });
    ctx.writer.subsAccount(a, commitPath('renewal'), renewed);
  }
  if (commitsFirst(ctx, a, 'finalization')) {
    reversals.push({ flow: 'finalization', invoiceId: invoice.id, subsAccount: null });
    ctx.writer.billingProd(a, commitPath('finalization'), [{ invoiceId: invoice.id, status: 'paid' }]);
  }
  return reversals;
}

function sameRow(x: SubsAccountRow, y: SubsAccountRow): boolean {
  return x.planId === y.planId && x.status === y.status && x.entitlements === y.entitlements;
}

/** A retry without the customer present restores a restricted account's access before its charge (commit-then-pay only). */
export function commitRetry(ctx: SimContext, a: AccountState, invoice: SimInvoice): OffSessionReversal[] {
  if (a.cfProd.restriction === 'none' || !chargeable(invoice) || !commitsFirst(ctx, a, 'retry')) return [];
  const plan = ctx.provider.plan(a.stripe.planId);
  const reversal: OffSessionReversal = { flow: 'retry', invoiceId: invoice.id, subsAccount: { ...a.subsAccount } };
  ctx.writer.subsAccount(a, commitPath('retry'), { status: 'active', entitlements: plan.entitlements });
  return [reversal];
}

/** The charge's outcome is known: a success keeps the commits; a failure rolls each back, unless the reversal is lost or late. */
export function settleOffSession(
  ctx: SimContext,
  a: AccountState,
  reversals: readonly OffSessionReversal[],
  succeeded: boolean,
): void {
  if (succeeded) return;
  const f = ctx.scenario.faults;
  for (const r of reversals) {
    ctx.metrics.rollbacks++;
    ctx.metrics.rollbacksByFlow[r.flow]++;
    const u = faultDraw(ctx, a, FAULTS.rollbackFails);
    if (u >= f.rollbackFailureRate + f.rollbackLateRate) reverse(ctx, a, r);
    else if (u >= f.rollbackFailureRate) {
      const delayMs = Math.round(faultDraw(ctx, a, FAULTS.rollbackLateDelay) * f.rollbackLateMaxMs);
      const serial = a.sim.faultSerial; // unique per account: two late reversals of one invoice never share a key
      ctx.offSessionReversals.set(reversalKey(a.accountId, serial), r);
      ctx.queue.push(ctx.nowMs + delayMs, EV_OFF_SESSION_ROLLBACK_LATE, a.accountId, r.invoiceId, serial);
    }
  }
}

/** A late reversal arrives (EV_OFF_SESSION_ROLLBACK_LATE: arg the invoice, token the key's serial). */
export function lateOffSessionRollback(ctx: SimContext, a: AccountState, serial: number): void {
  const key = reversalKey(a.accountId, serial);
  const r = ctx.offSessionReversals.get(key);
  if (r === undefined) return;
  ctx.offSessionReversals.delete(key);
  reverse(ctx, a, r);
}

/** The legacy reversal writes back the rows it saved, whatever happened since (that is its bug when late). */
function reverse(ctx: SimContext, a: AccountState, r: OffSessionReversal): void {
  if (r.subsAccount !== null) ctx.writer.subsAccount(a, rollbackPath(r.flow), r.subsAccount);
  else ctx.writer.billingProd(a, rollbackPath(r.flow), [{ invoiceId: r.invoiceId, status: 'open' }]);
}

function reversalKey(accountId: number, serial: number): string {
  return `${accountId}:${serial}`;
}
