import { test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { isOwed, platformStatusOf, type AccountSnapshot } from '../../../policies/account.js';
import { severityOf } from '../../../policies/types.js';
import { brokenMask, brokenNames, INVARIANTS } from '../../../sim/world/check/invariants.js';
import { snapshotArb } from '../../support/snapshots.js';

/** Each invariant as its plain definition, reading the stores directly: the oracle for the one-pass rules. */
const ORACLE: Readonly<Record<string, (a: AccountSnapshot) => boolean>> = {
  dunningOnSettledInvoice: (a) =>
    a.subsDunning.inDunning &&
    a.stripe.invoices.find((i) => i.id === a.subsDunning.failingInvoiceId)?.status !== 'open',
  overdueInvoiceNotDunned: (a) =>
    !a.subsDunning.inDunning && a.stripe.invoices.some((i) => i.status === 'open' && i.firstFailedAtMs >= 0),
  delinquentWithNothingOverdue: (a) =>
    (a.cfProd.delinquent || severityOf(a.cfProd.restriction) >= severityOf('restrict_premium')) &&
    !a.stripe.invoices.some(isOwed),
  badDebtFlagWithoutWriteOff: (a) =>
    a.subsCustomer.badDebt && !a.stripe.invoices.some((i) => i.status === 'uncollectible'),
  inconsistentDebtFlags: (a) =>
    (a.cfProd.delinquent && !a.subsDunning.inDunning && !a.subsCustomer.badDebt) ||
    (a.subsCustomer.badDebt && a.cfProd.restriction === 'none'),
  noSuccessfulPaymentFlagStale: (a) => a.subsCustomer.hasNoSuccessfulPayment && a.stripe.hasSucceededCharge,
  subscriptionStatusMismatch: (a) => a.subsAccount.status !== a.stripe.subscriptionStatus,
  planMismatch: (a) => a.subsAccount.planId !== a.stripe.planId,
  invoiceStatusMismatch: (a) =>
    a.stripe.invoices.some(
      (i) =>
        i.status !== 'draft' && a.billingProd.find((r) => r.invoiceId === i.id)?.status !== platformStatusOf(i.status),
    ),
  paymentMethodMismatch: (a) => a.subsCustomer.defaultPaymentMethodId !== a.stripe.defaultPaymentMethodId,
  entitlementsOnCanceledSubscription: (a) =>
    a.stripe.subscriptionStatus === 'canceled' && a.subsAccount.entitlements !== 0,
};

describe('the named invariants and brokenMask (one pass over the invoices)', () => {
  test.prop([snapshotArb], { numRuns: 1000 })(
    'each predicate and each mask bit agree with the plain definition',
    (snapshot) => {
      expect(INVARIANTS.map((i) => i.name)).toEqual(Object.keys(ORACLE));
      const want = INVARIANTS.reduce((mask, inv, k) => (ORACLE[inv.name]!(snapshot) ? mask | (1 << k) : mask), 0);
      for (const inv of INVARIANTS) expect(inv.broken(snapshot), inv.name).toBe(ORACLE[inv.name]!(snapshot));
      expect(brokenMask(snapshot)).toBe(want);
      expect(INVARIANTS.filter((_, k) => (want & (1 << k)) !== 0).map((i) => i.name)).toEqual(brokenNames(snapshot));
    },
  );
});
