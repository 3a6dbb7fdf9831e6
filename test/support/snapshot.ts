/** Hand-built account snapshots and a pure driver for the recompute engine (no simulator). */
import type { AccountSnapshot, ProviderInvoice } from '../../policies/account.js';
import { applyDiff } from '../../policies/dunning/apply.js';
import { isEmptyDiff, type AccountDiff } from '../../policies/dunning/diff.js';
import { computeDiff, type RecomputeConfig } from '../../policies/dunning/recompute.js';
import { ENTITLEMENT_CORE, ENTITLEMENT_PREMIUM, type Plan } from '../../policies/types.js';

export const PLANS: readonly Plan[] = [
  { id: 0, name: 'pro', monthlyPriceCents: 3000, entitlements: ENTITLEMENT_CORE | ENTITLEMENT_PREMIUM },
];

export function invoice(id: number, fields: Partial<ProviderInvoice> = {}): ProviderInvoice {
  return {
    id,
    kind: 'renewal',
    status: 'open',
    amountCents: 3000,
    createdAtMs: 0,
    firstFailedAtMs: -1,
    paidAtMs: -1,
    attempts: [],
    ...fields,
  };
}

export function snapshot(invoices: readonly ProviderInvoice[]): AccountSnapshot {
  return {
    accountId: 1,
    stripe: {
      provider: 'stripe',
      subscriptionStatus: 'active',
      planId: 0,
      defaultPaymentMethodId: 64,
      paymentMethodUpdatedAtMs: -1,
      hasSucceededCharge: true,
      invoices,
    },
    billingProd: [],
    subsAccount: { planId: 0, status: 'active', entitlements: PLANS[0]!.entitlements },
    subsCustomer: { defaultPaymentMethodId: 64, hasNoSuccessfulPayment: false, badDebt: false },
    subsDunning: {
      inDunning: false,
      failingInvoiceId: -1,
      failureReason: null,
      retryCount: 0,
      escalationLevel: 'none',
      nextRetryAtMs: -1,
    },
    cfProd: { delinquent: false, restriction: 'none' },
  };
}

/** Compute and apply until the diff is empty, as the simulator's engine adapter does. */
export function settle(
  a: AccountSnapshot,
  nowMs: number,
  config: RecomputeConfig,
): { account: AccountSnapshot; diff: AccountDiff } {
  let account = a;
  for (let round = 0; round < 6; round++) {
    const diff = computeDiff(account, nowMs, config);
    if (isEmptyDiff(diff)) return { account, diff };
    account = applyDiff(account, diff);
  }
  throw new Error('did not settle');
}
