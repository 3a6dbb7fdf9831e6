/**
 * The vocabulary shared by every policy. Pure data types: no behaviour, no I/O.
 * Times are integer milliseconds of virtual (or real) time; money is integer cents.
 */

export const MS_PER_DAY = 86_400_000;
export const MS_PER_HOUR = 3_600_000;

export type ProviderName = 'stripe' | 'paypal';

/**
 * Subscription status in the provider's words: Stripe's eight
 * (https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses).
 */
export type SubscriptionStatus =
  'trialing' | 'incomplete' | 'incomplete_expired' | 'active' | 'past_due' | 'unpaid' | 'canceled' | 'paused';
export const SUBSCRIPTION_STATUSES: readonly SubscriptionStatus[] = [
  'trialing',
  'incomplete',
  'incomplete_expired',
  'active',
  'past_due',
  'unpaid',
  'canceled',
  'paused',
];

/**
 * Statuses a subscription does not leave: canceled, and incomplete_expired (its first invoice was not
 * paid within 23 hours of creation; Stripe voids it and bills no more).
 */
export function subscriptionEnded(status: SubscriptionStatus): boolean {
  return status === 'canceled' || status === 'incomplete_expired';
}

/** Invoice status at the provider (Stripe). */
export type ProviderInvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';

/** Invoice status as the platform shows it (billing_prod): "paid" and "resolved" differ. */
export type PlatformInvoiceStatus = 'open' | 'paid' | 'resolved';

export type InvoiceKind = 'renewal' | 'upgrade';

/** Decline codes as the providers report them (Stripe's names; PayPal-like ones below). */
export type DeclineCode =
  | 'insufficient_funds'
  | 'expired_card'
  | 'do_not_honor'
  | 'generic_decline'
  | 'processing_error'
  | 'authentication_required'
  | 'stolen_card'
  | 'lost_card'
  | 'card_velocity_exceeded'
  | 'try_again_later'
  | 'invalid_account'
  | 'revocation_of_authorization'
  | 'billing_agreement_revoked'
  | 'paypal_funding_failed'
  | 'transaction_not_allowed';

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'paypal';

/** The outcome of one payment attempt, as data (a decline is not an exception). */
export type PaymentOutcome =
  | { readonly kind: 'succeeded' }
  | { readonly kind: 'declined'; readonly declineCode: DeclineCode }
  | { readonly kind: 'requires_action' }
  | { readonly kind: 'timeout' };

/** One recorded attempt to collect an invoice. */
export interface AttemptRecord {
  readonly atMs: number;
  readonly paymentMethodId: number;
  readonly brand: CardBrand;
  /** null when the attempt succeeded. */
  readonly declineCode: DeclineCode | null;
  readonly onSession: boolean;
  /**
   * The card network's own reason and advice for a decline, as the provider reported them (Stripe's
   * `network_decline_code`, e.g. Visa '43'; `network_advice_code`, e.g. Mastercard MAC '03').
   * Absent or null when not reported: the network rules then fall back to Stripe's decline code
   * (policies/network-codes.ts).
   */
  readonly networkDeclineCode?: string | null;
  readonly networkAdviceCode?: string | null;
}

/** Consequence levels, least to most severe. */
export type ConsequenceLevel = 'none' | 'notice' | 'restrict_premium' | 'block_changes' | 'suspend' | 'cancel';
export const CONSEQUENCE_LEVELS: readonly ConsequenceLevel[] = [
  'none',
  'notice',
  'restrict_premium',
  'block_changes',
  'suspend',
  'cancel',
];
export function severityOf(level: ConsequenceLevel): number {
  return CONSEQUENCE_LEVELS.indexOf(level);
}

/** Entitlement bits granted to an account. */
export const ENTITLEMENT_CORE = 1;
export const ENTITLEMENT_PREMIUM = 2;

export interface Plan {
  readonly id: number;
  readonly name: string;
  readonly monthlyPriceCents: number;
  /** Entitlement bits the plan grants when fully paid. */
  readonly entitlements: number;
}
