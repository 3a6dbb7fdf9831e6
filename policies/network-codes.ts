/**
 * The card networks' own decline vocabulary, which their retry rules are
 * written against: Visa's response codes grouped into the four decline
 * categories, and Mastercard's merchant advice codes (MAC). Sources and the
 * choices made where they differ: docs/network-rules.md.
 *
 * An attempt carries the network's codes when the provider reported them
 * (Stripe's `network_decline_code` and `network_advice_code`, since API version
 * 2024-12-18). When it does not, the codes are the representative ones for
 * Stripe's normalised decline code (REPRESENTATIVE below): the fallback, used
 * for older recordings and for declines the simulator makes.
 */
import type { AttemptRecord, CardBrand, DeclineCode } from './types.js';

/** Visa decline category: 1 issuer will never approve, 2 cannot approve now, 3 data quality, 4 generic. */
export type VisaCategory = 1 | 2 | 3 | 4;

/**
 * Visa response codes by category. Category 1 as listed by Evolve's Visa Processing Integrity Fee
 * page; categories 2 and 3 as listed by Forte's Visa Decline Response Code page; every other code is
 * category 4 (generic), as Visa defines it.
 */
const VISA_CATEGORY: Readonly<Record<string, VisaCategory>> = {
  ...Object.fromEntries(['04', '07', '12', '14', '15', '41', '43', '46', '57', 'R0', 'R1', 'R3'].map((c) => [c, 1])),
  ...Object.fromEntries(['19', '51', '59', '61', '65', '75', '86', '91', '96', 'N3', 'N4'].map((c) => [c, 2])),
  ...Object.fromEntries(['54', '55', 'N7', '82', '1A'].map((c) => [c, 3])),
};

export function visaCategoryOfCode(networkDeclineCode: string): VisaCategory {
  return VISA_CATEGORY[networkDeclineCode.toUpperCase()] ?? 4;
}

/** What a Mastercard merchant advice code asks of the merchant. */
export type McAdvice =
  | { readonly kind: 'update_credentials' }
  | { readonly kind: 'try_later' }
  | { readonly kind: 'never_retry' }
  | { readonly kind: 'retry_after'; readonly waitHours: number }
  | { readonly kind: 'other' };

/** MAC 24..30: retry after 1 hour, 24 hours, 2, 4, 6, 8, 10 days. */
const RETRY_AFTER_HOURS: Readonly<Record<string, number>> = {
  '24': 1,
  '25': 24,
  '26': 48,
  '27': 96,
  '28': 144,
  '29': 192,
  '30': 240,
};

export function mcAdviceOfCode(adviceCode: string): McAdvice {
  if (adviceCode === '01') return { kind: 'update_credentials' };
  if (adviceCode === '02') return { kind: 'try_later' };
  if (adviceCode === '03' || adviceCode === '21') return { kind: 'never_retry' };
  const waitHours = RETRY_AFTER_HOURS[adviceCode];
  return waitHours === undefined ? { kind: 'other' } : { kind: 'retry_after', waitHours };
}

interface NetworkCodes {
  /** Visa response code (Mastercard uses the same ISO 8583 values for these reasons). */
  readonly declineCode: string | null;
  /** Mastercard merchant advice code; null when the issuer gives none. */
  readonly mcAdvice: string | null;
}

/**
 * The network codes that stand for each of Stripe's decline codes when the attempt has none. The
 * ISO 8583 response code is the one Stripe's decline-code page names for the reason; the MAC is
 * the one Mastercard pairs with it (01 for lifecycle declines such as an expired card, 03 for
 * lost, stolen and closed accounts and permanent restrictions, 21 for a cancelled recurring
 * payment, 02 for declines that may pass later). Mastercard's timed advice 24..30 is sent only
 * with response code 51 on recurring card-not-present payments (its Authorization Optimizer); the
 * issuer picks the wait, which billsim does not model: 25 (retry after 24 hours) is assumed.
 * Processing errors are not issuer declines and carry no MAC.
 */
