/**
 * Every payment attempt goes through here, so the run checks it against the
 * card-network rules and counts attempts on settled invoices and double charges.
 */
import { NETWORK_RULE_FEE_CENTS, violatedRulesOn } from '../../../policies/network-rules.js';
import { chargeable, type AttemptResult } from '../model/provider.js';
import type { AccountState, SimInvoice } from '../model/state.js';
import type { SimContext } from './context.js';
import { commitRetry, settleOffSession } from './off-session.js';

export function recordAttempt(
  ctx: SimContext,
  a: AccountState,
  invoice: SimInvoice,
  onSession: boolean,
  authenticated = false,
): AttemptResult {
  if (!chargeable(invoice)) {
    ctx.metrics.retriesAfterSettled++;
    a.sim.attemptsOnSettled++;
    return { outcome: { kind: 'declined', declineCode: 'generic_decline' }, attempted: false };
  }
  if (!onSession) {
    const next = {
      atMs: ctx.nowMs,
      paymentMethodId: a.stripe.defaultPaymentMethodId,
      amountCents: invoice.amountCents,
      invoiceId: invoice.id,
    };
    for (const rule of violatedRulesOn(a.stripe.invoices, next, ctx.policies.networkLimits)) {
      ctx.metrics.networkViolations[rule]++;
      ctx.metrics.networkFeesCents += NETWORK_RULE_FEE_CENTS[rule];
    }
  }
  const result = ctx.provider.attempt(a, invoice, ctx.nowMs, onSession, authenticated);
  if (result.outcome.kind === 'succeeded' && invoice.mutationId >= 0) countDoubleCharge(ctx, invoice.mutationId);
  return result;
}

/** A retry without the customer present, under its flow's ordering (a restricted account's access may be restored first). */
export function recordRetry(ctx: SimContext, a: AccountState, invoice: SimInvoice): AttemptResult {
  const reversals = commitRetry(ctx, a, invoice);
  const result = recordAttempt(ctx, a, invoice, false);
  settleOffSession(ctx, a, reversals, result.outcome.kind === 'succeeded');
  return result;
}

function countDoubleCharge(ctx: SimContext, mutationId: number): void {
  const m = ctx.mutations[mutationId]!;
  if (m.retryOf >= 0 && ctx.mutations[m.retryOf]!.paid) ctx.metrics.doubleCharges++;
}
