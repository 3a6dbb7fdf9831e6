/**
 * Recovery curves by day since first failure, per first decline reason and
 * over all failed renewals: the Kaplan–Meier share recovered (an invoice
 * still unpaid when the run ends is censored there, not counted as lost),
 * its 95 % band, the invoices still watched, and the revenue recovered so far.
 */
import { MS_PER_DAY } from '../../../policies/types.js';
import { kaplanMeier, type Observation } from '../../lib/stats/kaplan-meier.js';
import type { InvoiceRow, RecoveryCurve, RecoveryCurvePoint, RecoveryCurves } from '../result.js';

/** The curve over every failed invoice. */
export const ALL_REASONS = 'all';
/** Curves stop here even when the run watched longer. */
export const CURVE_HORIZON_DAYS_MAX = 60;

export function recoveryCurvesOf(invoices: readonly InvoiceRow[], endMs: number): RecoveryCurves {
  const failed = invoices.filter((i) => i.firstFailedAtMs >= 0);
  const longestDays = failed.reduce((max, i) => Math.max(max, (endMs - i.firstFailedAtMs) / MS_PER_DAY), 0);
  const horizonDays = Math.min(CURVE_HORIZON_DAYS_MAX, Math.ceil(longestDays));
  const groups = new Map<string, InvoiceRow[]>();
  for (const i of failed) {
    const reason = i.firstDeclineCode ?? 'no decline code';
    const group = groups.get(reason);
    if (group === undefined) groups.set(reason, [i]);
    else group.push(i);
  }
  const byReason = [...groups.entries()]
    .sort(([a, ga], [b, gb]) => gb.length - ga.length || (a < b ? -1 : 1))
    .map(([reason, group]) => curveOf(reason, group, endMs, horizonDays));
  const curves = failed.length === 0 ? [] : [...byReason, curveOf(ALL_REASONS, failed, endMs, horizonDays)];
  return { horizonDays, confidence: 0.95, curves };
}

function daysSinceFailure(i: InvoiceRow, atMs: number): number {
  return (atMs - i.firstFailedAtMs) / MS_PER_DAY;
}

function curveOf(reason: string, group: readonly InvoiceRow[], endMs: number, horizonDays: number): RecoveryCurve {
  const observations: Observation[] = group.map((i) =>
    i.paidAtMs >= 0
      ? { time: daysSinceFailure(i, i.paidAtMs), event: true }
      : { time: daysSinceFailure(i, endMs), event: false },
  );
  const days = Array.from({ length: horizonDays + 1 }, (_, d) => d);
  const km = kaplanMeier(observations, days);
  const recovered = group.filter((i) => i.paidAtMs >= 0);
  const points: RecoveryCurvePoint[] = km.map((p) => ({
    day: p.time,
    atRisk: p.atRisk,
    recoveredShare: p.atRisk === 0 && p.time > 0 ? null : p.share,
    low: p.atRisk === 0 && p.time > 0 ? null : p.shareLow,
    high: p.atRisk === 0 && p.time > 0 ? null : p.shareHigh,
    recoveredCents: recovered
      .filter((i) => daysSinceFailure(i, i.paidAtMs) <= p.time)
      .reduce((sum, i) => sum + i.amountCents, 0),
  }));
  return {
    reason,
    failedInvoices: group.length,
    recoveredInvoices: recovered.length,
    censoredInvoices: group.length - recovered.length,
    failedCents: group.reduce((sum, i) => sum + i.amountCents, 0),
    peakDay: peakDayOf(points),
    points,
  };
}

/** The day (1 = the first 24 hours) in which the most of the group recovered, the earliest of ties; null when none did. */
export function peakDayOf(points: readonly RecoveryCurvePoint[]): number | null {
  let peak: number | null = null;
  let best = 0;
  for (let d = 1; d < points.length; d++) {
    const step = (points[d]!.recoveredShare ?? 0) - (points[d - 1]!.recoveredShare ?? 0);
    if (step > best + 1e-12) [best, peak] = [step, d]; // a tie (up to rounding) goes to the earlier day
  }
  return peak;
}