const REPRESENTATIVE: Readonly<Record<DeclineCode, NetworkCodes>> = {
  insufficient_funds: { declineCode: '51', mcAdvice: '25' },
  expired_card: { declineCode: '54', mcAdvice: '01' },
  do_not_honor: { declineCode: '05', mcAdvice: null },
  generic_decline: { declineCode: '05', mcAdvice: null },
  processing_error: { declineCode: '96', mcAdvice: null },
  authentication_required: { declineCode: '1A', mcAdvice: null },
  stolen_card: { declineCode: '43', mcAdvice: '03' },
  lost_card: { declineCode: '41', mcAdvice: '03' },
  card_velocity_exceeded: { declineCode: '61', mcAdvice: '02' },
  try_again_later: { declineCode: '19', mcAdvice: '02' },
  invalid_account: { declineCode: '14', mcAdvice: '03' },
  revocation_of_authorization: { declineCode: 'R1', mcAdvice: '21' },
  transaction_not_allowed: { declineCode: '57', mcAdvice: '03' },
  billing_agreement_revoked: { declineCode: null, mcAdvice: null },
  paypal_funding_failed: { declineCode: null, mcAdvice: null },
};

/** The network's codes a simulated decline with this Stripe code carries on this brand. */
export function representativeNetworkCodes(
  declineCode: DeclineCode | null,
  brand: CardBrand,
): { readonly networkDeclineCode: string | null; readonly networkAdviceCode: string | null } {
  if (declineCode === null || (brand !== 'visa' && brand !== 'mastercard'))
    return { networkDeclineCode: null, networkAdviceCode: null };
  const codes = REPRESENTATIVE[declineCode];
  return { networkDeclineCode: codes.declineCode, networkAdviceCode: brand === 'mastercard' ? codes.mcAdvice : null };
}

/** Where a network reading came from: the attempt's own code, or the fallback from Stripe's. */
export type CodeSource = 'network' | 'fallback';

/** The Visa category of a declined attempt (null if it succeeded), from its own network code when it has one. */
export function visaCategoryOf(
  a: AttemptRecord,
): { readonly category: VisaCategory; readonly source: CodeSource } | null {
  if (a.declineCode === null) return null;
  if (nonEmpty(a.networkDeclineCode)) return { category: visaCategoryOfCode(a.networkDeclineCode), source: 'network' };
  const fallback = REPRESENTATIVE[a.declineCode].declineCode;
  return { category: fallback === null ? 4 : visaCategoryOfCode(fallback), source: 'fallback' };
}

/** The Mastercard advice code of a declined attempt (null if none), from the attempt when it has one. */
export function mcAdviceCodeOf(a: AttemptRecord): { readonly code: string; readonly source: CodeSource } | null {
  if (a.declineCode === null) return null;
  if (nonEmpty(a.networkAdviceCode)) return { code: a.networkAdviceCode, source: 'network' };
  // A network decline code without advice is the issuer's whole answer: no advice was given.
  if (nonEmpty(a.networkDeclineCode)) return null;
  const fallback = REPRESENTATIVE[a.declineCode].mcAdvice;
  return fallback === null ? null : { code: fallback, source: 'fallback' };
}

/** Does the network say this declined attempt's card must never be retried (Visa category 1, MAC 03 or 21)? */
export function networkSaysNeverRetry(a: AttemptRecord): boolean {
  if (a.brand === 'visa') return visaCategoryOf(a)?.category === 1;
  if (a.brand === 'mastercard') {
    const advice = mcAdviceCodeOf(a);
    return advice !== null && mcAdviceOfCode(advice.code).kind === 'never_retry';
  }
  return false;
}

function nonEmpty(code: string | null | undefined): code is string {
  return code !== null && code !== undefined && code !== '';
}
