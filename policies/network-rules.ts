/**
 * Card-network retry rules as a checker, keyed as the networks key them: per
 * card (across all its invoices) and, for the amount-based caps, per amount;
 * merchant-initiated attempts (off-session: renewals and retries) are judged,
 * against earlier merchant-initiated attempts only, so a customer's own tries
 * on session never use up the merchant's allowance. The Visa category and the
 * Mastercard advice are read from each attempt's network codes
 * (policies/network-codes.ts). The retry schedules ask the same rules for the
 * earliest allowed time, so a well-behaved schedule never breaks one.
 * Sources, figures and fees: docs/network-rules.md.
 */
import { mcAdviceCodeOf, mcAdviceOfCode, networkSaysNeverRetry, visaCategoryOf } from './network-codes.js';
import { MS_PER_DAY, MS_PER_HOUR, type AttemptRecord, type CardBrand } from './types.js';

export interface NetworkRuleLimits {
  /** Visa: reattempts of one declined payment (card, amount) in 30 days: 20 since 25 May 2025 (15 before). */
  readonly visaReattemptsMax30d: number;
  /** Mastercard: declined attempts of one payment (card, amount) in 30 days (Excessive Attempts, TPE). */
  readonly mcAttemptsMax30d: number;
  /** Mastercard: declines of one card in 24 hours, whatever the amount (Excessive Attempts, TPE). */
  readonly mcDeclinesMax24h: number;
}

export const DEFAULT_NETWORK_LIMITS: NetworkRuleLimits = {
  visaReattemptsMax30d: 20,
  mcAttemptsMax30d: 35,
  mcDeclinesMax24h: 10,
};

export const NETWORK_RULES = [
  'visa_category1_retried',
  'visa_reattempts_over_cap',
  'mc_do_not_retry_within_30d',
  'mc_retry_after_not_honoured',
  'mc_attempts_over_cap',
  'mc_declines_over_24h_cap',
] as const;
export type NetworkRule = (typeof NETWORK_RULES)[number];

/**
 * The fee, in US cents, each violation costs the merchant (domestic US; docs/network-rules.md):
 * Visa's excessive-reattempt fee is $0.10; Mastercard's Excessive Attempts fee is $0.50 since
 * 1 January 2025; a reattempt after MAC 03/21 costs $0.03. No fee is published for ignoring a
 * MAC 24..30 wait or for the 24-hour cap on its own: the first is 0, the second is assumed to be
 * the Excessive Attempts fee.
 */
export const NETWORK_RULE_FEE_CENTS: Readonly<Record<NetworkRule, number>> = {
  visa_category1_retried: 10,
  visa_reattempts_over_cap: 10,
  mc_do_not_retry_within_30d: 3,
  mc_retry_after_not_honoured: 0,
  mc_attempts_over_cap: 50,
  mc_declines_over_24h_cap: 50,
};

/** An attempt as the networks see it: on a card, for an amount; and which invoice it tried to collect. */
export interface NetworkAttempt extends AttemptRecord {
  readonly amountCents: number;
  readonly invoiceId: number;
}

/** The attempt about to be made: on which card (payment method), for how much, for which invoice. */
export interface ProposedAttempt {
  readonly atMs: number;
  readonly paymentMethodId: number;
  readonly amountCents: number;
  /** Absent: the same invoice as every earlier attempt. */
  readonly invoiceId?: number;
}

const WINDOW_MS = 30 * MS_PER_DAY;
const DAY_MS = 24 * MS_PER_HOUR;

/** An invoice as the rules read it: its amount and the attempts recorded on it. */
export interface InvoiceAttempts {
  readonly id: number;
  readonly amountCents: number;
  readonly attempts: readonly AttemptRecord[];
}

/** Which attempts a history keeps: all, or those the rules can read for one proposed attempt. */
export interface HistoryFilter {
  /** Only merchant-initiated attempts on this payment method. */
  readonly paymentMethodId: number;
  /** And only those within the 30-day window before this time, or on the proposed attempt's own invoice. */
  readonly forAttemptAtMs: number;
  readonly invoiceId: number;
}

