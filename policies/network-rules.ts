/**
 * Card-network retry rules as a checker. Every simulated attempt is checked
 * against the attempts before it on the same card and invoice; the retry
 * schedules also ask it for the earliest allowed time, so a well-behaved
 * schedule never breaks a rule.
 */
import { declineInfo, mcRetryAfterHours } from './decline-codes.js';
import { MS_PER_DAY, MS_PER_HOUR, type AttemptRecord } from './types.js';

export interface NetworkRuleLimits {
  /** Visa: reattempts (attempts after the first) per card and invoice in 30 days. 15; 20 under the May 2025 rules. */
  readonly visaReattemptsMax30d: number;
  /** Mastercard: attempts per card and invoice in 30 days. */
  readonly mcAttemptsMax30d: number;
}

export const DEFAULT_NETWORK_LIMITS: NetworkRuleLimits = { visaReattemptsMax30d: 15, mcAttemptsMax30d: 35 };

export const NETWORK_RULES = [
  'visa_category1_retried',
  'visa_reattempts_over_cap',
  'mc_do_not_retry_within_30d',
  'mc_retry_after_not_honoured',
  'mc_attempts_over_cap',
] as const;
export type NetworkRule = (typeof NETWORK_RULES)[number];

const WINDOW_MS = 30 * MS_PER_DAY;

/** The rules that an attempt at `atMs` on `paymentMethodId` would break, given earlier attempts on the invoice. */
export function violatedRules(
  earlier: readonly AttemptRecord[],
  atMs: number,
  paymentMethodId: number,
  limits: NetworkRuleLimits = DEFAULT_NETWORK_LIMITS,
): NetworkRule[] {
  return violationsOnCard(offSessionOnCard(earlier, paymentMethodId), atMs, limits);
}

/** The earlier off-session attempts on this card: all the rules count. */
function offSessionOnCard(earlier: readonly AttemptRecord[], paymentMethodId: number): readonly AttemptRecord[] {
  return earlier.filter((a) => a.paymentMethodId === paymentMethodId && !a.onSession);
}

function violationsOnCard(sameCard: readonly AttemptRecord[], atMs: number, limits: NetworkRuleLimits): NetworkRule[] {
  if (sameCard.length === 0) return [];
  const brand = sameCard[0]!.brand;
  if (brand === 'visa') return visaViolations(sameCard, atMs, limits);
  if (brand === 'mastercard') return mastercardViolations(sameCard, atMs, limits);
  return [];
}

function visaViolations(sameCard: readonly AttemptRecord[], atMs: number, limits: NetworkRuleLimits): NetworkRule[] {
  const rules: NetworkRule[] = [];
  if (sameCard.some((a) => a.declineCode !== null && declineInfo(a.declineCode).visaCategory === 1)) {
    rules.push('visa_category1_retried');
  }
  if (attemptsInWindow(sameCard, atMs) >= limits.visaReattemptsMax30d + 1) rules.push('visa_reattempts_over_cap');
  return rules;
}

/** Attempts within the 30 days before `atMs`. */
function attemptsInWindow(sameCard: readonly AttemptRecord[], atMs: number): number {
  let n = 0;
  for (const a of sameCard) if (atMs - a.atMs < WINDOW_MS) n++;
  return n;
}

function mastercardViolations(
  sameCard: readonly AttemptRecord[],
  atMs: number,
  limits: NetworkRuleLimits,
): NetworkRule[] {
  const rules: NetworkRule[] = [];
  for (const a of sameCard) {
    const advice = a.declineCode === null ? null : declineInfo(a.declineCode).mcAdviceCode;
    if ((advice === '03' || advice === '21') && atMs - a.atMs < WINDOW_MS) rules.push('mc_do_not_retry_within_30d');
    const waitMs = mcRetryAfterHours(advice) * MS_PER_HOUR;
    if (waitMs > 0 && a === sameCard[sameCard.length - 1] && atMs - a.atMs < waitMs) {
      rules.push('mc_retry_after_not_honoured');
    }
  }
  if (attemptsInWindow(sameCard, atMs) >= limits.mcAttemptsMax30d) rules.push('mc_attempts_over_cap');
  return rules.length < 2 ? rules : [...new Set(rules)];
}

/**
 * The earliest time at or after `wantedAtMs` when an attempt on this card breaks
 * no rule, or -1 if no time within the next 30 days is allowed (the card must
 * not be retried: wait for a new payment method).
 */
export function earliestAllowedAttemptMs(
  earlier: readonly AttemptRecord[],
  wantedAtMs: number,
  paymentMethodId: number,
  limits: NetworkRuleLimits = DEFAULT_NETWORK_LIMITS,
): number {
  const stepMs = MS_PER_HOUR;
  const sameCard = offSessionOnCard(earlier, paymentMethodId);
  for (let atMs = wantedAtMs; atMs <= wantedAtMs + WINDOW_MS; atMs += stepMs) {
    const rules = violationsOnCard(sameCard, atMs, limits);
    if (rules.length === 0) return atMs;
    if (rules.includes('visa_category1_retried')) return -1;
  }
  return -1;
}
