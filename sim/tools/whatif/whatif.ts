/**
 * What if a recorded failure population had met another retry schedule?
 * For each recorded failed payment (who, when, which code, how much) the
 * candidate schedule proposes attempts; an attempt at the time the recording
 * made one on the same card (within MATCH_MS) keeps the recorded outcome,
 * any other is drawn from the recovery model fitted to the stream (common
 * random numbers: draws keyed by payment, attempt and seed, so two schedules
 * on one seed meet the same money). The customer's own new card comes when
 * the recording shows it. An invoice the recording voided or wrote off is
 * closed from then on; no attempt comes after the recording's last charge
 * (a payment still unpaid then is censored there). Customer harm needs the platform's consequence ladder,
 * which this offline replay does not run: it is reported as n/a.
 */
import { declineInfo } from '../../../policies/decline-codes.js';
import { violatedRules, type NetworkRuleLimits } from '../../../policies/network-rules.js';
import type { RetrySchedule } from '../../../policies/retry/schedule.js';
import { MS_PER_DAY, MS_PER_HOUR, type AttemptRecord, type CardBrand } from '../../../policies/types.js';
import { streamsFor } from '../../world/kernel/rng.js';
import { curveOf, fatigueMultiplier, recentAttempts } from '../../world/model/recovery.js';
import type { Scenario } from '../../world/scenario/schema.js';
import type { RecordedPayment } from '../calibrate/recorded.js';

/** A proposed attempt this close to a recorded one on the same card keeps its recorded outcome. */
export const MATCH_MS = 2 * MS_PER_HOUR;
const ATTEMPTS_MAX = 60;

export interface PaymentOutcomeSummary {
  readonly recovered: boolean;
  readonly amountCents: number;
  readonly retries: number;
  readonly violations: number;
  /** Attempts whose outcome came from the recording. */
  readonly recordedOutcomes: number;
}

interface Replayed {
  readonly payment: RecordedPayment;
  readonly index: number;
  readonly pmIds: Map<string, number>;
  readonly brand: CardBrand;
}

function pmIdOf(pmIds: Map<string, number>, pm: string): number {
  let id = pmIds.get(pm);
  if (id === undefined) pmIds.set(pm, (id = pmIds.size));
  return id;
}

/** The recording's own outcome for one payment (the baseline whatif is measured against). */
/** Rules an attempt on one payment's card would break, given the payment's earlier attempts (one invoice). */
function violationsAt(
  attempts: readonly AttemptRecord[],
  atMs: number,
  paymentMethodId: number,
  amountCents: number,
  limits: NetworkRuleLimits,
): number {
  const earlier = attempts.map((a) => ({ ...a, amountCents, invoiceId: 0 }));
  return violatedRules(earlier, { atMs, paymentMethodId, amountCents, invoiceId: 0 }, limits).length;
}

export function recordedSummary(payment: RecordedPayment, limits: NetworkRuleLimits): PaymentOutcomeSummary {
  const pmIds = new Map<string, number>();
  const i0 = payment.charges.findIndex((c) => c.declineCode !== null);
  const charges = payment.charges.slice(i0);
  const attempts: AttemptRecord[] = [];
  let violations = 0;
  for (const c of charges) {
    const pm = pmIdOf(pmIds, c.paymentMethod);
    violations += violationsAt(attempts, c.atMs, pm, payment.amountCents, limits);
    attempts.push({ atMs: c.atMs, paymentMethodId: pm, brand: c.brand, declineCode: c.declineCode, onSession: false });
  }
  const recovered = charges.some((c) => c.declineCode === null);
  return {
    recovered,
    amountCents: payment.amountCents,
    retries: charges.length - 1,
    violations,
    recordedOutcomes: charges.length,
  };
}

/** The candidate schedule's outcome for one payment on one seed. */
export function whatIfPayment(
  s: Scenario,
  schedule: RetrySchedule,
  limits: NetworkRuleLimits,
  payment: RecordedPayment,
  index: number,
  seed: number,
  endMs: number,
): PaymentOutcomeSummary {
  const i0 = payment.charges.findIndex((c) => c.declineCode !== null);
  const first = payment.charges[i0]!;
  const r: Replayed = { payment, index, pmIds: new Map(), brand: first.brand };
  const originalPm = pmIdOf(r.pmIds, first.paymentMethod);
  const newCard = payment.charges.slice(i0).find((c) => c.paymentMethod !== first.paymentMethod);
  const newPm = newCard === undefined ? -1 : pmIdOf(r.pmIds, newCard.paymentMethod);
  const attempts: AttemptRecord[] = [
    {
      atMs: first.atMs,
      paymentMethodId: originalPm,
      brand: first.brand,
      declineCode: first.declineCode,
      onSession: false,
    },
  ];
  const used = new Set<number>([i0]);
  let violations = 0;
  const u = streamsFor(seed).declines;
  const arrivalMs = drawArrivalMs(s, u, r, first.atMs, first.declineCode!);
  // The customer put the new card on about an hour before the recording charged it.
  const availableMs = newCard === undefined ? Number.POSITIVE_INFINITY : newCard.atMs - MS_PER_HOUR;
  const ask = (nowMs: number, onNew: boolean) =>
    schedule.next({
      nowMs,
      amountCents: payment.amountCents,
      firstFailedAtMs: first.atMs,
      attempts,
      paymentMethodId: onNew ? newPm : originalPm,
      paymentMethodUpdatedAtMs: onNew ? availableMs : -1,
    });
  const untilMs = Math.min(endMs, payment.closedAtMs);
  for (let n = 0; n < ATTEMPTS_MAX; n++) {
    const last = attempts[attempts.length - 1]!;
    if (last.declineCode === null) break;
    const onNew = last.atMs >= availableMs;
    let decision = ask(last.atMs, onNew);
    let pm = onNew ? newPm : originalPm;
    if (!onNew && (decision.kind !== 'retry_at' || decision.atMs >= availableMs) && availableMs <= untilMs) {
      decision = ask(availableMs, true);
      pm = newPm;
    }
    if (decision.kind !== 'retry_at' || decision.atMs > untilMs) break;
    violations += violationsAt(attempts, decision.atMs, pm, payment.amountCents, limits);
    attempts.push(outcomeAt(s, u, r, attempts, used, decision.atMs, pm, arrivalMs));
  }
  const recordedOutcomes = used.size;
  const recovered = attempts[attempts.length - 1]!.declineCode === null;
  return { recovered, amountCents: payment.amountCents, retries: attempts.length - 1, violations, recordedOutcomes };
}

