/**
 * `billsim policies check-rules <set|file>`: drives the set's retry schedule
 * through every card decline, on Visa and on Mastercard, with the network codes
 * an issuer sends for it (policies/network-codes.ts), over two invoices of one
 * card (the renewal a month after the first failure declines the same way),
 * and checks every attempt against the card-network rules. Each violation is
 * explained: which attempt, which rule, what the network said, the fee.
 */
import { DECLINE_CODES } from '../../../policies/decline-codes.js';
import { mcAdviceCodeOf, representativeNetworkCodes, visaCategoryOf } from '../../../policies/network-codes.js';
import {
  DEFAULT_NETWORK_LIMITS,
  NETWORK_RULE_FEE_CENTS,
  violatedRules,
  type NetworkAttempt,
  type NetworkRule,
  type NetworkRuleLimits,
} from '../../../policies/network-rules.js';
import type { RetrySchedule } from '../../../policies/retry/schedule.js';
import type { PolicySet } from '../../../policies/sets.js';
import { MS_PER_DAY, type CardBrand, type DeclineCode } from '../../../policies/types.js';

export interface RuleViolation {
  readonly brand: CardBrand;
  readonly declineCode: DeclineCode;
  readonly invoice: number;
  readonly attempt: number;
  readonly atDays: number;
  readonly rule: NetworkRule;
  readonly feeCents: number;
  readonly why: string;
}

const AMOUNT_CENTS = 3_000;
const RENEWAL_AFTER_MS = 30 * MS_PER_DAY;
const ATTEMPTS_PER_INVOICE_MAX = 60;
const NOT_CARDS: readonly DeclineCode[] = ['billing_agreement_revoked', 'paypal_funding_failed'];

/** Every violation the set's schedule makes, case by case (brand × decline code), in order. */
export function checkRules(set: PolicySet): RuleViolation[] {
  const limits = set.networkLimits ?? DEFAULT_NETWORK_LIMITS;
  const out: RuleViolation[] = [];
  for (const brand of ['visa', 'mastercard'] as const)
    for (const code of DECLINE_CODES.filter((c) => !NOT_CARDS.includes(c)))
      out.push(...checkCase(set.retry, limits, brand, code));
  return out;
}

function checkCase(
  schedule: RetrySchedule,
  limits: NetworkRuleLimits,
  brand: CardBrand,
  code: DeclineCode,
): RuleViolation[] {
  const history: NetworkAttempt[] = [];
  const out: RuleViolation[] = [];
  for (const invoice of [1, 2]) {
    const startMs = (invoice - 1) * RENEWAL_AFTER_MS;
    let atMs: number | null = startMs;
    for (let k = 1; atMs !== null && k <= ATTEMPTS_PER_INVOICE_MAX; k++) {
      const attempt = declined(atMs, brand, code, invoice);
      for (const rule of violatedRules(history, attempt, limits))
        out.push({
          brand,
          declineCode: code,
          invoice,
          attempt: k,
          atDays: atMs / MS_PER_DAY,
          rule,
          ...explain(rule, history, attempt, limits),
        });
      history.push(attempt);
      atMs = nextAttemptMs(schedule, history, invoice, startMs, startMs + RENEWAL_AFTER_MS);
    }
  }
  return out;
}

function declined(atMs: number, brand: CardBrand, code: DeclineCode, invoice: number): NetworkAttempt {
  return {
    atMs,
    paymentMethodId: 1,
    brand,
    declineCode: code,
    onSession: false,
    amountCents: AMOUNT_CENTS,
    invoiceId: invoice,
    ...representativeNetworkCodes(code, brand),
  };
}

/** When the schedule retries this invoice next, or null (it waits for the customer, gives up, or the renewal comes first). */
function nextAttemptMs(
  schedule: RetrySchedule,
  history: readonly NetworkAttempt[],
  invoice: number,
  firstFailedAtMs: number,
  beforeMs: number,
): number | null {
  const attempts = history.filter((a) => a.invoiceId === invoice);
  const last = attempts[attempts.length - 1]!;
  const decision = schedule.next({
    nowMs: last.atMs,
    amountCents: AMOUNT_CENTS,
    firstFailedAtMs,
    attempts,
    paymentMethodId: 1,
    paymentMethodUpdatedAtMs: -1,
    cardHistory: history,
  });
  return decision.kind === 'retry_at' && decision.atMs < beforeMs ? decision.atMs : null;
}

function explain(
  rule: NetworkRule,
  history: readonly NetworkAttempt[],
  next: NetworkAttempt,
  limits: NetworkRuleLimits,
): { readonly feeCents: number; readonly why: string } {
  const last = history[history.length - 1]!;
  const said = saidOf(last);
  const why: Record<NetworkRule, string> = {
    visa_category1_retried: `the issuer answered ${said}: Visa category 1, it will never approve; no reattempt is allowed`,
    visa_reattempts_over_cap: `more than ${limits.visaReattemptsMax30d} reattempts of the same payment (card and amount) in 30 days`,
    mc_do_not_retry_within_30d: `Mastercard advised ${said}: do not try again; the card and amount may not be retried for 30 days`,
    mc_retry_after_not_honoured: `Mastercard advised ${said}: wait before retrying; this attempt is ${hoursAfter(last, next)} h after it`,
    mc_attempts_over_cap: `more than ${limits.mcAttemptsMax30d} declined attempts of the same payment (card and amount) in 30 days`,
    mc_declines_over_24h_cap: `the card was already declined ${limits.mcDeclinesMax24h} times in the last 24 hours (any invoice)`,
  };
  return { feeCents: NETWORK_RULE_FEE_CENTS[rule], why: why[rule] };
}

function saidOf(a: NetworkAttempt): string {
  const parts: string[] = [];
  if (a.networkDeclineCode) parts.push(`response ${a.networkDeclineCode}`);
  const advice = mcAdviceCodeOf(a);
  if (a.brand === 'mastercard' && advice !== null) parts.push(`MAC ${advice.code}`);
  if (a.brand === 'visa') parts.push(`category ${visaCategoryOf(a)?.category ?? '?'}`);
  return parts.length === 0 ? (a.declineCode ?? 'a decline') : parts.join(', ');
}

function hoursAfter(last: NetworkAttempt, next: NetworkAttempt): string {
  return ((next.atMs - last.atMs) / 3_600_000).toFixed(1);
}

/** The report: one line per violation, then the total; "no violation" when the schedule keeps every rule. */
export function checkRulesText(setName: string, violations: readonly RuleViolation[]): string {
  const cases = new Set(violations.map((v) => `${v.brand}:${v.declineCode}`)).size;
  const feeCents = violations.reduce((s, v) => s + v.feeCents, 0);
  const lines = violations.map(
    (v) =>
      `${v.brand} · ${v.declineCode} · invoice ${v.invoice} attempt ${v.attempt} (day ${v.atDays.toFixed(1)}): ${v.rule} — ${v.why}; fee $${(v.feeCents / 100).toFixed(2)}`,
  );
  const total =
    violations.length === 0
      ? `${setName}: no card-network rule violation (every card decline on Visa and Mastercard, two invoices of one card)`
      : `${setName}: ${violations.length} violation${violations.length === 1 ? '' : 's'} in ${cases} case${cases === 1 ? '' : 's'}, fees $${(feeCents / 100).toFixed(2)}`;
  return [...lines, total].join('\n');
}
