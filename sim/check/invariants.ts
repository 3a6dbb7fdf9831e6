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

/** Bit of each invariant in a mask: bit k for INVARIANTS[k]. */
const BIT: Readonly<Record<string, number>> = Object.fromEntries(INVARIANT_NAMES.map((name, k) => [name, 1 << k]));

/** The bit of the named invariant in a brokenMask. */
export function invariantBit(name: string): number {
  const bit = BIT[name];
  if (bit === undefined) throw new Error(`no invariant named ${name}`);
  return bit;
}

/** The facts the invariants read from the provider's invoices, gathered in one pass. */
interface InvoiceFacts {
  openFailed: boolean;
  writtenOff: boolean;
  rowWrong: boolean;
  /** The invoice subs_dunning dunns is known to the provider and open. */
  dunnedOpen: boolean;
}

function invoiceFacts(a: AccountSnapshot): InvoiceFacts {
  const facts = { openFailed: false, writtenOff: false, rowWrong: false, dunnedOpen: false };
  const dunnedId = a.subsDunning.failingInvoiceId;
  let dunnedSeen = false;
  for (const i of a.stripe.invoices) {
    if (i.status === 'open' && i.firstFailedAtMs >= 0) facts.openFailed = true;
    if (i.status === 'uncollectible') facts.writtenOff = true;
    if (!facts.rowWrong && invoiceRowWrong(a, i)) facts.rowWrong = true;
    if (!dunnedSeen && i.id === dunnedId) {
      dunnedSeen = true;
      facts.dunnedOpen = i.status === 'open';
    }
  }
  return facts;
}

/** The predicates brokenMask evaluates inline; any other (a newly added one) is called as written. */
const INLINED = ['dunningOnSettledInvoice', 'overdueInvoiceNotDunned', 'delinquentWithNothingOverdue', 'badDebtFlagWithoutWriteOff',
  'inconsistentDebtFlags', 'noSuccessfulPaymentFlagStale', 'subscriptionStatusMismatch', 'planMismatch', 'invoiceStatusMismatch',
  'paymentMethodMismatch', 'entitlementsOnCanceledSubscription'];
const CALLED = INVARIANTS.filter((i) => !INLINED.includes(i.name)).map((i) => ({ bit: BIT[i.name]!, broken: i.broken }));

/**
 * Bit k set when invariant k is broken: the online checker's hot path, so the
 * predicates above are written out inline here, with the invoice-reading ones
 * evaluated from one pass over the invoices (test/check/invariants.test.ts
 * checks the mask against every predicate).
 */
export function brokenMask(a: AccountSnapshot): number {
  const facts = invoiceFacts(a);
  const dunning = a.subsDunning, cf = a.cfProd, customer = a.subsCustomer, account = a.subsAccount, stripe = a.stripe;
  let mask = 0;
  if (dunning.inDunning && !facts.dunnedOpen) mask |= BIT.dunningOnSettledInvoice!;
  if (!dunning.inDunning && facts.openFailed) mask |= BIT.overdueInvoiceNotDunned!;
  const restricted = cf.delinquent || severityOf(cf.restriction) >= severityOf('restrict_premium');
  if (restricted && !facts.openFailed && !facts.writtenOff) mask |= BIT.delinquentWithNothingOverdue!;
  if (customer.badDebt && !facts.writtenOff) mask |= BIT.badDebtFlagWithoutWriteOff!;
  if ((cf.delinquent && !dunning.inDunning && !customer.badDebt) || (customer.badDebt && cf.restriction === 'none')) mask |= BIT.inconsistentDebtFlags!;
  if (customer.hasNoSuccessfulPayment && stripe.hasSucceededCharge) mask |= BIT.noSuccessfulPaymentFlagStale!;
  if (account.status !== stripe.subscriptionStatus) mask |= BIT.subscriptionStatusMismatch!;
  if (account.planId !== stripe.planId) mask |= BIT.planMismatch!;
  if (facts.rowWrong) mask |= BIT.invoiceStatusMismatch!;
  if (customer.defaultPaymentMethodId !== stripe.defaultPaymentMethodId) mask |= BIT.paymentMethodMismatch!;
  if (stripe.subscriptionStatus === 'canceled' && account.entitlements !== 0) mask |= BIT.entitlementsOnCanceledSubscription!;
  for (const c of CALLED) if (c.broken(a)) mask |= c.bit;
  return mask;
}

export function brokenNames(account: AccountSnapshot): string[] {
  return INVARIANTS.filter((i) => i.broken(account)).map((i) => i.name);
}
