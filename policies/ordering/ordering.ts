/**
 * Payment ordering: when state is committed relative to the payment.
 * A policy returns what to do; the caller (simulator, production) does it.
 */
import type { PaymentOutcome } from '../types.js';

/** What the caller does with the committed state once the payment outcome is known. */
export type AfterPayment =
  /** Payment confirmed and state was committed before it: nothing to do. */
  | 'keep'
  /** Payment confirmed and nothing was committed yet: commit now. */
  | 'commit'
  /** Payment failed after the state was committed: revert it (a rollback). */
  | 'revert'
  /** Payment failed and nothing was committed: void the incomplete invoice. */
  | 'discard'
  /** The customer must act (3-D Secure): keep the invoice incomplete and wait. */
  | 'await_customer'
  /** The outcome is unknown (timeout): ask the provider, with the same idempotency key. */
  | 'query_provider';

export interface PaymentOrdering {
  readonly name: string;
  /** Commit the mutation's state before charging. */
  readonly commitBeforePayment: boolean;
  /** Stripe's payment_behavior for the invoice or subscription change. */
  readonly paymentBehavior: 'allow_incomplete' | 'error_if_incomplete' | 'default_incomplete';
  /** Reuse one idempotency key for every try of the same mutation. */
  readonly idempotencyKeys: boolean;
  afterPayment(outcome: PaymentOutcome): AfterPayment;
}
