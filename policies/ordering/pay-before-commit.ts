/**
 * Target ordering (PDE): create a subscription with payment_behavior
 * default_incomplete, update one with pending_if_incomplete (Stripe holds the
 * change until it is paid), confirm, and commit only once the payment
 * succeeded. Nothing is committed before, so there is nothing to roll back.
 * With default_incomplete on updates Stripe applies the change at once, paid
 * or not: the platform commits nothing, but the provider does (docs/policies.md).
 */
import type { PaymentOrdering, UpdatePaymentBehavior } from './ordering.js';

export function payBeforeCommit(
  updatePaymentBehavior: UpdatePaymentBehavior = 'pending_if_incomplete',
): PaymentOrdering {
  return {
    name:
      updatePaymentBehavior === 'pending_if_incomplete'
        ? 'pay-before-commit'
        : `pay-before-commit(${updatePaymentBehavior})`,
    commitBeforePayment: false,
    paymentBehavior: 'default_incomplete',
    updatePaymentBehavior,
    idempotencyKeys: true,
    afterPayment(outcome) {
      switch (outcome.kind) {
        case 'succeeded':
          return 'commit';
        case 'declined':
          return 'discard';
        case 'requires_action':
          return 'await_customer';
        case 'timeout':
          return 'query_provider';
      }
    },
  };
}
