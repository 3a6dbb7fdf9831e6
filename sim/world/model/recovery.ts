/**
 * The time-aware recovery model (docs/recovery-model.md): why a retry of a
 * soft decline succeeds. Each failed invoice's cause goes away at a drawn
 * time: the money arrives on the customer's next payday (weekly or biweekly
 * Fridays, the 1st and 15th, or the 1st, at the deposit hour in the
 * customer's time zone) or at a random time, or never. Before that a retry
 * rarely succeeds, after it mostly does. Attempts crowded into a short
 * window tire the issuer: each one beyond the free ones lowers the next
 * one's chance, and a failed retry may come back as do_not_honor. An
 * expired card may be refreshed by the network account updater.
 *
 * Every draw is keyed by (account, invoice or card, slot) on the declines
 * stream, never by the policy's choices, so two policy sets on one seed meet
 * the same customers whose money arrives at the same moments.
 */
import { dayOfMonthOf, weekdayOfDay } from '../../../policies/calendar.js';
import { MS_PER_DAY, MS_PER_HOUR, type AttemptRecord, type DeclineCode } from '../../../policies/types.js';
import type { Stream } from '../kernel/rng.js';
import type { ReasonCurve, Scenario } from '../scenario/schema.js';
import {
  ATTEMPT_STRIDE,
  COUNTER,
  DECLINES,
  RECOVERY_CUSTOMER,
  RECOVERY_INVOICE,
  RECOVERY_INVOICE_BASE,
} from '../kernel/slots.js';
import type { AccountState, SimInvoice } from './state.js';
import { pickWeighted } from './weights.js';

export type PayCycle = 'weekly' | 'biweekly' | 'semimonthly' | 'monthly';
type Recovery = Scenario['recovery'];

const FRIDAY = 4;
/** Decline codes that an issuer tired by repeated attempts turns into do_not_honor (assumption). */
const SHIFTS_TO_DO_NOT_HONOR: ReadonlySet<DeclineCode> = new Set([
  'insufficient_funds',
  'card_velocity_exceeded',
  'generic_decline',
]);

/** The curve of a decline reason: its own, else `default`, else the built-in default. */
export function curveOf(r: Recovery, code: DeclineCode): ReasonCurve {
  return r.reasons[code] ?? r.reasons.default ?? FALLBACK_CURVE;
}

const FALLBACK_CURVE: ReasonCurve = {
  arrivalShare: 0.5,
  paydayShare: 0.3,
  arrivalMeanDays: 4,
  successAfterArrival: 0.5,
  successBeforeArrival: 0.04,
};

/** A customer's traits for recovery: how often they are paid, on which Fridays, and their UTC offset. */
export interface PayTraits {
  readonly cycle: PayCycle;
  /** Biweekly: 0 or 1, which of the alternating Fridays. */
  readonly phase: number;
  readonly utcOffsetHours: number;
}

export function payTraitsOf(r: Recovery, stream: Stream, accountId: number): PayTraits {
  const u = (slot: number): number => stream.u01(accountId, COUNTER.accountInit, slot);
  return {
    cycle: pickWeighted(r.payCycleMix, u(RECOVERY_CUSTOMER.payCycle)),
    phase: u(RECOVERY_CUSTOMER.payPhase) < 0.5 ? 0 : 1,
    utcOffsetHours: Number(pickWeighted(r.utcOffsetMix, u(RECOVERY_CUSTOMER.utcOffset))),
  };
}

function isPayday(traits: PayTraits, localDay: number): boolean {
  if (localDay < 0) return false;
  switch (traits.cycle) {
    case 'weekly':
      return weekdayOfDay(localDay) === FRIDAY;
    case 'biweekly':
      return weekdayOfDay(localDay) === FRIDAY && Math.floor(localDay / 7) % 2 === traits.phase;
    case 'semimonthly':
      return [1, 15].includes(dayOfMonthOf(localDay * MS_PER_DAY));
    case 'monthly':
      return dayOfMonthOf(localDay * MS_PER_DAY) === 1;
  }
}

/** The first moment at or after `afterMs` when a payday's deposit is on the customer's account. */
export function nextDepositMs(r: Recovery, traits: PayTraits, afterMs: number): number {
  const offsetMs = traits.utcOffsetHours * MS_PER_HOUR;
  const depositMs = r.depositHourLocal * MS_PER_HOUR;
  const firstDay = Math.floor((afterMs + offsetMs) / MS_PER_DAY);
  for (let day = firstDay; day < firstDay + 64; day++) {
    const atMs = day * MS_PER_DAY + depositMs - offsetMs;
    if (atMs >= afterMs && isPayday(traits, day)) return atMs;
  }
  return Number.POSITIVE_INFINITY;
}

