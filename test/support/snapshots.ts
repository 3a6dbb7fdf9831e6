/**
 * fast-check arbitraries for account snapshots: any combination of provider
 * truth and (possibly drifted) platform stores.
 */
import { fc } from '@fast-check/vitest';
import type { AccountSnapshot, ProviderInvoice } from '../../policies/account.js';
import { DECLINE_CODES } from '../../policies/decline-codes.js';
import { CONSEQUENCE_LEVELS, MS_PER_DAY, SUBSCRIPTION_STATUSES, type AttemptRecord } from '../../policies/types.js';

const DAY = MS_PER_DAY;

const attemptArb: fc.Arbitrary<AttemptRecord> = fc.record({
  atMs: fc.integer({ min: 0, max: 80 * DAY }),
  paymentMethodId: fc.integer({ min: 0, max: 2 }),
  brand: fc.constantFrom('visa', 'mastercard', 'amex', 'paypal'),
  declineCode: fc.option(fc.constantFrom(...DECLINE_CODES), { nil: null }),
  onSession: fc.boolean(),
});

const invoiceArb = (id: number): fc.Arbitrary<ProviderInvoice> =>
  fc.record({
    id: fc.constant(id),
    kind: fc.constantFrom('renewal', 'upgrade'),
    status: fc.constantFrom('draft', 'open', 'paid', 'uncollectible', 'void'),
    amountCents: fc.integer({ min: 0, max: 100_000 }),
    createdAtMs: fc.integer({ min: 0, max: 60 * DAY }),
    firstFailedAtMs: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 60 * DAY })),
    paidAtMs: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 80 * DAY })),
    attempts: fc.array(attemptArb, { minLength: 1, maxLength: 6 }).map((xs) => [...xs].sort((a, b) => a.atMs - b.atMs)),
  });

export const snapshotArb: fc.Arbitrary<AccountSnapshot> = fc.integer({ min: 0, max: 4 }).chain((n) =>
  fc.record({
    accountId: fc.constant(1),
    stripe: fc.record({
      provider: fc.constantFrom('stripe', 'paypal'),
      subscriptionStatus: fc.constantFrom(...SUBSCRIPTION_STATUSES),
      planId: fc.integer({ min: 0, max: 2 }),
      defaultPaymentMethodId: fc.integer({ min: 0, max: 2 }),
      paymentMethodUpdatedAtMs: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 80 * DAY })),
      hasSucceededCharge: fc.boolean(),
      invoices: fc.tuple(...Array.from({ length: n }, (_, k) => invoiceArb(100 + k))),
    }),
    billingProd: fc
      .array(
        fc.record({
          invoiceId: fc.integer({ min: 100, max: 104 }),
          status: fc.constantFrom('open', 'paid', 'resolved'),
        }),
        { maxLength: 5 },
      )
      .map((rows) => [...new Map(rows.map((r) => [r.invoiceId, r])).values()]),
    subsAccount: fc.record({
      planId: fc.integer({ min: 0, max: 2 }),
      status: fc.constantFrom(...SUBSCRIPTION_STATUSES),
      entitlements: fc.integer({ min: 0, max: 3 }),
    }),
    subsCustomer: fc.record({
      defaultPaymentMethodId: fc.integer({ min: 0, max: 2 }),
      hasNoSuccessfulPayment: fc.boolean(),
      badDebt: fc.boolean(),
    }),
    subsDunning: fc.record({
      inDunning: fc.boolean(),
      failingInvoiceId: fc.integer({ min: -1, max: 104 }),
      failureReason: fc.option(fc.constantFrom(...DECLINE_CODES), { nil: null }),
      retryCount: fc.integer({ min: 0, max: 9 }),
      escalationLevel: fc.constantFrom(...CONSEQUENCE_LEVELS),
      nextRetryAtMs: fc.integer({ min: -1, max: 90 * DAY }),
    }),
    cfProd: fc.record({ delinquent: fc.boolean(), restriction: fc.constantFrom(...CONSEQUENCE_LEVELS) }),
  }),
);

export const nowArb = fc.integer({ min: 0, max: 100 * DAY });
