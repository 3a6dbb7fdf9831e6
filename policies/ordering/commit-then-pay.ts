/**
 * Legacy ordering: write the new plan and entitlements, then charge; when the
 * charge fails, roll the writes back. A timeout is treated as a failure and the
 * customer tries again with a new request (no idempotency key).
 */
import type { PaymentOrdering } from './ordering.js';

export function commitThenPay(): PaymentOrdering {
  return {
    name: 'commit-then-pay',
    commitBeforePayment: true,
    paymentBehavior: 'error_if_incomplete',
    updatePaymentBehavior: 'error_if_incomplete',
    idempotencyKeys: false,
    afterPayment(outcome) {
      return outcome.kind === 'succeeded' ? 'keep' : 'revert';
    },
  };
}
