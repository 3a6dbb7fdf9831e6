/**
 * The named cross-store invariants. Each is one exported predicate over an
 * account's six stores, true when the invariant is BROKEN. The simulator's
 * online checker runs them after every event; the KPI "disagreeing accounts"
 * counts accounts breaking at least one at the end of the settle window; the
 * property tests use the same functions.
 */
import { platformStatusOf, type AccountSnapshot, type ProviderInvoice } from '../../../policies/account.js';
import { severityOf } from '../../../policies/types.js';

export type InvariantPredicate = (account: AccountSnapshot) => boolean;

/** The facts the invariants read from the provider's invoices, gathered in one pass. */
export interface InvoiceFacts {
  /** An open invoice has failed at least once (it is overdue). */
  openFailed: boolean;
  /** An invoice is written off (uncollectible). */
  writtenOff: boolean;
  /** billing_prod misses an invoice or shows it differently from the provider. */
  rowWrong: boolean;
  /** The invoice subs_dunning dunns is known to the provider and open. */
  dunnedOpen: boolean;
}

/** One pass over the provider's invoices. */
export function invoiceFacts(a: AccountSnapshot): InvoiceFacts {
  return invoiceFactsInto({ openFailed: false, writtenOff: false, rowWrong: false, dunnedOpen: false }, a);
}

function invoiceFactsInto(facts: InvoiceFacts, a: AccountSnapshot): InvoiceFacts {
  facts.openFailed = facts.writtenOff = facts.rowWrong = facts.dunnedOpen = false;
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

export function invoiceRowWrong(a: AccountSnapshot, invoice: ProviderInvoice): boolean {
  if (invoice.status === 'draft') return false;
  const row = a.billingProd.find((r) => r.invoiceId === invoice.id);
  return row === undefined || row.status !== platformStatusOf(invoice.status);
}

/** Nothing overdue and nothing written off. */
function owesNothing(f: InvoiceFacts): boolean {
  return !f.openFailed && !f.writtenOff;
}

/**
 * An invariant's rule: broken, given the account and the facts of its invoices.
 * The facts come through `f`, so a rule that is decided by the flags alone (most
 * accounts are not dunning, most are not delinquent) never walks the invoices.
 */
type Rule = (a: AccountSnapshot, f: () => InvoiceFacts) => boolean;

/**
 * Each invariant, defined once. The exported predicates and the online
 * checker's brokenMask both evaluate these rules; a predicate gathers the
 * invoice facts only if its rule asks, brokenMask once for all of them.
 */
const RULES = {
  /** subs_dunning dunns an invoice that the provider says is paid, void or written off (or does not know). */
  dunningOnSettledInvoice: (a, f) => a.subsDunning.inDunning && !f().dunnedOpen,
  /** The provider has an open invoice that failed, and subs_dunning is not dunning anything. */
  overdueInvoiceNotDunned: (a, f) => !a.subsDunning.inDunning && f().openFailed,
  /** cf_prod is delinquent or restricts access while nothing is overdue or written off. */
  delinquentWithNothingOverdue: (a, f) =>
    (a.cfProd.delinquent || severityOf(a.cfProd.restriction) >= severityOf('restrict_premium')) && owesNothing(f()),
  /** Bad-debt drift: a bad-debt flag with no written-off invoice. */
  badDebtFlagWithoutWriteOff: (a, f) => a.subsCustomer.badDebt && !f().writtenOff,
  /** Debt flags that contradict each other across subs_customer, subs_dunning and cf_prod. */
  inconsistentDebtFlags: (a) =>
    (a.cfProd.delinquent && !a.subsDunning.inDunning && !a.subsCustomer.badDebt) ||
    (a.subsCustomer.badDebt && a.cfProd.restriction === 'none'),
  /** has_no_successful_payment set for a customer with a succeeded charge. */
  noSuccessfulPaymentFlagStale: (a) => a.subsCustomer.hasNoSuccessfulPayment && a.stripe.hasSucceededCharge,
  /** The platform's subscription status differs from the provider's. */
  subscriptionStatusMismatch: (a) => a.subsAccount.status !== a.stripe.subscriptionStatus,
  /** The platform's plan differs from the provider's (an upgrade committed, never paid, never reverted). */
  planMismatch: (a) => a.subsAccount.planId !== a.stripe.planId,
  /** billing_prod is missing an invoice or shows it paid/open/resolved differently from the provider. */
  invoiceStatusMismatch: (_a, f) => f().rowWrong,
  /** subs_customer's default payment method differs from the provider's. */
  paymentMethodMismatch: (a) => a.subsCustomer.defaultPaymentMethodId !== a.stripe.defaultPaymentMethodId,
  /** Entitlements granted on a subscription the provider has canceled. */
  entitlementsOnCanceledSubscription: (a) =>
    a.stripe.subscriptionStatus === 'canceled' && a.subsAccount.entitlements !== 0,
} satisfies Record<string, Rule>;

type InvariantName = keyof typeof RULES;

function predicate(name: InvariantName): InvariantPredicate {
  const rule: Rule = RULES[name];
  return (a) => rule(a, () => invoiceFacts(a));
}

export const dunningOnSettledInvoice = predicate('dunningOnSettledInvoice');
export const overdueInvoiceNotDunned = predicate('overdueInvoiceNotDunned');
export const delinquentWithNothingOverdue = predicate('delinquentWithNothingOverdue');
export const badDebtFlagWithoutWriteOff = predicate('badDebtFlagWithoutWriteOff');
export const inconsistentDebtFlags = predicate('inconsistentDebtFlags');
export const noSuccessfulPaymentFlagStale = predicate('noSuccessfulPaymentFlagStale');
export const subscriptionStatusMismatch = predicate('subscriptionStatusMismatch');
export const planMismatch = predicate('planMismatch');
export const invoiceStatusMismatch = predicate('invoiceStatusMismatch');
export const paymentMethodMismatch = predicate('paymentMethodMismatch');
export const entitlementsOnCanceledSubscription = predicate('entitlementsOnCanceledSubscription');

const RULE_LIST: readonly Rule[] = Object.values(RULES);

export const INVARIANTS: readonly { readonly name: string; readonly broken: InvariantPredicate }[] = (
  Object.keys(RULES) as InvariantName[]
).map((name) => ({ name, broken: predicate(name) }));
export const INVARIANT_NAMES: readonly string[] = INVARIANTS.map((i) => i.name);

/** The bit of the named invariant in a brokenMask: bit k for INVARIANTS[k]. */
export function invariantBit(name: string): number {
  const k = INVARIANT_NAMES.indexOf(name);
  if (k < 0) throw new Error(`no invariant named ${name}`);
  return 1 << k;
}

/** brokenMask runs after most events: its facts live in one scratch object, read before the next call. */
const SCRATCH_FACTS: InvoiceFacts = { openFailed: false, writtenOff: false, rowWrong: false, dunnedOpen: false };
const scratchFacts = (): InvoiceFacts => SCRATCH_FACTS;

/** Bit k set when invariant k is broken: the online checker's hot path, one pass over the invoices for all rules. */
export function brokenMask(a: AccountSnapshot): number {
  invoiceFactsInto(SCRATCH_FACTS, a);
  const f = scratchFacts;
  let mask = 0;
  for (let k = 0; k < RULE_LIST.length; k++) if (RULE_LIST[k]!(a, f)) mask |= 1 << k;
  return mask;
}

export function brokenNames(account: AccountSnapshot): string[] {
  return INVARIANTS.filter((i) => i.broken(account)).map((i) => i.name);
}
