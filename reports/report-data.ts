/**
 * The numbers behind the HTML report, computed from RunResults alone:
 * the case-study KPI table, daily trajectories, recovery curves, retry counts.
 */
import { MS_PER_DAY } from '../policies/types.js';
import type { DailyRow, InvoiceRow, Kpis, RecoveryCurves, RunResult } from '../sim/world/result.js';
import { ALL_REASONS, recoveryCurvesOf } from '../sim/world/engine/recovery-curves.js';

export interface KpiSpec {
  readonly name: string;
  readonly unit: string;
  readonly start: number;
  readonly target: number;
  /** The run's value, in the KPI's display unit. */
  readonly now: (kpis: Kpis) => number;
  readonly digits: number;
}

/** The case study's five KPIs: where the legacy system started and where the project aims. */
export const CASE_STUDY_KPIS: readonly KpiSpec[] = [
  { name: 'Rollbacks', unit: 'per day', start: 196, target: 0, now: (k) => k.rollbacksPerDay, digits: 1 },
  {
    name: 'Bad debt from upgrades',
    unit: 'per day',
    start: 48,
    target: 0,
    now: (k) => k.badDebtFromUpgradesPerDay,
    digits: 1,
  },
  {
    name: 'Disagreeing accounts',
    unit: 'accounts',
    start: 691,
    target: 0,
    now: (k) => k.disagreeingAccounts,
    digits: 0,
  },
  { name: 'Invoice coverage', unit: '%', start: 19, target: 100, now: (k) => k.invoiceCoverage * 100, digits: 1 },
  { name: 'Dunning code paths', unit: 'paths', start: 5, target: 1, now: (k) => k.dunningCodePaths, digits: 0 },
];

/** How far a value has moved from start to target, in percent: 0 at start, 100 at target. */
export function progressToTargetPercent(spec: KpiSpec, value: number): number {
  return ((value - spec.start) / (spec.target - spec.start)) * 100;
}

/** Labels naming each run by what differs between them; repeats get "#n". */
export function runLabels(runs: readonly RunResult[]): string[] {
  const differs = (key: 'scenario' | 'seed'): boolean => new Set(runs.map((r) => r[key])).size > 1;
  const base = runs.map((r) =>
    [differs('scenario') ? r.scenario : '', r.policies, differs('seed') || runs.length === 1 ? `seed ${r.seed}` : '']
      .filter((p) => p !== '')
      .join(' · '),
  );
  return base.map((label, i) => {
    const repeats = base.slice(0, i).filter((l) => l === label).length;
    return repeats === 0 ? label : `${label} #${repeats + 1}`;
  });
}

export interface Series {
  readonly x: number[];
  readonly y: (number | null)[];
}

/** Days elapsed at each daily row (1 for the first), so cumulative counts divide into per-day rates. */
function elapsedDays(daily: readonly DailyRow[]): number[] {
  const first = daily[0]?.day ?? 0;
  return daily.map((d) => d.day - first + 1);
}

export function rollbacksPerDaySeries(daily: readonly DailyRow[]): Series {
  const elapsed = elapsedDays(daily);
  return { x: daily.map((d) => d.day), y: daily.map((d, i) => d.rollbacks / (elapsed[i] ?? 1)) };
}

export function coveragePercentSeries(daily: readonly DailyRow[]): Series {
  return {
    x: daily.map((d) => d.day),
    y: daily.map((d) => (d.invoiceEvents === 0 ? null : (d.invoiceEventsCovered / d.invoiceEvents) * 100)),
  };
}

/** Names of every invariant seen on any day, sorted. */
export function invariantNames(daily: readonly DailyRow[]): string[] {
  return [...new Set(daily.flatMap((d) => Object.keys(d.drift)))].sort();
}

const failed = (i: InvoiceRow): boolean => i.firstFailedAtMs >= 0;
const recovered = (i: InvoiceRow): boolean => failed(i) && i.paidAtMs >= 0;

/** Name of the recovery curve over every failed invoice. */
export const ALL_FAILED = 'all failed invoices';

export interface RecoveryCurve {
  readonly declineCode: string;
  readonly failedInvoices: number;
  /** x: days since first failure; y: Kaplan–Meier percent of this group recovered by then (null: nobody watched that long). */
  readonly series: Series;
  /** The 95 % band of y (percent). */
  readonly low: (number | null)[];
  readonly high: (number | null)[];
  /** Revenue recovered by day x (dollars, observed). */
  readonly recoveredDollars: number[];
}

/**
 * A run's curves: as computed when it ran, or (results stored before curves existed) from its
 * invoice rows, censored at the run's end or at the latest time they record, whichever is later.
 */
function curvesOf(run: RunResult): RecoveryCurves {
  if (run.recoveryCurves !== undefined) return run.recoveryCurves;
  const scenario = run.parameters['scenario'] as { warmUpDays?: number } | undefined;
  const endMs = ((scenario?.warmUpDays ?? 0) + run.days + run.settleDays) * MS_PER_DAY;
  const latestMs = run.invoices.reduce((max, i) => Math.max(max, i.firstFailedAtMs, i.paidAtMs), endMs);
  return recoveryCurvesOf(run.invoices, latestMs);
}

const percentOrNull = (v: number | null): number | null => (v === null ? null : v * 100);

/** Recovery curves by first decline code (largest groups first), then one over all failed invoices. */
export function recoveryCurves(run: RunResult): RecoveryCurve[] {
  return curvesOf(run).curves.map((c) => ({
    declineCode: c.reason === ALL_REASONS ? ALL_FAILED : c.reason,
    failedInvoices: c.failedInvoices,
    series: { x: c.points.map((p) => p.day), y: c.points.map((p) => percentOrNull(p.recoveredShare)) },
    low: c.points.map((p) => percentOrNull(p.low)),
    high: c.points.map((p) => percentOrNull(p.high)),
    recoveredDollars: c.points.map((p) => p.recoveredCents / 100),
  }));
}

/** Recovered invoices by retry attempts (attempts after the first): x retries, y invoices. */
export function retriesHistogram(invoices: readonly InvoiceRow[]): Series {
  const counts: number[] = [];
  for (const i of invoices.filter(recovered)) {
    const retries = Math.max(0, i.attempts - 1);
    while (counts.length <= retries) counts.push(0);
    counts[retries] = (counts[retries] ?? 0) + 1;
  }
  return { x: counts.map((_, n) => n), y: counts };
}