function drawArrivalMs(
  s: Scenario,
  u: ReturnType<typeof streamsFor>['declines'],
  r: Replayed,
  t0: number,
  code: NonNullable<AttemptRecord['declineCode']>,
): number {
  const c = curveOf(s.recovery, code);
  if (u.u01(r.index, 0, 1) >= c.arrivalShare) return Number.POSITIVE_INFINITY;
  if (u.u01(r.index, 0, 2) < c.paydayShare) return t0 + u.u01(r.index, 0, 3) * 14 * MS_PER_DAY;
  return t0 - Math.log(1 - u.u01(r.index, 0, 4)) * c.arrivalMeanDays * MS_PER_DAY;
}

function outcomeAt(
  s: Scenario,
  u: ReturnType<typeof streamsFor>['declines'],
  r: Replayed,
  attempts: readonly AttemptRecord[],
  used: Set<number>,
  atMs: number,
  pm: number,
  arrivalMs: number,
): AttemptRecord {
  const charges = r.payment.charges;
  const match = charges.findIndex(
    (c, k) => !used.has(k) && pmIdOf(r.pmIds, c.paymentMethod) === pm && Math.abs(c.atMs - atMs) <= MATCH_MS,
  );
  const brand = r.brand;
  if (match >= 0) {
    used.add(match);
    return { atMs, paymentMethodId: pm, brand, declineCode: charges[match]!.declineCode, onSession: false };
  }
  const last = attempts[attempts.length - 1]!;
  const code = last.declineCode ?? 'generic_decline';
  const k = attempts.length;
  let p: number;
  if (pm !== attempts[0]!.paymentMethodId) p = s.declines.newPaymentMethodSuccess;
  else if (declineInfo(code).permanent || declineInfo(code).needsCustomer) p = 0;
  else {
    const c = curveOf(s.recovery, code);
    const base = atMs >= arrivalMs ? c.successAfterArrival : c.successBeforeArrival;
    p = base * fatigueMultiplier(s.recovery, recentAttempts(s.recovery, attempts, pm, atMs));
  }
  const succeeded = u.u01(r.index, k, 5) < p;
  return { atMs, paymentMethodId: pm, brand, declineCode: succeeded ? null : code, onSession: false };
}

export interface WhatIfTotals {
  readonly recoveryRate: number;
  readonly revenueRecoveredCents: number;
  readonly retries: number;
  readonly networkRuleViolations: number;
  /** Share of attempts whose outcome the recording supplied (the rest were drawn from the model). */
  readonly recordedOutcomeShare: number;
}

export function totalsOf(outcomes: readonly PaymentOutcomeSummary[]): WhatIfTotals {
  const recovered = outcomes.filter((o) => o.recovered);
  const attempts = outcomes.reduce((n, o) => n + o.retries + 1, 0);
  return {
    recoveryRate: outcomes.length === 0 ? Number.NaN : recovered.length / outcomes.length,
    revenueRecoveredCents: recovered.reduce((n, o) => n + o.amountCents, 0),
    retries: outcomes.reduce((n, o) => n + o.retries, 0),
    networkRuleViolations: outcomes.reduce((n, o) => n + o.violations, 0),
    recordedOutcomeShare: attempts === 0 ? Number.NaN : outcomes.reduce((n, o) => n + o.recordedOutcomes, 0) / attempts,
  };
}

/** The candidate schedule over every recorded failed payment, one seed. */
export function whatIfRun(
  s: Scenario,
  schedule: RetrySchedule,
  limits: NetworkRuleLimits,
  payments: readonly RecordedPayment[],
  seed: number,
  endMs: number,
): WhatIfTotals {
  return totalsOf(payments.map((p, i) => whatIfPayment(s, schedule, limits, p, i, seed, endMs)));
}
