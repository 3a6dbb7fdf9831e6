/**
 * Judging a policy set's runs: against thresholds (each condition on an
 * aggregate over seeds) or against a baseline (regressed only when the
 * confidence interval of the difference lies wholly on the worse side,
 * beyond the tolerance — never on a single seed).
 */
import { metricNamed, type Metric } from '../../../reports/metrics.js';
import type { RunResult } from '../../world/result.js';
import { meanInterval, pairedInterval, type MeanInterval } from '../../lib/stats/interval.js';
import type { Baseline } from './baseline.js';
import { holds, type Aggregate, type Condition } from './thresholds.js';

export interface GateCheck {
  /** What was required, e.g. ">= 0.5" or "no worse than baseline 0.62 (tolerance 0.01)". */
  readonly text: string;
  /** The number the check looked at (the aggregate, or the difference from the baseline). */
  readonly observed: number;
  readonly pass: boolean;
}

export interface GateCase {
  readonly metric: string;
  readonly label: string;
  /** Per seed, in seed order. */
  readonly values: readonly number[];
  readonly interval: MeanInterval;
  readonly checks: readonly GateCheck[];
  readonly pass: boolean;
}

export interface GateReport {
  readonly scenario: string;
  readonly policies: string;
  readonly seeds: readonly number[];
  /** "thresholds <file>" or "baseline <file>". */
  readonly against: string;
  readonly cases: readonly GateCase[];
  readonly pass: boolean;
}

function aggregate(kind: Aggregate, values: readonly number[], ci: MeanInterval): number {
  switch (kind) {
    case 'mean':
      return ci.mean;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'ciLow':
      return ci.ciLow;
    case 'ciHigh':
      return ci.ciHigh;
  }
}

function gateCase(
  metric: Metric,
  runs: readonly RunResult[],
  check: (values: number[], ci: MeanInterval) => GateCheck[],
): GateCase {
  const values = runs.map((r) => metric.valueOf(r));
  const interval = meanInterval(values);
  const checks = check(values, interval);
  return { metric: metric.name, label: metric.label, values, interval, checks, pass: checks.every((c) => c.pass) };
}

export function evaluateThresholds(conditions: readonly Condition[], runs: readonly RunResult[]): GateCase[] {
  const names = [...new Set(conditions.map((c) => c.metric))];
  return names.map((name) =>
    gateCase(metricNamed(name)!, runs, (values, ci) =>
      conditions
        .filter((c) => c.metric === name)
        .map((c) => {
          const observed = aggregate(c.aggregate, values, ci);
          return { text: c.text, observed, pass: holds(c.operator, observed, c.value) };
        }),
    ),
  );
}

/** Allowed worsening per metric: an absolute amount, or a share of the baseline's mean. */
export interface Tolerance {
  readonly amount: number;
  readonly relative: boolean;
}

export function evaluateBaseline(
  baseline: Baseline,
  runs: readonly RunResult[],
  seeds: readonly number[],
  tolerances: Readonly<Record<string, Tolerance>>,
): GateCase[] {
  const gated = Object.keys(baseline.values)
    .map((n) => metricNamed(n)!)
    .filter((m) => m.better !== 'neutral');
  return gated.map((metric) =>
    gateCase(metric, runs, (values) => {
      const base = baseline.values[metric.name]!;
      const baseMean = base.reduce((s, v) => s + v, 0) / base.length;
      const diff = differenceInterval(base, baseMean, values, samePairs(baseline.seeds, seeds));
      const tol = tolerances[metric.name] ?? { amount: 0, relative: false };
      const allowed = tol.relative ? tol.amount * Math.abs(baseMean) : tol.amount;
      const worse = metric.better === 'lower' ? diff.ciLow > allowed : diff.ciHigh < -allowed;
      const text =
        `baseline ${round(baseMean)}, ${metric.better} is better, tolerance ${round(allowed)}: ` +
        `diff ${diff.paired ? 'paired' : 'unpaired'} [${round(diff.ciLow)}, ${round(diff.ciHigh)}]`;
      return [{ text, observed: diff.mean, pass: !worse }];
    }),
  );
}

function samePairs(baseSeeds: readonly number[] | null, seeds: readonly number[]): boolean {
  return baseSeeds !== null && baseSeeds.length === seeds.length && baseSeeds.every((s, i) => s === seeds[i]);
}

/** The interval of (current − baseline): paired per seed when both ran the same seeds, else around the baseline's mean. */
function differenceInterval(
  base: readonly number[],
  baseMean: number,
  values: readonly number[],
  paired: boolean,
): MeanInterval & { paired: boolean } {
  if (paired) return { ...pairedInterval(base, values), paired };
  const ci = meanInterval(values);
  return { ...ci, mean: ci.mean - baseMean, ciLow: ci.ciLow - baseMean, ciHigh: ci.ciHigh - baseMean, paired };
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
