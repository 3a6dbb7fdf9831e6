/**
 * The payment-provider boundary: every call a billing platform's recovery makes
 * to its provider (Stripe, PayPal, or the simulator's fake), in provider-neutral
 * types. TYPES ONLY: no behaviour, no imports beyond ./types.js.
 *
 * Conventions:
 * - money is integer cents (minor units of `currency`), never floats;
 * - times are integer milliseconds since the Unix epoch (virtual or real);
 * - every write takes an idempotency key, so a retried call cannot double-charge
 *   or double-create;
 * - a decline is data, not an exception: `payInvoice` resolves with the outcome.
 *   Methods reject only for infrastructure or programming failures (bad request,
 *   authentication, unknown id, provider outage on a non-payment call).
 */
import type { DeclineCode, PaymentOutcome, ProviderInvoiceStatus, ProviderName, SubscriptionStatus } from './types.js';

/** Card network or wallet of a payment method (the same literals as the policies' CardBrand). */
export type PaymentMethodBrand = 'visa' | 'mastercard' | 'amex' | 'paypal';

/** Integer cents (minor currency units). */
export type Cents = number;
/** Integer milliseconds since the Unix epoch. */
export type EpochMs = number;
/** Caller-chosen key making a write safe to retry (same key, same effect). */
export type IdempotencyKey = string;

/** Subscription status as a provider reports it: the platform's five plus provider extras. */
export type ProviderSubscriptionStatus = SubscriptionStatus | 'incomplete_expired' | 'trialing' | 'paused';

/**
 * How the provider holds a mutation until its invoice is paid (pay-before-commit).
 * - 'default_incomplete': the provider creates the invoice but does not try to
 *   collect it; a new subscription stays 'incomplete' until `payInvoice`
 *   succeeds. On an update the change is applied at once and the subscription
 *   goes 'past_due' if the payment fails: the provider grants what was never paid.
 * - 'pending_if_incomplete': (updates only) the provider keeps the change as a
 *   pending update and applies it only if the payment succeeds.
 */
export type PaymentBehavior = 'default_incomplete' | 'pending_if_incomplete';

/** Outcome of one collection attempt: the policies' outcome, plus 'pending' (asynchronous methods still processing). */
export type AttemptOutcome = PaymentOutcome | { readonly kind: 'pending' };

/** What the provider said about a failed attempt, before mapping. Null fields were absent. */
export interface ProviderDeclineDetail {
  /** Provider error code (Stripe `code`, e.g. 'card_declined'). */
  readonly code: string | null;
  /** Issuer reason (Stripe `decline_code`, e.g. 'insufficient_funds'). */
  readonly declineCode: string | null;
  /** Stripe's own advice (`advice_code`: 'do_not_try_again', 'try_again_later', 'confirm_card_data'). */
  readonly adviceCode: string | null;
  /** The card network's reason (`network_decline_code`, e.g. Visa '43') and advice (`network_advice_code`, e.g. Mastercard MAC '03'). */
  readonly networkDeclineCode: string | null;
  readonly networkAdviceCode: string | null;
  readonly message: string | null;
  /** True when the provider code was not one we know and was mapped to 'generic_decline'. */
  readonly unmapped: boolean;
}

