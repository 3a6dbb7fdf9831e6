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

/**
 * Stripe's payment_behavior on a subscription update (an upgrade), which decides whether the
 * change takes effect before it is paid (https://docs.stripe.com/billing/subscriptions/pending-updates,
 * https://docs.stripe.com/api/subscriptions/update#update_subscription-payment_behavior):
 * - 'pending_if_incomplete': the change is held as a pending update and applied only once the
 *   invoice is paid; nothing changes if the payment fails.
 * - 'default_incomplete': the change is applied at once and its invoice left open for the caller
 *   to confirm; if the payment fails the subscription keeps the new price, unpaid (past_due).
 * - 'error_if_incomplete': the update fails, and is not applied, when the payment fails.
 */
export type UpdatePaymentBehavior = 'pending_if_incomplete' | 'default_incomplete' | 'error_if_incomplete';

/** Does the provider apply a subscription update before its payment succeeds? */
export function updateAppliedBeforePayment(behavior: UpdatePaymentBehavior): boolean {
  return behavior === 'default_incomplete';
}

export interface PaymentOrdering {
  readonly name: string;
  /** Commit the mutation's state before charging. */
  readonly commitBeforePayment: boolean;
  /** Stripe's payment_behavior when a subscription is created. */
  readonly paymentBehavior: 'allow_incomplete' | 'error_if_incomplete' | 'default_incomplete';
  /** Stripe's payment_behavior when a subscription is updated (an upgrade): a policy choice. */
  readonly updatePaymentBehavior: UpdatePaymentBehavior;
  /** Reuse one idempotency key for every try of the same mutation. */
  readonly idempotencyKeys: boolean;
  afterPayment(outcome: PaymentOutcome): AfterPayment;
}
