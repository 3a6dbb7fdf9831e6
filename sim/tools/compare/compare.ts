/**
 * Paired comparison of policy sets: every set runs on the same seeds, so each
 * seed is one world seen by every set (common random numbers: draws are keyed
 * by account, invoice and attempt, not by call order). Per metric: each set's
 * mean, and for each pair the mean paired difference with its t interval.
 */
import type { PolicySet } from '../../../policies/sets.js';
import { runSimulation } from '../../world/engine/run.js';
import type { RunResult } from '../../world/result.js';
import type { Scenario } from '../../world/scenario/schema.js';
import { CONFIDENCE_DEFAULT, mean, pairedInterval } from '../../lib/stats/interval.js';
import type { CompareResult, MetricComparison, PairDifference } from '../../../reports/comparison.js';
import { METRICS, type Metric } from '../../../reports/metrics.js';
import { lifecycleSpec } from '../lifecycle/spec.js';

export type { CompareResult, MetricComparison, PairDifference } from '../../../reports/comparison.js';

/** Unique labels for policy sets: a repeated name gets "#2", "#3". */
export function policyLabels(names: readonly string[]): string[] {
  return names.map((name, i) => {
    const before = names.slice(0, i).filter((n) => n === name).length;
    return before === 0 ? name : `${name} #${before + 1}`;
  });
}

/** Seeds base, base + 1, …, base + count − 1. */
export function seedRange(count: number, base: number): number[] {
  return Array.from({ length: count }, (_, i) => base + i);
}

export interface CompareRuns {
  readonly result: CompareResult;
  /** Every run, policy by policy, seed by seed. */
  readonly runs: readonly RunResult[];
}

export function comparePolicies(
  scenario: Scenario,
  sets: readonly PolicySet[],
  seeds: readonly number[],
  onRun: (run: RunResult) => void = () => {},
): CompareRuns {
  if (sets.length < 2) throw new Error('comparePolicies: needs at least two policy sets');
  if (seeds.length < 2) throw new Error('comparePolicies: needs at least two seeds for an interval');
  const runs: RunResult[][] = sets.map((set) =>
    seeds.map((seed) => {
      const run = runSimulation(scenario, set, seed, { lifecycle: lifecycleSpec() });
      onRun(run);
      return run;
    }),
  );
  const labels = policyLabels(sets.map((s) => s.name));
  return { result: summarize(scenario, labels, seeds, runs), runs: runs.flat() };
}

/** The comparison of runs already made: runsByPolicy[p][k] is policy p on seeds[k]. */
export function summarize(
  scenario: Pick<Scenario, 'name' | 'accounts' | 'days'>,
  labels: readonly string[],
  seeds: readonly number[],
  runsByPolicy: readonly (readonly RunResult[])[],
): CompareResult {
  const values = Object.fromEntries(
    labels.map((label, p) => [
      label,
      Object.fromEntries(METRICS.map((m) => [m.name, runsByPolicy[p]!.map((r) => m.valueOf(r))])),
    ]),
  );
  const metrics = Object.fromEntries(METRICS.map((m) => [m.name, compareMetric(m, labels, values)]));
  return {
    kind: 'billsim-compare',
    scenario: scenario.name,
    accounts: scenario.accounts,
    days: scenario.days,
    seeds: [...seeds],
    confidence: CONFIDENCE_DEFAULT,
    policies: [...labels],
    metrics,
    values,
  };
}

function compareMetric(
  m: Metric,
  labels: readonly string[],
  values: Record<string, Record<string, number[]>>,
): MetricComparison {
  const series = (label: string): number[] => values[label]![m.name]!;
  const pairs: PairDifference[] = [];
  labels.forEach((a, i) =>
    labels.slice(i + 1).forEach((b) => {
      const ci = pairedInterval(series(a), series(b));
      pairs.push({ a, b, diff: ci.mean, ciLow: ci.ciLow, ciHigh: ci.ciHigh, excludesZero: ci.excludesZero });
    }),
  );
  return {
    label: m.label,
    group: m.group,
    better: m.better,
    means: Object.fromEntries(labels.map((l) => [l, mean(series(l))])),
    pairs,
  };
}