function keeps(filter: HistoryFilter | null, a: AttemptRecord, invoiceId: number): boolean {
  if (filter === null) return true;
  if (a.paymentMethodId !== filter.paymentMethodId || a.onSession) return false;
  return invoiceId === filter.invoiceId || filter.forAttemptAtMs - a.atMs < WINDOW_MS;
}

/**
 * Every attempt on the invoices, with its invoice's amount, oldest first (a stable merge across
 * invoices). With a filter, only what violatedRules reads for that attempt: every rule but
 * "never retry this invoice" looks back 30 days at most (docs/network-rules.md), and a card's
 * attempts share one brand, so the verdict is the same and the history is built without the rest.
 */
export function networkHistoryOf(
  invoices: readonly InvoiceAttempts[],
  filter: HistoryFilter | null = null,
): NetworkAttempt[] {
  const out: NetworkAttempt[] = [];
  let sorted = true;
  for (const i of invoices)
    for (const a of i.attempts) {
      if (!keeps(filter, a, i.id)) continue;
      if (out.length > 0 && out[out.length - 1]!.atMs > a.atMs) sorted = false;
      out.push(networkAttemptOf(a, i.amountCents, i.id));
    }
  // Sorting is stable, so an already ordered history (one invoice's attempts, the common case) needs none.
  return sorted ? out : out.sort((x, y) => x.atMs - y.atMs);
}

/** One literal shape for every history entry (a spread of records with optional fields makes many). */
function networkAttemptOf(a: AttemptRecord, amountCents: number, invoiceId: number): NetworkAttempt {
  return {
    atMs: a.atMs,
    paymentMethodId: a.paymentMethodId,
    brand: a.brand,
    declineCode: a.declineCode,
    onSession: a.onSession,
    networkDeclineCode: a.networkDeclineCode,
    networkAdviceCode: a.networkAdviceCode,
    amountCents,
    invoiceId,
  };
}

/**
 * Does the history the filter keeps hold a declined attempt? Every rule is broken only by
 * reattempting after a decline (an approved attempt carries no category, advice or count), so
 * without one the verdict is "no rule broken" and no history needs building.
 */
function keepsADecline(invoices: readonly InvoiceAttempts[], filter: HistoryFilter): boolean {
  for (const i of invoices)
    for (const a of i.attempts) if (a.declineCode !== null && keeps(filter, a, i.id)) return true;
  return false;
}

/** The rules a merchant-initiated attempt on one of these invoices would break, given every attempt recorded on them. */
export function violatedRulesOn(
  invoices: readonly InvoiceAttempts[],
  next: Required<ProposedAttempt>,
  limits: NetworkRuleLimits = DEFAULT_NETWORK_LIMITS,
): NetworkRule[] {
  const filter = { paymentMethodId: next.paymentMethodId, forAttemptAtMs: next.atMs, invoiceId: next.invoiceId };
  if (!keepsADecline(invoices, filter)) return [];
  return violatedRules(networkHistoryOf(invoices, filter), next, limits);
}

/** The rules a merchant-initiated attempt would break, given the earlier attempts (any invoice). */
export function violatedRules(
  earlier: readonly NetworkAttempt[],
  next: ProposedAttempt,
  limits: NetworkRuleLimits = DEFAULT_NETWORK_LIMITS,
): NetworkRule[] {
  return violationsOnCard(merchantInitiatedOnCard(earlier, next), next, limits);
}

/** The earlier merchant-initiated attempts on the card, before `next`. */
function merchantInitiatedOnCard(earlier: readonly NetworkAttempt[], next: ProposedAttempt): NetworkAttempt[] {
  return earlier.filter((a) => a.paymentMethodId === next.paymentMethodId && !a.onSession && a.atMs <= next.atMs);
}

function brandOf(onCard: readonly NetworkAttempt[]): CardBrand | null {
  return onCard[0]?.brand ?? null;
}

function violationsOnCard(
  onCard: readonly NetworkAttempt[],
  next: ProposedAttempt,
  limits: NetworkRuleLimits,
): NetworkRule[] {
  const brand = brandOf(onCard);
  if (brand === 'visa') return visaViolations(onCard, next, limits);
  if (brand === 'mastercard') return mastercardViolations(onCard, next, limits);
  return [];
}

