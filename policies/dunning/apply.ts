/**
 * applyDiff: the pure counterpart of the simulator's writer. Returns the
 * snapshot with the diff applied, provider commands included, so that
 * properties such as "compute after apply is empty" can be checked.
 */
import { subscriptionStatusFor, type AccountSnapshot, type BillingProdRow, type ProviderInvoice } from '../account.js';
import type { AccountDiff, ProviderCommand } from './diff.js';

export function applyDiff(snapshot: AccountSnapshot, diff: AccountDiff): AccountSnapshot {
  return {
    accountId: snapshot.accountId,
    stripe: applyProviderCommands(snapshot.stripe, diff.commands),
    billingProd: mergeBillingProd(snapshot.billingProd, diff.billingProd),
    subsAccount: { ...snapshot.subsAccount, ...diff.subsAccount },
    subsCustomer: { ...snapshot.subsCustomer, ...diff.subsCustomer },
    subsDunning: { ...snapshot.subsDunning, ...diff.subsDunning },
    cfProd: { ...snapshot.cfProd, ...diff.cfProd },
  };
}

function mergeBillingProd(have: readonly BillingProdRow[], changes: readonly BillingProdRow[]): BillingProdRow[] {
  const rows = new Map(have.map((row) => [row.invoiceId, row]));
  for (const row of changes) rows.set(row.invoiceId, row);
  return [...rows.values()].sort((a, b) => a.invoiceId - b.invoiceId);
}

/** The provider's state once it has carried out the commands (its own rules, as the provider applies them). */
export function applyProviderCommands(
  stripe: AccountSnapshot['stripe'],
  commands: readonly ProviderCommand[],
): AccountSnapshot['stripe'] {
  if (commands.length === 0) return stripe;
  let invoices: readonly ProviderInvoice[] = stripe.invoices;
  let subscriptionStatus = stripe.subscriptionStatus;
  let cancelAtPeriodEnd = stripe.cancelAtPeriodEnd === true;
  for (const c of commands) {
    if (c.kind === 'mark_uncollectible') {
      invoices = invoices.map((i) =>
        i.id === c.invoiceId && i.status === 'open' ? { ...i, status: 'uncollectible' } : i,
      );
    } else if (c.kind === 'resume_subscription') {
      cancelAtPeriodEnd = false;
    } else if (c.when === 'end_of_term') {
      cancelAtPeriodEnd = true;
    } else {
      subscriptionStatus = 'canceled';
    }
  }
  return {
    ...stripe,
    invoices,
    cancelAtPeriodEnd,
    subscriptionStatus: subscriptionStatusFor(subscriptionStatus, invoices, stripe.afterFailedPayments),
  };
}
