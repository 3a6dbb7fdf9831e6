/**
 * The roadmap's table: one row per case-study KPI, the scenario's start figure
 * (its reference:, "—" without one), one column per policy set, its target. Run on several seeds, each
 * cell is the mean over the seeds with its 95 % t interval (Student's t, as
 * sweep and compare use), clipped to what the KPI can be (no count below 0, no
 * coverage above 100 %).
 */
import { KPI_SPECS, referenceFigure, referenceOf, type KpiSpec } from '../../../reports/report-data.js';
import { formatNumber } from '../../../reports/tables.js';
import { meanInterval } from '../../lib/stats/interval.js';
import type { RunResult } from '../../world/result.js';

/** One set's runs, one per seed, the seeds in the same order for every set. */
export interface SetRuns {
  readonly policies: string;
  readonly runs: readonly RunResult[];
}

/** Groups results by set, keeping the sets' order (the runs of a set are consecutive or not). */
export function bySet(results: readonly RunResult[]): SetRuns[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) groups.set(r.policies, [...(groups.get(r.policies) ?? []), r]);
  return [...groups.entries()].map(([policies, runs]) => ({ policies, runs }));
}

function cell(k: KpiSpec, runs: readonly RunResult[]): string {
  const values = runs.map((r) => k.now(r.kpis));
  if (values.length === 1) return formatNumber(values[0]!, k.digits);
  const i = meanInterval(values);
  const low = Math.max(0, i.ciLow);
  const high = k.unit === '%' ? Math.min(100, i.ciHigh) : i.ciHigh;
  return `${formatNumber(i.mean, k.digits)} [${formatNumber(low, k.digits)}, ${formatNumber(high, k.digits)}]`;
}

/** The case study's table; with more than one seed, a cell is `mean [95 % interval]`. */
export function roadmapTable(results: readonly RunResult[]): string {
  const sets = bySet(results);
  const reference = results[0] === undefined ? null : referenceOf(results[0]);
  const figure = (k: KpiSpec, which: 'start' | 'target'): string => {
    const value = reference === null ? null : referenceFigure(k, reference, which);
    return value === null ? '—' : formatNumber(value, 0);
  };
  const head = ['Metric', 'Start (seed)', ...sets.map((s) => s.policies), 'Target (seed)'];
  const rows = KPI_SPECS.map((k) => [
    `${k.name} (${k.unit})`,
    figure(k, 'start'),
    ...sets.map((s) => cell(k, s.runs)),
    figure(k, 'target'),
  ]);
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
