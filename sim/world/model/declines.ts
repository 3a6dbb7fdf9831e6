/**
 * How the simulated providers answer a payment attempt. Outcomes are drawn
 * from the `declines` stream keyed by (account, invoice draw key, attempt), so
 * the same attempt of the same invoice has the same fate whatever policy made it.
 */
import { inPaydayWindow } from '../../../policies/calendar.js';
import { declineInfo } from '../../../policies/decline-codes.js';
import type { DeclineCode, PaymentOutcome } from '../../../policies/types.js';
import type { Stream } from '../kernel/rng.js';
import type { Scenario } from '../scenario/schema.js';
import type { AccountState, SimInvoice } from './state.js';
import { ATTEMPT_STRIDE, DECLINES } from '../kernel/slots.js';
import { refreshedByUpdater, retryDecline } from './recovery.js';
import { pickWeighted } from './weights.js';

export interface AttemptContext {
  readonly nowMs: number;
  readonly onSession: boolean;
  readonly paymentMethodId: number;
  /** The customer has just completed 3-D Secure for this payment. */
  readonly authenticated: boolean;
}

export function drawOutcome(
  s: Scenario,
  stream: Stream,
  a: AccountState,
  invoice: SimInvoice,
  ctx: AttemptContext,
): PaymentOutcome {
  const k = invoice.attempts.length;
  const key = invoice.id;
  if (
    ctx.onSession &&
    !ctx.authenticated &&
    stream.chance(s.declines.requiresActionRate, a.accountId, key, k * ATTEMPT_STRIDE + DECLINES.requiresAction)
  )
    return { kind: 'requires_action' };
  if (a.sim.provider === 'stripe' && ctx.nowMs >= a.sim.card.expiresAtMs && !updated(s, stream, a, ctx.nowMs))
    return declined('expired_card');
  const previous = invoice.attempts[k - 1];
  if (previous === undefined || previous.declineCode === null) return firstAttempt(s, stream, a, invoice, ctx);
  if (previous.paymentMethodId !== ctx.paymentMethodId) {
    return stream.chance(
      s.declines.newPaymentMethodSuccess,
      a.accountId,
      key,
      k * ATTEMPT_STRIDE + DECLINES.newPaymentMethodSucceeds,
    )
      ? { kind: 'succeeded' }
      : firstAttempt(s, stream, a, invoice, ctx);
  }
  if (declineInfo(previous.declineCode).permanent)
    return permanentRetry(s, stream, a, invoice, ctx, previous.declineCode);
  if (s.recovery.model === 'time-aware') {
    const code = retryDecline(s, stream, a, invoice, previous.declineCode, ctx.nowMs, ctx.paymentMethodId);
    return code === null ? { kind: 'succeeded' } : declined(code);
  }
  const p = Math.min(1, retrySuccess(s, previous.declineCode) * paydayFactor(s, ctx.nowMs));
  return stream.chance(p, a.accountId, key, k * ATTEMPT_STRIDE + DECLINES.retrySucceeds)
    ? { kind: 'succeeded' }
    : declined(previous.declineCode);
}

/** Time-aware: has the account updater refreshed the expired card by now? The fixed-chance model has no updater. */
function updated(s: Scenario, stream: Stream, a: AccountState, nowMs: number): boolean {
  return s.recovery.model === 'time-aware' && refreshedByUpdater(s, stream, a, nowMs);
}

/**
 * A retry on the card that declined for good. An expired card the account updater has
 * refreshed since (time-aware) is charged afresh; any other permanent decline stands.
 */
function permanentRetry(
  s: Scenario,
  stream: Stream,
  a: AccountState,
  invoice: SimInvoice,
  ctx: AttemptContext,
  code: DeclineCode,
): PaymentOutcome {
  if (code !== 'expired_card' || a.sim.card.expiresAtMs !== Number.POSITIVE_INFINITY) return declined(code);
  if (s.recovery.model !== 'time-aware' || a.sim.provider !== 'stripe') return declined(code);
  return firstAttempt(s, stream, a, invoice, ctx);
}

function firstAttempt(
  s: Scenario,
  stream: Stream,
  a: AccountState,
  invoice: SimInvoice,
  ctx: AttemptContext,
): PaymentOutcome {
  const k = invoice.attempts.length;
  const rate = ctx.onSession ? s.declines.onSessionFailureRate : s.declines.renewalFailureRate;
  if (!stream.chance(rate, a.accountId, invoice.id, k * ATTEMPT_STRIDE + DECLINES.firstAttemptFails))
    return { kind: 'succeeded' };
  const u = stream.u01(a.accountId, invoice.id, k * ATTEMPT_STRIDE + DECLINES.declinePick);
  if (a.sim.provider === 'paypal') return declined(u < 0.15 ? 'billing_agreement_revoked' : 'paypal_funding_failed');
  return declined(pickWeighted(s.declines.mix, u));
}

function declined(declineCode: DeclineCode): PaymentOutcome {
  return { kind: 'declined', declineCode };
}

function retrySuccess(s: Scenario, code: DeclineCode): number {
  return s.declines.retrySuccess[code] ?? s.declines.retrySuccess.default ?? 0.15;
}

/** Money arrives around paydays: the 1st to 3rd and the 15th to 17th of the month (policies/calendar.ts). */
export function paydayFactor(s: Scenario, nowMs: number): number {
  return inPaydayWindow(nowMs) ? s.declines.paydayBoost : 1;
}
