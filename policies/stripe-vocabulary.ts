/**
 * Stripe's words and billsim's: decline codes (and their aliases), card
 * brands, invoice and subscription statuses. One translation, used by
 * everything that reads or writes Stripe's objects: the replay's reader of
 * recorded events, the exporter of simulated ones and the Stripe adapter.
 * Stripe's decline codes: https://docs.stripe.com/declines/codes.
 */
import { isDeclineCode } from './decline-codes.js';
import type { CardBrand, DeclineCode, ProviderInvoiceStatus, SubscriptionStatus } from './types.js';

/**
 * Stripe codes (decline_code first, then the error's code) that are not literally a DeclineCode,
 * to the closest one.
 */
const STRIPE_DECLINE_ALIASES: Readonly<Record<string, DeclineCode>> = {
  card_declined: 'generic_decline',
  call_issuer: 'do_not_honor',
  no_action_taken: 'do_not_honor',
  // Never-retry codes go to a never-retry code: the payment is not permitted to this card (network 57/62).
  not_permitted: 'transaction_not_allowed',
  restricted_card: 'transaction_not_allowed',
  security_violation: 'do_not_honor',
  service_not_allowed: 'transaction_not_allowed',
  card_not_supported: 'transaction_not_allowed',
  currency_not_supported: 'transaction_not_allowed',
  fraudulent: 'do_not_honor',
  merchant_blacklist: 'transaction_not_allowed',
  do_not_try_again: 'transaction_not_allowed',
  pickup_card: 'stolen_card',
  withdrawal_count_limit_exceeded: 'card_velocity_exceeded',
  approve_with_id: 'try_again_later',
  issuer_not_available: 'try_again_later',
  reenter_transaction: 'try_again_later',
  rate_limit: 'try_again_later',
  duplicate_transaction: 'try_again_later',
  incorrect_number: 'invalid_account',
  invalid_number: 'invalid_account',
  new_account_information_available: 'invalid_account',
  account_closed: 'invalid_account',
  invalid_expiry_month: 'expired_card',
  invalid_expiry_year: 'expired_card',
  incorrect_cvc: 'generic_decline',
  invalid_cvc: 'generic_decline',
  revocation_of_all_authorizations: 'revocation_of_authorization',
  stop_payment_order: 'revocation_of_authorization',
  authentication_not_handled: 'authentication_required',
  offline_pin_required: 'authentication_required',
  online_or_offline_pin_required: 'authentication_required',
  testmode_decline: 'generic_decline',
};

function declineCodeNamed(code: string | null | undefined): DeclineCode | null {
  if (code === null || code === undefined || code === '') return null;
  if (isDeclineCode(code)) return code;
  return STRIPE_DECLINE_ALIASES[code] ?? null;
}

/**
 * Stripe's decline_code / code as a DeclineCode. decline_code is the issuer's reason and wins;
 * code (e.g. 'expired_card', 'processing_error', 'card_declined') is the fallback. A code Stripe
 * sends that billsim does not know becomes 'generic_decline', marked `unmapped`.
 */
export function stripeDeclineCode(
  declineCode: string | null | undefined,
  code: string | null | undefined,
): {
  readonly declineCode: DeclineCode;
  readonly unmapped: boolean;
} {
  const mapped = declineCodeNamed(declineCode) ?? declineCodeNamed(code);
  return mapped === null
    ? { declineCode: 'generic_decline', unmapped: true }
    : { declineCode: mapped, unmapped: false };
}

/**
 * The Stripe fields of a decline, the inverse of stripeDeclineCode: the error's `code` (a charge's
 * `failure_code`) is `card_declined`, the issuer's reason is the `decline_code` (a charge's
 * `outcome.reason`).
 */
export function stripeDeclineFields(declineCode: DeclineCode): { readonly code: string; readonly declineCode: string } {
  return { code: 'card_declined', declineCode };
}

/** Stripe's invoice statuses (a draft has not been finalized yet). */
export const STRIPE_INVOICE_STATUSES: readonly ProviderInvoiceStatus[] = [
  'draft',
  'open',
  'paid',
  'uncollectible',
  'void',
];

export function isStripeInvoiceStatus(status: string | null | undefined): status is ProviderInvoiceStatus {
  return typeof status === 'string' && (STRIPE_INVOICE_STATUSES as readonly string[]).includes(status);
}

/** Every subscription status Stripe sends (https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses). */
export const STRIPE_SUBSCRIPTION_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'paused',
] as const;
export type StripeSubscriptionStatus = (typeof STRIPE_SUBSCRIPTION_STATUSES)[number];

export function isStripeSubscriptionStatus(status: string | null | undefined): status is StripeSubscriptionStatus {
  return typeof status === 'string' && (STRIPE_SUBSCRIPTION_STATUSES as readonly string[]).includes(status);
}

/** A Stripe subscription status, one for one (billsim models all eight); anything unknown counts as active. */
export function subscriptionStatusOf(status: string | null | undefined): SubscriptionStatus {
  return isStripeSubscriptionStatus(status) ? status : 'active';
}

/** The card brands billsim knows, from a payment method's type and card brand; null for any other brand. */
export function cardBrandOf(
  paymentMethodType: string | null | undefined,
  cardBrand: string | null | undefined,
): CardBrand | null {
  if (paymentMethodType === 'paypal') return 'paypal';
  return cardBrand === 'visa' || cardBrand === 'mastercard' || cardBrand === 'amex' ? cardBrand : null;
}
