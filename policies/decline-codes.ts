/**
 * What each decline code means for recovery: permanent or transient, or
 * needing the customer. The card networks' own classification (Visa decline
 * category, Mastercard merchant advice code) is read from the attempt's
 * network codes, with a fallback from these codes: policies/network-codes.ts.
 */
import { z } from 'zod';
import type { DeclineCode } from './types.js';

export interface DeclineInfo {
  readonly code: DeclineCode;
  /** Permanent: retrying the same payment method cannot succeed. */
  readonly permanent: boolean;
  /** Needs the customer (authentication), not a retry. */
  readonly needsCustomer: boolean;
}

const TABLE: Readonly<Record<DeclineCode, Omit<DeclineInfo, 'code'>>> = {
  insufficient_funds: { permanent: false, needsCustomer: false },
  expired_card: { permanent: true, needsCustomer: false },
  do_not_honor: { permanent: false, needsCustomer: false },
  generic_decline: { permanent: false, needsCustomer: false },
  processing_error: { permanent: false, needsCustomer: false },
  authentication_required: { permanent: false, needsCustomer: true },
  stolen_card: { permanent: true, needsCustomer: false },
  lost_card: { permanent: true, needsCustomer: false },
  card_velocity_exceeded: { permanent: false, needsCustomer: false },
  try_again_later: { permanent: false, needsCustomer: false },
  invalid_account: { permanent: true, needsCustomer: false },
  revocation_of_authorization: { permanent: true, needsCustomer: false },
  billing_agreement_revoked: { permanent: true, needsCustomer: false },
  paypal_funding_failed: { permanent: false, needsCustomer: false },
  // Last, so the codes before it keep their indices.
  // Stripe: the card was declined for an unknown reason (the network's 57, transaction not permitted to the
  // cardholder: never approved, Visa category 1). https://docs.stripe.com/declines/codes
  transaction_not_allowed: { permanent: true, needsCustomer: false },
};

export const DECLINE_CODES = Object.keys(TABLE) as readonly DeclineCode[];

export function declineInfo(code: DeclineCode): DeclineInfo {
  return { code, ...TABLE[code] };
}

export function isDeclineCode(value: string): value is DeclineCode {
  return Object.prototype.hasOwnProperty.call(TABLE, value);
}

/** A decline code, as a schema (for policy configs and files). */
export const declineCodeSchema = z.enum(DECLINE_CODES as [DeclineCode, ...DeclineCode[]]);
/** A decline code or `default`, the key of per-reason tables. */
export const reasonKey = z.union([declineCodeSchema, z.literal('default')]);
