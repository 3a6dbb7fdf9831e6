/**
 * Fits the time-aware recovery model (sim/world/model/recovery.ts) to a
 * recorded stream's retries on the card that failed, per first decline
 * reason, by maximum likelihood. For one payment with retries at t_1 < … < t_n
 * days after its first failure, the cause goes away at an unseen time T
 * (never, on the customer's next payday, or exponentially soon); a retry
 * before T succeeds with successBeforeArrival, after it with
 * successAfterArrival, both times the issuer-fatigue factor. The likelihood
 * sums over which gap T fell in. A retry sequence ends at the first success,
 * at a change of payment method (a new card is the customer's doing, not the
 * issuer's), after a decline with another code (do_not_honor once the issuer
 * tires) or at the stream's end: the payment is censored, not lost. Fitted:
 * arrivalShare, arrivalMeanDays, successAfterArrival. Held at the base
 * scenario's values: paydayShare and successBeforeArrival (retries every few
 * days cannot tell an early payday from a lucky early approval: the
 * likelihood is flat along that ridge), the pay-cycle mix and the fatigue
 * parameters. Uncertainty: a seeded bootstrap over payments.
 */
import { declineInfo } from '../../../policies/decline-codes.js';
import { MS_PER_DAY, MS_PER_HOUR, type DeclineCode } from '../../../policies/types.js';
import { streamsFor } from '../../world/kernel/rng.js';
import { curveOf, fatigueMultiplier } from '../../world/model/recovery.js';
import type { ReasonCurve, Scenario } from '../../world/scenario/schema.js';
import { nelderMead } from './nelder-mead.js';
import type { RecordedPayment } from './recorded.js';

type Recovery = Scenario['recovery'];

export interface Retry {
  readonly tDays: number;
  readonly fatigue: number;
  readonly succeeded: boolean;
}

export interface RetrySequence {
  readonly reason: DeclineCode;
  readonly retries: readonly Retry[];
}

/** The fitted parameters of one reason's curve. */
export const FITTED = ['arrivalShare', 'arrivalMeanDays', 'successAfterArrival'] as const;
export type FittedName = (typeof FITTED)[number];

export interface ReasonFit {
  readonly reason: DeclineCode;
  readonly payments: number;
  readonly retries: number;
  /** null when there were too few payments with retries to fit (the scenario keeps the base curve). */
  readonly fitted: ReasonCurve | null;
  /** 95 % bootstrap percentile interval of each fitted parameter. */
  readonly intervals: Readonly<Record<FittedName, readonly [number, number]>> | null;
  readonly warning: string | null;
}

/** Payments with retries needed to fit a reason. */
export const SEQUENCES_MIN = 20;

/** The retries on the failing card of each payment that failed with a transient reason. */
export function retrySequencesOf(payments: readonly RecordedPayment[], r: Recovery): RetrySequence[] {
  const out: RetrySequence[] = [];
  const windowMs = r.fatigueWindowHours * MS_PER_HOUR;
  for (const p of payments) {
    const i0 = p.charges.findIndex((c) => c.declineCode !== null);
    const first = p.charges[i0]!;
    if (declineInfo(first.declineCode!).permanent || declineInfo(first.declineCode!).needsCustomer) continue;
    const retries: Retry[] = [];
    for (let i = i0 + 1; i < p.charges.length; i++) {
      const c = p.charges[i]!;
      if (c.paymentMethod !== first.paymentMethod) break;
      const recent = p.charges
        .slice(0, i)
        .filter((x) => x.paymentMethod === c.paymentMethod && c.atMs - x.atMs < windowMs).length;
      retries.push({
        tDays: (c.atMs - first.atMs) / MS_PER_DAY,
        fatigue: fatigueMultiplier(r, recent),
        succeeded: c.declineCode === null,
      });
      if (c.declineCode !== first.declineCode) break; // paid, or the issuer now answers another code
    }
    if (retries.length > 0) out.push({ reason: first.declineCode!, retries });
  }
  return out;
}

const PAY_PERIOD_DAYS = { weekly: 7, biweekly: 14, semimonthly: 15, monthly: 30 } as const;

/** The share of customers whose next payday has come within t days of a random moment. */
function paydayCdf(r: Recovery, tDays: number): number {
  const mix = r.payCycleMix;
  const total = mix.weekly + mix.biweekly + mix.semimonthly + mix.monthly;
  let f = 0;
  for (const cycle of Object.keys(PAY_PERIOD_DAYS) as (keyof typeof PAY_PERIOD_DAYS)[])
    f += (mix[cycle] / total) * Math.min(1, tDays / PAY_PERIOD_DAYS[cycle]);
  return f;
}

