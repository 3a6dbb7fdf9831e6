/**
 * What each decline code means for recovery: permanent or transient, and the
 * card networks' classification (Visa decline category, Mastercard merchant
 * advice code) that the retry rules are written against.
 */
import { z } from 'zod';
import type { DeclineCode } from './types.js';

export interface DeclineInfo {
  readonly code: DeclineCode;
  /** Permanent: retrying the same payment method cannot succeed. */
  readonly permanent: boolean;
  /** Needs the customer (authentication), not a retry. */
  readonly needsCustomer: boolean;
  /** Visa decline category: 1 never approve, 2 cannot approve now, 3 data quality, 4 generic. */
  readonly visaCategory: 1 | 2 | 3 | 4;
  /** Mastercard merchant advice code, or null. 03/21: do not retry; 24..30: retry after a wait. */
  readonly mcAdviceCode: string | null;
}

const TABLE: Readonly<Record<DeclineCode, Omit<DeclineInfo, 'code'>>> = {
  insufficient_funds: { permanent: false, needsCustomer: false, visaCategory: 2, mcAdviceCode: null },
  expired_card: { permanent: true, needsCustomer: false, visaCategory: 3, mcAdviceCode: '01' },
  do_not_honor: { permanent: false, needsCustomer: false, visaCategory: 2, mcAdviceCode: null },
  generic_decline: { permanent: false, needsCustomer: false, visaCategory: 4, mcAdviceCode: null },
  processing_error: { permanent: false, needsCustomer: false, visaCategory: 4, mcAdviceCode: '24' },
  authentication_required: { permanent: false, needsCustomer: true, visaCategory: 3, mcAdviceCode: null },
  stolen_card: { permanent: true, needsCustomer: false, visaCategory: 1, mcAdviceCode: '03' },
  lost_card: { permanent: true, needsCustomer: false, visaCategory: 1, mcAdviceCode: '03' },
  card_velocity_exceeded: { permanent: false, needsCustomer: false, visaCategory: 2, mcAdviceCode: '25' },
  try_again_later: { permanent: false, needsCustomer: false, visaCategory: 2, mcAdviceCode: '24' },
  invalid_account: { permanent: true, needsCustomer: false, visaCategory: 1, mcAdviceCode: '03' },
  revocation_of_authorization: { permanent: true, needsCustomer: false, visaCategory: 1, mcAdviceCode: '21' },
  billing_agreement_revoked: { permanent: true, needsCustomer: false, visaCategory: 4, mcAdviceCode: null },
  paypal_funding_failed: { permanent: false, needsCustomer: false, visaCategory: 4, mcAdviceCode: null },
  // Stripe: "The card was declined for an unknown reason"; the customer must call the issuer. ISO 8583 response
  // 57 (transaction not permitted to cardholder) is in Visa's category 1 (issuer will never approve).
  transaction_not_allowed: { permanent: true, needsCustomer: false, visaCategory: 1, mcAdviceCode: null },
};

export const DECLINE_CODES = Object.keys(TABLE) as readonly DeclineCode[];

export function declineInfo(code: DeclineCode): DeclineInfo {
  return { code, ...TABLE[code] };
}

export function isDeclineCode(value: string): value is DeclineCode {
  return Object.prototype.hasOwnProperty.call(TABLE, value);
}

/** Hours a Mastercard merchant advice code 24..30 asks the merchant to wait; 0 if none. */
export function mcRetryAfterHours(adviceCode: string | null): number {
  const hours: Record<string, number> = { '24': 1, '25': 24, '26': 48, '27': 96, '28': 144, '29': 192, '30': 240 };
  return adviceCode === null ? 0 : (hours[adviceCode] ?? 0);
}

/** A decline code, as a schema (for policy configs and files). */
export const declineCodeSchema = z.enum(DECLINE_CODES as [DeclineCode, ...DeclineCode[]]);
/** A decline code or `default`, the key of per-reason tables. */
export const reasonKey = z.union([declineCodeSchema, z.literal('default')]);