/** When the first decline's cause goes away for this invoice (+Infinity: never). */
export function arrivalMs(
  r: Recovery,
  stream: Stream,
  a: AccountState,
  invoice: SimInvoice,
  first: AttemptRecord,
): number {
  const c = curveOf(r, first.declineCode ?? 'generic_decline');
  const u = (slot: number): number => stream.u01(a.accountId, invoice.id, RECOVERY_INVOICE_BASE + slot);
  if (u(RECOVERY_INVOICE.arrives) >= c.arrivalShare) return Number.POSITIVE_INFINITY;
  if (u(RECOVERY_INVOICE.onPayday) < c.paydayShare)
    return nextDepositMs(r, payTraitsOf(r, stream, a.accountId), first.atMs);
  return first.atMs + -Math.log(1 - u(RECOVERY_INVOICE.arrivalDelay)) * c.arrivalMeanDays * MS_PER_DAY;
}

/** Attempts on the card within the fatigue window before `nowMs`. */
export function recentAttempts(
  r: Recovery,
  attempts: readonly AttemptRecord[],
  paymentMethodId: number,
  nowMs: number,
): number {
  const windowMs = r.fatigueWindowHours * MS_PER_HOUR;
  let n = 0;
  for (const x of attempts) if (x.paymentMethodId === paymentMethodId && nowMs - x.atMs < windowMs) n++;
  return n;
}

/** The chance that a retry on the same card succeeds now, after the transient decline `code`. */
export function retryChance(
  r: Recovery,
  code: DeclineCode,
  arrivedAtMs: number,
  nowMs: number,
  recent: number,
): number {
  const c = curveOf(r, code);
  const base = nowMs >= arrivedAtMs ? c.successAfterArrival : c.successBeforeArrival;
  return base * fatigueMultiplier(r, recent);
}

/** What `recent` attempts on the card in the fatigue window do to the next one's chance. */
export function fatigueMultiplier(r: Recovery, recent: number): number {
  return r.fatigueFactor ** Math.max(0, recent - r.fatigueFreeAttempts);
}

/**
 * A retry on the same card after the transient decline `code`: null when it
 * succeeds, else the code it declines with (maybe do_not_honor now).
 */
export function retryDecline(
  s: Scenario,
  stream: Stream,
  a: AccountState,
  invoice: SimInvoice,
  code: DeclineCode,
  nowMs: number,
  paymentMethodId: number,
): DeclineCode | null {
  const r = s.recovery;
  const k = invoice.attempts.length;
  const first = invoice.attempts.find((x) => x.declineCode !== null)!;
  const recent = recentAttempts(r, invoice.attempts, paymentMethodId, nowMs);
  const p = retryChance(r, code, arrivalMs(r, stream, a, invoice, first), nowMs, recent);
  if (stream.chance(p, a.accountId, invoice.id, k * ATTEMPT_STRIDE + DECLINES.retrySucceeds)) return null;
  if (!SHIFTS_TO_DO_NOT_HONOR.has(code)) return code;
  const shift = Math.min(1, r.doNotHonorShiftPerAttempt * recent);
  return stream.chance(shift, a.accountId, invoice.id, k * ATTEMPT_STRIDE + DECLINES.codeShifts)
    ? 'do_not_honor'
    : code;
}

/**
 * The network account updater: with `accountUpdaterShare` an expired card is
 * refreshed some days after it expired (same payment method, new expiry).
 * True when it has been by `nowMs`; the card then no longer expires.
 */
export function refreshedByUpdater(s: Scenario, stream: Stream, a: AccountState, nowMs: number): boolean {
  const r = s.recovery;
  const card = a.sim.card;
  const u = (slot: number): number => stream.u01(a.accountId, card.id, RECOVERY_INVOICE_BASE + slot);
  if (u(RECOVERY_INVOICE.accountUpdater) >= r.accountUpdaterShare) return false;
  const atMs =
    card.expiresAtMs - Math.log(1 - u(RECOVERY_INVOICE.accountUpdaterDelay)) * r.accountUpdaterMeanDays * MS_PER_DAY;
  if (nowMs < atMs) return false;
  card.expiresAtMs = Number.POSITIVE_INFINITY;
  return true;
}