function arrivalCdf(r: Recovery, c: ReasonCurve, tDays: number): number {
  return (
    c.arrivalShare *
    (c.paydayShare * paydayCdf(r, tDays) + (1 - c.paydayShare) * (1 - Math.exp(-tDays / c.arrivalMeanDays)))
  );
}

function outcomeProbability(p: number, succeeded: boolean): number {
  return succeeded ? p : 1 - p;
}

/** The probability of one sequence's outcomes under curve c. */
export function sequenceLikelihood(r: Recovery, c: ReasonCurve, s: RetrySequence): number {
  const n = s.retries.length;
  const after = s.retries.map((x) => outcomeProbability(c.successAfterArrival * x.fatigue, x.succeeded));
  const before = s.retries.map((x) => outcomeProbability(c.successBeforeArrival * x.fatigue, x.succeeded));
  let total = 0;
  let beforeProduct = 1;
  let previousF = 0;
  for (let k = 0; k <= n; k++) {
    const f = k === n ? 1 : arrivalCdf(r, c, s.retries[k]!.tDays);
    let afterProduct = 1;
    for (let i = k; i < n; i++) afterProduct *= after[i]!;
    total += (f - previousF) * beforeProduct * afterProduct;
    previousF = f;
    if (k < n) beforeProduct *= before[k]!;
  }
  return total;
}

const logit = (p: number): number => Math.log(p / (1 - p));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const clampShare = (p: number): number => Math.min(0.999, Math.max(0.001, p));

function curveFrom(x: readonly number[], base: ReasonCurve): ReasonCurve {
  return {
    ...base,
    arrivalShare: sigmoid(x[0]!),
    arrivalMeanDays: Math.min(120, Math.max(0.001, Math.exp(x[1]!))),
    successAfterArrival: sigmoid(x[2]!),
  };
}

/** The maximum-likelihood curve for these sequences, from the base curve. */
export function fitCurve(r: Recovery, base: ReasonCurve, sequences: readonly RetrySequence[]): ReasonCurve {
  const x0 = [
    logit(clampShare(base.arrivalShare)),
    Math.log(base.arrivalMeanDays),
    logit(clampShare(base.successAfterArrival)),
  ];
  const negLogLik = (x: readonly number[]): number => {
    const c = curveFrom(x, base);
    let sum = 0;
    for (const s of sequences) sum -= Math.log(Math.max(1e-300, sequenceLikelihood(r, c, s)));
    return sum;
  };
  const fit = nelderMead(negLogLik, x0, { step: 0.5, evaluationsMax: 600, valueTolerance: 1e-7 });
  return curveFrom(fit.x, base);
}

/** Fits each transient reason; `bootstrap` resamples of the payments (drawn from `seed`) give the intervals. */
export function fitRecovery(
  r: Recovery,
  sequences: readonly RetrySequence[],
  bootstrap: number,
  seed: number,
): ReasonFit[] {
  const reasons = [...new Set(sequences.map((s) => s.reason))].sort();
  return reasons.map((reason) =>
    fitReason(
      r,
      reason,
      sequences.filter((s) => s.reason === reason),
      bootstrap,
      seed,
    ),
  );
}

function fitReason(
  r: Recovery,
  reason: DeclineCode,
  group: readonly RetrySequence[],
  bootstrap: number,
  seed: number,
): ReasonFit {
  const retries = group.reduce((n, s) => n + s.retries.length, 0);
  if (group.length < SEQUENCES_MIN) {
    const warning = `${reason}: ${group.length} payments with retries, fewer than ${SEQUENCES_MIN}: not fitted, the scenario keeps the base curve`;
    return { reason, payments: group.length, retries, fitted: null, intervals: null, warning };
  }
  const base = curveOf(r, reason);
  const fitted = fitCurve(r, base, group);
  const stream = streamsFor(seed).workload;
  const resampled = Array.from({ length: bootstrap }, (_, b) => {
    const sample = group.map((_, i) => group[Math.floor(stream.u01(b, i, reason.length) * group.length)]!);
    return fitCurve(r, fitted, sample);
  });
  const intervals = Object.fromEntries(
    FITTED.map((name) => [name, percentileInterval(resampled.map((c) => c[name]))]),
  ) as Record<FittedName, readonly [number, number]>;
  return { reason, payments: group.length, retries, fitted, intervals, warning: null };
}

function percentileInterval(values: readonly number[]): readonly [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
  return [at(0.025), at(0.975)];
}