/** Declines of this payment (same card and amount) in the 30 days before, since its last approval. */
function declinedSameAmountInWindow(onCard: readonly NetworkAttempt[], next: ProposedAttempt): number {
  let n = 0;
  for (const a of onCard) {
    if (a.amountCents !== next.amountCents || next.atMs - a.atMs >= WINDOW_MS) continue;
    n = a.declineCode === null ? 0 : n + 1;
  }
  return n;
}

/**
 * A never-retry decline is broken by reattempting the declined payment: another attempt on its
 * invoice. The next invoice's first charge (a renewal the billing calendar makes) is a new
 * transaction; the caps still count it (docs/network-rules.md).
 */
function reattemptOf(a: NetworkAttempt, next: ProposedAttempt): boolean {
  return next.invoiceId === undefined || a.invoiceId === next.invoiceId;
}

function visaViolations(onCard: readonly NetworkAttempt[], next: ProposedAttempt, limits: NetworkRuleLimits) {
  const rules: NetworkRule[] = [];
  if (onCard.some((a) => reattemptOf(a, next) && visaCategoryOf(a)?.category === 1))
    rules.push('visa_category1_retried');
  // The first decline is the attempt; each one after it is a reattempt.
  if (declinedSameAmountInWindow(onCard, next) - 1 >= limits.visaReattemptsMax30d)
    rules.push('visa_reattempts_over_cap');
  return rules;
}

function mastercardViolations(onCard: readonly NetworkAttempt[], next: ProposedAttempt, limits: NetworkRuleLimits) {
  const rules: NetworkRule[] = [];
  const neverRetry = onCard.some(
    (a) =>
      reattemptOf(a, next) &&
      a.amountCents === next.amountCents &&
      next.atMs - a.atMs < WINDOW_MS &&
      networkSaysNeverRetry(a),
  );
  if (neverRetry) rules.push('mc_do_not_retry_within_30d');
  const last = onCard[onCard.length - 1];
  const advice = last === undefined ? null : mcAdviceCodeOf(last);
  const wait = advice === null ? null : mcAdviceOfCode(advice.code);
  if (wait?.kind === 'retry_after' && next.atMs - last!.atMs < wait.waitHours * MS_PER_HOUR)
    rules.push('mc_retry_after_not_honoured');
  if (declinedSameAmountInWindow(onCard, next) >= limits.mcAttemptsMax30d) rules.push('mc_attempts_over_cap');
  const declinesInDay = onCard.filter((a) => a.declineCode !== null && next.atMs - a.atMs < DAY_MS).length;
  if (declinesInDay >= limits.mcDeclinesMax24h) rules.push('mc_declines_over_24h_cap');
  return rules;
}

/**
 * The earliest time at or after `wantedAtMs` when a merchant-initiated attempt on this card breaks
 * no rule, or -1 if the card must not be retried: the network said never (Visa category 1, MAC 03
 * or 21, whatever the amount and however long ago), or no time within the next 30 days is allowed.
 */
export function earliestAllowedAttemptMs(
  earlier: readonly NetworkAttempt[],
  wanted: ProposedAttempt,
  limits: NetworkRuleLimits = DEFAULT_NETWORK_LIMITS,
): number {
  const onCard = merchantInitiatedOnCard(earlier, { ...wanted, atMs: Number.POSITIVE_INFINITY });
  if (onCard.some(networkSaysNeverRetry)) return -1;
  for (let atMs = wanted.atMs; atMs <= wanted.atMs + WINDOW_MS; atMs += MS_PER_HOUR) {
    if (violationsOnCard(onCard, { ...wanted, atMs }, limits).length === 0) return atMs;
  }
  return -1;
}

/** The history a retry schedule judges by: the card's attempts across invoices when given, else this invoice's. */
export function historyFor(input: {
  readonly amountCents: number;
  readonly attempts: readonly AttemptRecord[];
  readonly cardHistory?: readonly NetworkAttempt[];
}): readonly NetworkAttempt[] {
  return input.cardHistory ?? input.attempts.map((a) => ({ ...a, amountCents: input.amountCents, invoiceId: -1 }));
}
