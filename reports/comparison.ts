/**
 * What a paired comparison of policy sets gives (sim/tools/compare computes
 * it): per metric each set's mean and each pair's difference with its
 * interval. The text table, the HTML report and the gate read it.
 */
import type { Better, Metric } from './metrics.js';

export interface PairDifference {
  /** The pair is b − a. */
  readonly a: string;
  readonly b: string;
  readonly diff: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly excludesZero: boolean;
}

export interface MetricComparison {
  readonly label: string;
  readonly group: Metric['group'];
  readonly better: Better;
  /** Mean across seeds, per policy label. */
  readonly means: Readonly<Record<string, number>>;
  readonly pairs: readonly PairDifference[];
}

export interface CompareResult {
  readonly kind: 'billsim-compare';
  readonly scenario: string;
  readonly accounts: number;
  readonly days: number;
  readonly seeds: readonly number[];
  readonly confidence: number;
  /** One label per policy set, in the order given (repeats get "#2"). */
  readonly policies: readonly string[];
  readonly metrics: Readonly<Record<string, MetricComparison>>;
  /** Per policy label, per metric: the value on each seed, in `seeds` order. */
  readonly values: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
}
