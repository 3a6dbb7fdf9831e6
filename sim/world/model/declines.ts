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
  if (a.sim.provider === 'stripe' && ctx.nowMs >= a.sim.card.expiresAtMs) return declined('expired_card');
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
  if (declineInfo(previous.declineCode).permanent) return declined(previous.declineCode);
  const p = Math.min(1, retrySuccess(s, previous.declineCode) * paydayFactor(s, ctx.nowMs));
  return stream.chance(p, a.accountId, key, k * ATTEMPT_STRIDE + DECLINES.retrySucceeds)
    ? { kind: 'succeeded' }
    : declined(previous.declineCode);
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

interface WeightTable {
  readonly keys: readonly string[];
  /** Running share of the total weight, in key order. */
  readonly cumulative: readonly number[];
}

/** Weight tables by weights object: scenario weights are read-only, so each is built once per run, not per draw. */
const weightTables = new WeakMap<object, WeightTable>();

function weightTableOf(weights: Readonly<Record<string, number | undefined>>): WeightTable {
  let table = weightTables.get(weights);
  if (table !== undefined) return table;
  const entries = (Object.entries(weights) as [string, number][]).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let acc = 0;
  table = { keys: entries.map(([key]) => key), cumulative: entries.map(([, w]) => (acc += w / total)) };
  weightTables.set(weights, table);
  return table;
}

/** The key whose share of the total weight covers u in [0, 1). */
export function pickWeighted<K extends string>(weights: Partial<Record<K, number>>, u: number): K {
  const { keys, cumulative } = weightTableOf(weights as Readonly<Record<string, number | undefined>>);
  for (let k = 0; k < keys.length; k++) if (u < cumulative[k]!) return keys[k] as K;
  return keys[keys.length - 1] as K;
}
