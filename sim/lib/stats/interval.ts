/**
 * Confidence intervals for a mean across seeds (Student's t), and for the
 * paired difference of two policies run on the same seeds.
 */
import { studentTQuantile } from './student-t.js';

export interface MeanInterval {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n - 1 in the denominator); 0 when n < 2. */
  readonly sd: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly confidence: number;
  /** The interval lies entirely above or entirely below zero. */
  readonly excludesZero: boolean;
}

export const CONFIDENCE_DEFAULT = 0.95;

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * The t interval for the mean of `values`. All values equal: the degenerate
 * interval [v, v]. A single value: [-Infinity, Infinity] (nothing is known
 * about the spread) unless it is degenerate, which one value is not.
 */
export function meanInterval(values: readonly number[], confidence = CONFIDENCE_DEFAULT): MeanInterval {
  if (values.length === 0) throw new Error('meanInterval: needs at least one value');
  if (!(confidence > 0 && confidence < 1))
    throw new Error(`meanInterval: confidence must be in (0, 1) (got ${confidence})`);
  const n = values.length;
  const m = mean(values);
  const identical = values.every((v) => v === values[0]);
  if (identical && n > 1) return interval(n, values[0]!, 0, values[0]!, values[0]!, confidence);
  if (n < 2) return interval(n, m, 0, -Infinity, Infinity, confidence);
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return interval(n, m, sd, m - halfWidth, m + halfWidth, confidence);
}

function interval(n: number, m: number, sd: number, ciLow: number, ciHigh: number, confidence: number): MeanInterval {
  return { n, mean: m, sd, ciLow, ciHigh, confidence, excludesZero: ciLow > 0 || ciHigh < 0 };
}

/** The paired t interval for the mean of b[i] - a[i]. */
export function pairedInterval(
  a: readonly number[],
  b: readonly number[],
  confidence = CONFIDENCE_DEFAULT,
): MeanInterval {
  if (a.length !== b.length) throw new Error(`pairedInterval: ${a.length} values against ${b.length}`);
  return meanInterval(
    a.map((x, i) => b[i]! - x),
    confidence,
  );
}
