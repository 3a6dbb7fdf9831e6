/**
 * Target ordering (PDE): create the invoice with payment_behavior
 * default_incomplete, confirm, and commit only once the payment succeeded.
 * Nothing is committed before, so there is nothing to roll back.
 */
import type { PaymentOrdering } from './ordering.js';

export function payBeforeCommit(): PaymentOrdering {
  return {
    name: 'pay-before-commit',
    commitBeforePayment: false,
    paymentBehavior: 'default_incomplete',
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
