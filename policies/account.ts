/**
 * AccountSnapshot: all six stores for one account, as read at one moment.
 * The recompute engine reads this and nothing else; the simulator (and, in
 * production, the real store adapters) build it.
 */
import type {
  AttemptRecord,
  ConsequenceLevel,
  DeclineCode,
  InvoiceKind,
  PlatformInvoiceStatus,
  ProviderInvoiceStatus,
  ProviderName,
  SubscriptionStatus,
} from './types.js';
import { subscriptionEnded } from './types.js';

/** The provider's view of one invoice (store `stripe`). */
export interface ProviderInvoice {
  readonly id: number;
  readonly kind: InvoiceKind;
  readonly status: ProviderInvoiceStatus;
  readonly amountCents: number;
  /** Paid so far by partial payments (the invoice stays open); absent means 0. */
  readonly amountPaidCents?: number;
  readonly createdAtMs: number;
  /** When the invoice first failed to collect; -1 if it never failed. */
  readonly firstFailedAtMs: number;
  /** When it was paid; -1 if unpaid. */
  readonly paidAtMs: number;
  /** Every collection attempt, oldest first. */
  readonly attempts: readonly AttemptRecord[];
}

/** Store `stripe`: the provider's truth for this customer. */
export interface ProviderState {
  readonly provider: ProviderName;
  readonly subscriptionStatus: SubscriptionStatus;
  readonly planId: number;
  readonly defaultPaymentMethodId: number;
  /** When the default payment method was last changed by the customer. */
  readonly paymentMethodUpdatedAtMs: number;
  readonly hasSucceededCharge: boolean;
  /** The subscription ends at the end of its current term (Stripe's cancel_at_period_end); absent means false. */
  readonly cancelAtPeriodEnd?: boolean;
  /** The subscription's own setting for when collection of a failed invoice ends (absent: mark_unpaid). */
  readonly afterFailedPayments?: AfterFailedPayments;
  readonly invoices: readonly ProviderInvoice[];
}

/**
 * Stripe's subscription setting for when all retries of a failed payment have failed ("Manage failed
 * payments": cancel the subscription, mark it unpaid, or leave it past due;
 * https://docs.stripe.com/billing/revenue-recovery/smart-retries). billsim's end of collection is
 * the write-off of the invoice (marked uncollectible), so the setting decides the status it leaves.
 */
export type AfterFailedPayments = 'cancel' | 'mark_unpaid' | 'leave_past_due';

const STATUS_AFTER_WRITE_OFF: Readonly<Record<AfterFailedPayments, SubscriptionStatus>> = {
  cancel: 'canceled',
  mark_unpaid: 'unpaid',
  // A written-off invoice is no longer owed: a subscription left past due returns to active.
  leave_past_due: 'active',
};

/** Store `subs_account`. */
export interface SubsAccountRow {
  readonly planId: number;
  readonly status: SubscriptionStatus;
  readonly entitlements: number;
}

/** Store `subs_customer`. */
export interface SubsCustomerRow {
  readonly defaultPaymentMethodId: number;
  readonly hasNoSuccessfulPayment: boolean;
  readonly badDebt: boolean;
}

/** Store `subs_dunning`. */
export interface SubsDunningRow {
  readonly inDunning: boolean;
  /** -1 when not dunning. */
  readonly failingInvoiceId: number;
  readonly failureReason: DeclineCode | null;
  readonly retryCount: number;
  readonly escalationLevel: ConsequenceLevel;
  /** -1 when no retry is scheduled. */
  readonly nextRetryAtMs: number;
}

/** Store `cf_prod`: the account record. */
export interface CfProdRow {
  readonly delinquent: boolean;
  readonly restriction: ConsequenceLevel;
}

/** Store `billing_prod`: the platform's invoice rows, by provider invoice id. */
export interface BillingProdRow {
  readonly invoiceId: number;
  readonly status: PlatformInvoiceStatus;
}

export interface AccountSnapshot {
  readonly accountId: number;
  readonly stripe: ProviderState;
  readonly billingProd: readonly BillingProdRow[];
  readonly subsAccount: SubsAccountRow;
  readonly subsCustomer: SubsCustomerRow;
  readonly subsDunning: SubsDunningRow;
  readonly cfProd: CfProdRow;
}

export type StoreName = 'stripe' | 'billing_prod' | 'subs_account' | 'subs_customer' | 'subs_dunning' | 'cf_prod';
export const STORE_NAMES: readonly StoreName[] = [
  'stripe',
  'billing_prod',
  'subs_account',
  'subs_customer',
  'subs_dunning',
  'cf_prod',
];

/** The platform's status for a provider invoice status. */
export function platformStatusOf(status: ProviderInvoiceStatus): PlatformInvoiceStatus {
  if (status === 'paid') return 'paid';
  if (status === 'void' || status === 'uncollectible') return 'resolved';
  return 'open';
}

/** Owed: open and failed, or written off (whether or not it ever failed: an admin can write an invoice off). */
export function isOwed(invoice: ProviderInvoice): boolean {
  return (invoice.status === 'open' && invoice.firstFailedAtMs >= 0) || invoice.status === 'uncollectible';
}

/**
 * The provider's rule for a subscription's status (Stripe's, as modelled): it
 * follows the latest invoice that is not void; a written-off one leaves what the
 * subscription's failure setting says. Canceled is final.
 */
export function subscriptionStatusFor(
  current: SubscriptionStatus,
  invoices: readonly ProviderInvoice[],
  afterFailedPayments: AfterFailedPayments = 'mark_unpaid',
): SubscriptionStatus {
  // Ended subscriptions stay ended; a paused one bills nothing until resumed.
  if (subscriptionEnded(current) || current === 'paused') return current;
  for (let k = invoices.length - 1; k >= 0; k--) {
    const invoice = invoices[k]!;
    if (invoice.status === 'void' || invoice.kind === 'upgrade') continue;
    if (invoice.status === 'paid') return 'active';
    if (invoice.status === 'uncollectible') return STATUS_AFTER_WRITE_OFF[afterFailedPayments];
    if (invoice.status === 'open' && invoice.firstFailedAtMs >= 0) return 'past_due';
    return current;
  }
  return current;
}

/** What is still owed on an invoice, after partial payments. */
export function amountDueCents(invoice: ProviderInvoice): number {
  return invoice.amountCents - (invoice.amountPaidCents ?? 0);
}
