/** The legacy support repair (policies/dunning/legacy.ts): what support's tools fix, and what they leave stuck. */
import { describe, expect, it } from 'vitest';
import type { AccountSnapshot } from '../../policies/account.js';
import { supportRepair } from '../../policies/dunning/legacy.js';
import {
  badDebtFlagWithoutWriteOff,
  brokenNames,
  inconsistentDebtFlags,
  noSuccessfulPaymentFlagStale,
} from '../../sim/world/check/invariants.js';
import { invoice, PLANS, snapshot } from '../support/snapshot.js';

/** The account after the effect's store writes (cf_prod written directly by support). */
function applied(a: AccountSnapshot): AccountSnapshot {
  const e = supportRepair.repair(a, PLANS);
  const billingProd = [
    ...a.billingProd.filter((r) => !e.billingProd?.some((x) => x.invoiceId === r.invoiceId)),
    ...(e.billingProd ?? []),
  ];
  return {
    ...a,
    billingProd,
    subsAccount: { ...a.subsAccount, ...e.subsAccount },
    subsCustomer: { ...a.subsCustomer, ...e.subsCustomer },
    subsDunning: { ...a.subsDunning, ...e.subsDunning },
    cfProd: { ...a.cfProd, ...e.cfProdDirect },
  };
}

describe('legacy support repair', () => {
  it('does nothing on a consistent account', () => {
    const a = {
      ...snapshot([invoice(1, { status: 'paid' })]),
      billingProd: [{ invoiceId: 1, status: 'paid' as const }],
    };
    expect(supportRepair.repair(a, PLANS)).toEqual({});
  });

  it('clears dunning on a voided upgrade invoice and fixes the billing history', () => {
    const base = snapshot([invoice(7, { kind: 'upgrade', status: 'void' })]);
    const a: AccountSnapshot = {
      ...base,
      subsDunning: { ...base.subsDunning, inDunning: true, failingInvoiceId: 7, escalationLevel: 'notice' },
    };
    expect(brokenNames(a)).toEqual(['dunningOnSettledInvoice', 'invoiceStatusMismatch']);
    expect(brokenNames(applied(a))).toEqual([]);
  });

  it('lifts a restriction only when nothing is owed', () => {
    const base = snapshot([invoice(3, { status: 'uncollectible', firstFailedAtMs: 0 })]);
    const owing: AccountSnapshot = { ...base, cfProd: { delinquent: true, restriction: 'suspend' } };
    expect(supportRepair.repair(owing, PLANS).cfProdDirect).toBeUndefined();
    const paid: AccountSnapshot = {
      ...owing,
      stripe: { ...owing.stripe, invoices: [invoice(3, { status: 'paid', firstFailedAtMs: 0 })] },
    };
    expect(supportRepair.repair(paid, PLANS).cfProdDirect).toEqual({ delinquent: false, restriction: 'none' });
  });

  it('leaves the subs_customer flags: a paid-off bad debt stays drifted, the stale first-payment flag stays', () => {
    const base = snapshot([invoice(3, { status: 'paid', firstFailedAtMs: 0 })]);
    const a: AccountSnapshot = {
      ...base,
      billingProd: [{ invoiceId: 3, status: 'paid' }],
      cfProd: { delinquent: true, restriction: 'suspend' },
      subsCustomer: { ...base.subsCustomer, badDebt: true, hasNoSuccessfulPayment: true },
    };
    const after = applied(a);
    expect(supportRepair.repair(a, PLANS).subsCustomer).toBeUndefined();
    expect(badDebtFlagWithoutWriteOff(after)).toBe(true);
    expect(inconsistentDebtFlags(after)).toBe(true);
    expect(noSuccessfulPaymentFlagStale(after)).toBe(true);
  });

  it('syncs plan, status and entitlements from the provider', () => {
    const base = snapshot([]);
    const a: AccountSnapshot = { ...base, subsAccount: { planId: 5, status: 'past_due', entitlements: 0 } };
    expect(supportRepair.repair(a, PLANS).subsAccount).toEqual({
      planId: 0,
      status: 'active',
      entitlements: PLANS[0]!.entitlements,
    });
  });
});
