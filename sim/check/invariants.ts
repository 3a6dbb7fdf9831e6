/**
 * The named cross-store invariants. Each is one exported predicate over an
 * account's six stores, true when the invariant is BROKEN. The simulator's
 * online checker runs them after every event; the KPI "disagreeing accounts"
 * counts accounts breaking at least one at the end of the settle window; the
 * property tests use the same functions.
 */
import { isOwed, platformStatusOf, type AccountSnapshot, type ProviderInvoice } from '../../policies/account.js';
import { severityOf } from '../../policies/types.js';

export type InvariantPredicate = (account: AccountSnapshot) => boolean;

function owesAnything(invoices: readonly ProviderInvoice[]): boolean {
  return invoices.some(isOwed);
}

/** subs_dunning dunns an invoice that the provider says is paid, void or written off (or does not know). */
export const dunningOnSettledInvoice: InvariantPredicate = (a) => {
  if (!a.subsDunning.inDunning) return false;
  const invoice = a.stripe.invoices.find((i) => i.id === a.subsDunning.failingInvoiceId);
  return invoice === undefined || invoice.status !== 'open';
};

/** The provider has an open invoice that failed, and subs_dunning is not dunning anything. */
export const overdueInvoiceNotDunned: InvariantPredicate = (a) =>
  !a.subsDunning.inDunning && a.stripe.invoices.some((i) => i.status === 'open' && i.firstFailedAtMs >= 0);

/** cf_prod is delinquent or restricts access while nothing is overdue or written off. */
export const delinquentWithNothingOverdue: InvariantPredicate = (a) =>
  (a.cfProd.delinquent || severityOf(a.cfProd.restriction) >= severityOf('restrict_premium')) && !owesAnything(a.stripe.invoices);

/** Bad-debt drift: a bad-debt flag with no written-off invoice. */
export const badDebtFlagWithoutWriteOff: InvariantPredicate = (a) =>
  a.subsCustomer.badDebt && !a.stripe.invoices.some((i) => i.status === 'uncollectible');

/** Debt flags that contradict each other across subs_customer, subs_dunning and cf_prod. */
export const inconsistentDebtFlags: InvariantPredicate = (a) =>
  (a.cfProd.delinquent && !a.subsDunning.inDunning && !a.subsCustomer.badDebt)
  || (a.subsCustomer.badDebt && a.cfProd.restriction === 'none');

/** has_no_successful_payment set for a customer with a succeeded charge. */
export const noSuccessfulPaymentFlagStale: InvariantPredicate = (a) =>
  a.subsCustomer.hasNoSuccessfulPayment && a.stripe.hasSucceededCharge;

/** The platform's subscription status differs from the provider's. */
export const subscriptionStatusMismatch: InvariantPredicate = (a) => a.subsAccount.status !== a.stripe.subscriptionStatus;

/** The platform's plan differs from the provider's (an upgrade committed, never paid, never reverted). */
export const planMismatch: InvariantPredicate = (a) => a.subsAccount.planId !== a.stripe.planId;

/** billing_prod is missing an invoice or shows it paid/open/resolved differently from the provider. */
export const invoiceStatusMismatch: InvariantPredicate = (a) => a.stripe.invoices.some((i) => invoiceRowWrong(a, i));

export function invoiceRowWrong(a: AccountSnapshot, invoice: ProviderInvoice): boolean {
  if (invoice.status === 'draft') return false;
  const row = a.billingProd.find((r) => r.invoiceId === invoice.id);
  return row === undefined || row.status !== platformStatusOf(invoice.status);
}

/** subs_customer's default payment method differs from the provider's. */
export const paymentMethodMismatch: InvariantPredicate = (a) =>
  a.subsCustomer.defaultPaymentMethodId !== a.stripe.defaultPaymentMethodId;

/** Entitlements granted on a subscription the provider has canceled. */
export const entitlementsOnCanceledSubscription: InvariantPredicate = (a) =>
  a.stripe.subscriptionStatus === 'canceled' && a.subsAccount.entitlements !== 0;

export const INVARIANTS: readonly { readonly name: string; readonly broken: InvariantPredicate }[] = [
  { name: 'dunningOnSettledInvoice', broken: dunningOnSettledInvoice },
  { name: 'overdueInvoiceNotDunned', broken: overdueInvoiceNotDunned },
  { name: 'delinquentWithNothingOverdue', broken: delinquentWithNothingOverdue },
  { name: 'badDebtFlagWithoutWriteOff', broken: badDebtFlagWithoutWriteOff },
  { name: 'inconsistentDebtFlags', broken: inconsistentDebtFlags },
  { name: 'noSuccessfulPaymentFlagStale', broken: noSuccessfulPaymentFlagStale },
  { name: 'subscriptionStatusMismatch', broken: subscriptionStatusMismatch },
  { name: 'planMismatch', broken: planMismatch },
  { name: 'invoiceStatusMismatch', broken: invoiceStatusMismatch },
  { name: 'paymentMethodMismatch', broken: paymentMethodMismatch },
  { name: 'entitlementsOnCanceledSubscription', broken: entitlementsOnCanceledSubscription },
];
export const INVARIANT_NAMES: readonly string[] = INVARIANTS.map((i) => i.name);

/** Bit k set when invariant k is broken. */
export function brokenMask(account: AccountSnapshot): number {
  let mask = 0;
  for (let k = 0; k < INVARIANTS.length; k++) if (INVARIANTS[k]!.broken(account)) mask |= 1 << k;
  return mask;
}

export function brokenNames(account: AccountSnapshot): string[] {
  return INVARIANTS.filter((i) => i.broken(account)).map((i) => i.name);
}