export interface ProviderInvoice {
  readonly id: string;
  readonly customerId: string | null;
  /** The subscription that generated the invoice, or null for a one-off invoice. */
  readonly subscriptionId: string | null;
  /** A provider 'draft' with no status reported is 'draft'. */
  readonly status: ProviderInvoiceStatus;
  readonly currency: string;
  readonly totalCents: Cents;
  readonly amountDueCents: Cents;
  readonly amountPaidCents: Cents;
  readonly amountRemainingCents: Cents;
  /** Collection attempts the provider has made (automatic or via payInvoice). */
  readonly attemptCount: number;
  /** When the provider's own retry schedule will try again; null when it will not. */
  readonly nextPaymentAttemptAtMs: EpochMs | null;
  readonly createdAtMs: EpochMs;
  readonly dueAtMs: EpochMs | null;
  readonly finalizedAtMs: EpochMs | null;
  readonly paidAtMs: EpochMs | null;
  readonly voidedAtMs: EpochMs | null;
  readonly markedUncollectibleAtMs: EpochMs | null;
  /** Why the provider created it (Stripe billing_reason: 'subscription_create', 'subscription_cycle', ...). */
  readonly billingReason: string | null;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ProviderSubscriptionItem {
  readonly id: string;
  readonly priceId: string;
  readonly quantity: number;
  readonly unitAmountCents: Cents | null;
  readonly currentPeriodStartMs: EpochMs | null;
  readonly currentPeriodEndMs: EpochMs | null;
}

export interface ProviderSubscription {
  readonly id: string;
  readonly customerId: string;
  readonly status: ProviderSubscriptionStatus;
  readonly items: readonly ProviderSubscriptionItem[];
  readonly latestInvoiceId: string | null;
  readonly defaultPaymentMethodId: string | null;
  /** A change held back until its payment succeeds ('pending_if_incomplete'). */
  readonly hasPendingUpdate: boolean;
  readonly cancelAtPeriodEnd: boolean;
  readonly createdAtMs: EpochMs;
  readonly canceledAtMs: EpochMs | null;
  readonly endedAtMs: EpochMs | null;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface ProviderCustomer {
  readonly id: string;
  /** The customer was deleted at the provider; other fields are then empty. */
  readonly deleted: boolean;
  readonly email: string | null;
  readonly name: string | null;
  readonly defaultPaymentMethodId: string | null;
  /** The provider considers the customer delinquent (an invoice failed and is unpaid). */
  readonly delinquent: boolean;
  /** Credit (negative) or debt (positive) carried to the next invoice. */
  readonly balanceCents: Cents;
  readonly createdAtMs: EpochMs | null;
  readonly metadata: Readonly<Record<string, string>>;
}

export type PaymentMethodKind = 'card' | 'paypal' | 'bank_debit' | 'other';

export interface ProviderPaymentMethod {
  readonly id: string;
  readonly customerId: string | null;
  readonly kind: PaymentMethodKind;
  /** Card network or wallet; null when unknown to the platform. */
  readonly brand: PaymentMethodBrand | null;
  readonly last4: string | null;
  readonly expMonth: number | null;
  readonly expYear: number | null;
  readonly createdAtMs: EpochMs;
}

/** The subscription a mutation produced and the invoice to pay before committing it. */
export interface MutationResult {
  readonly subscription: ProviderSubscription;
  /** The invoice that must be paid before the platform commits; null when nothing is due. */
  readonly invoice: ProviderInvoice | null;
}

export interface CreateSubscriptionRequest {
  readonly customerId: string;
  readonly priceId: string;
  readonly quantity?: number;
  readonly paymentMethodId?: string;
  readonly idempotencyKey: IdempotencyKey;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface ChangeSubscriptionRequest {
  readonly subscriptionId: string;
  /** The item whose price changes (an upgrade or downgrade). */
  readonly itemId: string;
  readonly newPriceId: string;
  readonly quantity?: number;
  /** Defaults to 'pending_if_incomplete' (the change waits for its payment); the ordering policy's `updatePaymentBehavior`. */
  readonly paymentBehavior?: PaymentBehavior;
  /** Invoice the proration now (true, the default) or leave it for the next cycle. */
  readonly invoiceProrationNow?: boolean;
  readonly idempotencyKey: IdempotencyKey;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** A one-off charge for a mutation (e.g. an add-on), invoiced and finalized but not collected. */
export interface CreateInvoiceRequest {
  readonly customerId: string;
  readonly amountCents: Cents;
  readonly currency: string;
  readonly description: string;
  readonly idempotencyKey: IdempotencyKey;
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface PayInvoiceRequest {
  readonly invoiceId: string;
  /** Pay with this method instead of the invoice's/customer's default. */
  readonly paymentMethodId?: string;
  /** Off-session: the customer is not present (a retry). Defaults to true. */
  readonly offSession?: boolean;
  readonly idempotencyKey: IdempotencyKey;
}

export interface PayInvoiceResult {
  readonly invoiceId: string;
  readonly outcome: AttemptOutcome;
  /** Present when the outcome is not 'succeeded' and the provider gave reasons. */
  readonly decline: ProviderDeclineDetail | null;
  /** The invoice after the attempt; null if it could not be read back. */
  readonly invoice: ProviderInvoice | null;
}

/** Cancel a subscription for non-payment: now, or at the end of the paid term. */
export interface CancelSubscriptionRequest {
  readonly subscriptionId: string;
  readonly when: 'immediately' | 'end_of_term';
  readonly idempotencyKey: IdempotencyKey;
}

export interface ResumeSubscriptionRequest {
  readonly subscriptionId: string;
  readonly idempotencyKey: IdempotencyKey;
}

export interface InvoiceActionRequest {
  readonly invoiceId: string;
  readonly idempotencyKey: IdempotencyKey;
}

/** What a provider event is about. */
export type ProviderEventSubject =
  | { readonly kind: 'invoice'; readonly invoice: ProviderInvoice }
  | { readonly kind: 'subscription'; readonly subscription: ProviderSubscription }
  | { readonly kind: 'other'; readonly objectType: string; readonly objectId: string | null };

export interface ProviderEvent {
  readonly id: string;
  /** Provider event type, e.g. 'invoice.payment_failed'. */
  readonly type: string;
  readonly createdAtMs: EpochMs;
  readonly subject: ProviderEventSubject;
}

export interface ListEventsRequest {
  /** Id of the last event already seen; null to get the most recent page and establish a cursor. */
  readonly afterCursor: string | null;
  /** Only event types with these names (provider vocabulary); all when absent. */
  readonly types?: readonly string[];
  /** At most this many (provider caps apply; Stripe 100). */
  readonly limit?: number;
}

export interface EventPage {
  /** Oldest first. */
  readonly events: readonly ProviderEvent[];
  /** Pass as afterCursor to continue; unchanged when the page is empty. */
  readonly nextCursor: string | null;
  /** More events newer than nextCursor exist now. */
  readonly hasMore: boolean;
}

/** The provider boundary. All methods are async; declines resolve, never reject. */
export interface PaymentProviderPort {
  readonly provider: ProviderName;

  /** Start a subscription pay-before-commit ('default_incomplete'): status 'incomplete' until its first invoice is paid. */
  createSubscription(req: CreateSubscriptionRequest): Promise<MutationResult>;
  /** Change a subscription's price pay-before-commit; the returned invoice is the proration to pay. */
  changeSubscription(req: ChangeSubscriptionRequest): Promise<MutationResult>;
  /** Create and finalize a one-off invoice for a mutation, without attempting payment. */
  createInvoice(req: CreateInvoiceRequest): Promise<ProviderInvoice>;
  /** Attempt to collect an open invoice now (off-session by default). */
  payInvoice(req: PayInvoiceRequest): Promise<PayInvoiceResult>;

  getInvoice(invoiceId: string): Promise<ProviderInvoice>;
  getSubscription(subscriptionId: string): Promise<ProviderSubscription>;
  getCustomer(customerId: string): Promise<ProviderCustomer>;
  listPaymentMethods(customerId: string): Promise<readonly ProviderPaymentMethod[]>;

  /** Stop collecting: the debt stays on record but the provider will not retry. */
  markUncollectible(req: InvoiceActionRequest): Promise<ProviderInvoice>;
  /** Cancel an invoice: nothing is owed any more. */
  voidInvoice(req: InvoiceActionRequest): Promise<ProviderInvoice>;
  /** Cancel a subscription (the last rung of a consequence ladder). */
  cancelSubscription(req: CancelSubscriptionRequest): Promise<ProviderSubscription>;
  /** Undo a cancellation scheduled for the end of the term (the debt was settled). */
  resumeSubscription(req: ResumeSubscriptionRequest): Promise<ProviderSubscription>;

  /** Events newer than the cursor, oldest first. */
  listEventsSince(req: ListEventsRequest): Promise<EventPage>;
}

/** Re-exported so adapters need one import for the outcome vocabulary. */
export type { DeclineCode, PaymentOutcome };
