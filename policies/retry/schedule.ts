/**
 * A retry schedule is a step function: given now, the attempt history and the
 * payment method on file, it returns when to attempt next, or why not.
 * It is told the time; it never reads a clock.
 */
import { declineInfo } from '../decline-codes.js';
import type { NetworkAttempt } from '../network-rules.js';
import type { AttemptRecord } from '../types.js';

export interface RetryInput {
  readonly nowMs: number;
  readonly amountCents: number;
  /** When the invoice first failed. */
  readonly firstFailedAtMs: number;
  /** Every attempt on the invoice, oldest first; the last one failed. */
  readonly attempts: readonly AttemptRecord[];
  /** The payment method on file now, and when the customer last changed it. */
  readonly paymentMethodId: number;
  readonly paymentMethodUpdatedAtMs: number;
  /**
   * Every attempt on the account's invoices with its invoice's amount, oldest first: the networks
   * count per card across invoices. Absent: the rules see this invoice's attempts only.
   */
  readonly cardHistory?: readonly NetworkAttempt[];
}

export type RetryDecision =
  | { readonly kind: 'retry_at'; readonly atMs: number }
  | { readonly kind: 'await_payment_method' }
  | { readonly kind: 'exhausted' };

export interface RetrySchedule {
  readonly name: string;
  /** Parameters, for `billsim policies show` and the run header. */
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * True when next() never reads input.nowMs: its answer depends on the
   * attempts and the payment method alone, so it cannot change while they do
   * not. A host may then skip asking again until the time it was given.
   * Absent means "may read the time": always safe.
   */
  readonly ignoresNow?: boolean;
  next(input: RetryInput): RetryDecision;
}

export function lastAttempt(input: RetryInput): AttemptRecord {
  const last = input.attempts[input.attempts.length - 1];
  if (last === undefined) throw new Error('RetrySchedule: next() needs at least one failed attempt');
  return last;
}

/** Did the customer put a new payment method on file after the last attempt? */
export function hasNewPaymentMethod(input: RetryInput): boolean {
  const last = lastAttempt(input);
  return input.paymentMethodId !== last.paymentMethodId && input.paymentMethodUpdatedAtMs >= last.atMs;
}

/**
 * What every reason-blind schedule does first: charge a newly added payment
 * method soon, and wait for the customer after a permanent decline or one
 * that needs them. Null when the schedule's own cadence decides.
 */
export function customerFirst(input: RetryInput, newPaymentMethodDelayMs: number): RetryDecision | null {
  const last = lastAttempt(input);
  if (hasNewPaymentMethod(input)) {
    return { kind: 'retry_at', atMs: Math.max(input.paymentMethodUpdatedAtMs, last.atMs) + newPaymentMethodDelayMs };
  }
  const code = last.declineCode;
  if (code !== null && (declineInfo(code).permanent || declineInfo(code).needsCustomer))
    return { kind: 'await_payment_method' };
  return null;
}

/** Failed attempts on the payment method of the last attempt. */
export function failuresOnLastMethod(input: RetryInput): number {
  const last = lastAttempt(input);
  return input.attempts.filter((a) => a.paymentMethodId === last.paymentMethodId && a.declineCode !== null).length;
}
