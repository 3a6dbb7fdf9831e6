/**
 * The independent oracle: a deliberately simple reference model of what the
 * platform's stores must say once they have caught up with the provider.
 * Written from the domain brief, apart from the recompute engine, and it
 * never calls it. Only the fields whose truth needs no policy choice are
 * modelled (the retry time and the consequence level are the policies' own).
 */
import type { AccountSnapshot, ProviderState } from '../../../policies/account.js';

export interface ExpectedStores {
  readonly invoiceRows: ReadonlyMap<number, 'open' | 'paid' | 'resolved'>;
  readonly subscriptionStatus: string;
  readonly planId: number;
  readonly paymentMethodId: number;
  readonly hasNoSuccessfulPayment: boolean;
  readonly badDebt: boolean;
  readonly inDunning: boolean;
  readonly failingInvoiceId: number;
  readonly owesNothing: boolean;
}

export function expectedStores(p: ProviderState): ExpectedStores {
  const rows = new Map<number, 'open' | 'paid' | 'resolved'>();
  let failing = -1,
    failingSinceMs = Infinity,
    owes = false;
  for (const i of p.invoices) {
    if (i.status === 'draft') continue;
    rows.set(i.id, i.status === 'paid' ? 'paid' : i.status === 'open' ? 'open' : 'resolved');
    const failed = i.firstFailedAtMs >= 0;
    // Owed: an open invoice that failed, or any written-off one (bad debt whether or not a charge failed:
    // no payment method on file, an invoice sent for manual payment), as the cross-store invariants say.
    if ((failed && i.status === 'open') || i.status === 'uncollectible') owes = true;
    if (failed && i.status === 'open' && i.firstFailedAtMs < failingSinceMs) {
      failing = i.id;
      failingSinceMs = i.firstFailedAtMs;
    }
  }
  return {
    invoiceRows: rows,
    subscriptionStatus: p.subscriptionStatus,
    planId: p.planId,
    paymentMethodId: p.defaultPaymentMethodId,
    hasNoSuccessfulPayment: !p.hasSucceededCharge,
    badDebt: p.invoices.some((i) => i.status === 'uncollectible'),
    inDunning: failing >= 0,
    failingInvoiceId: failing,
    owesNothing: !owes,
  };
}

/** The fields where the platform's stores disagree with the oracle (empty when they agree). */
export function disagreementsWithOracle(a: AccountSnapshot): string[] {
  const want = expectedStores(a.stripe);
  const out: string[] = [];
  for (const [id, status] of want.invoiceRows) {
    if (a.billingProd.find((r) => r.invoiceId === id)?.status !== status) out.push(`billing_prod[${id}]`);
  }
  if (a.subsAccount.status !== want.subscriptionStatus) out.push('subs_account.status');
  if (a.subsAccount.planId !== want.planId) out.push('subs_account.planId');
  if (a.subsCustomer.defaultPaymentMethodId !== want.paymentMethodId) out.push('subs_customer.defaultPaymentMethodId');
  if (a.subsCustomer.hasNoSuccessfulPayment !== want.hasNoSuccessfulPayment)
    out.push('subs_customer.hasNoSuccessfulPayment');
  if (a.subsCustomer.badDebt !== want.badDebt) out.push('subs_customer.badDebt');
  if (a.subsDunning.inDunning !== want.inDunning) out.push('subs_dunning.inDunning');
  if (want.inDunning && a.subsDunning.failingInvoiceId !== want.failingInvoiceId)
    out.push('subs_dunning.failingInvoiceId');
  if (want.owesNothing && (a.cfProd.delinquent || a.cfProd.restriction !== 'none')) out.push('cf_prod.restriction');
  return out;
}
