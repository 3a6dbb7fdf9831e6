/**
 * The numbers behind the HTML report, computed from RunResults alone:
 * the case-study KPI table, daily trajectories, recovery curves, retry counts.
 */
import { MS_PER_DAY } from '../policies/types.js';
import type { DailyRow, InvoiceRow, Kpis, RecoveryCurves, RunResult } from '../sim/world/result.js';
import { referenceSchema, type ScenarioReference } from '../sim/world/scenario/schema.js';
import { ALL_REASONS, recoveryCurvesOf } from '../sim/world/engine/recovery-curves.js';

export interface KpiSpec {
  /** The RunResult name (kpis.<key>), also the key of a scenario's reference figures. */
  readonly key: KpiKey;
  readonly name: string;
  readonly unit: string;
  /** The run's value, in the KPI's display unit. */
  readonly now: (kpis: Kpis) => number;
  /** From the stored unit to the display unit (coverage: a share shown in %). */
  readonly display: number;
  readonly digits: number;
}

type KpiKey = keyof ScenarioReference['start'];

const spec = (key: KpiKey, name: string, unit: string, digits: number, display = 1): KpiSpec => ({
  key,
  name,
  unit,
  display,
  digits,
  now: (k) => k[key] * display,
});

/** The five KPIs of the case study, in its order: the one definition every table and chart uses. */
export const KPI_SPECS: readonly KpiSpec[] = [
  spec('rollbacksPerDay', 'Rollbacks', 'per day', 1),
  spec('badDebtFromUpgradesPerDay', 'Bad debt from upgrades', 'per day', 1),
  spec('disagreeingAccounts', 'Disagreeing accounts', 'accounts', 0),
  spec('invoiceCoverage', 'Invoice coverage', '%', 1, 100),
  spec('dunningCodePaths', 'Dunning code paths', 'paths', 0),
];

/**
 * The reference figures of the scenario a run simulated (`reference:` in its
 * YAML, kept in the run's parameters and so in the store), or null: a world
 * without them has no start or target to show.
 */
export function referenceOf(run: RunResult): ScenarioReference | null {
  const scenario = (run.parameters as { scenario?: { reference?: unknown } }).scenario;
  const parsed = referenceSchema.safeParse(scenario?.reference);
  return parsed.success ? parsed.data : null;
}

/** The reference every run shares (the same figures), or null when any run lacks it or they differ. */
export function sharedReference(runs: readonly RunResult[]): ScenarioReference | null {
  const first = runs[0] === undefined ? null : referenceOf(runs[0]);
  if (first === null) return null;
  const text = JSON.stringify(first);
  return runs.every((r) => JSON.stringify(referenceOf(r)) === text) ? first : null;
}

/** A reference figure in the KPI's display unit, or null when the scenario does not give it. */
export function referenceFigure(kpi: KpiSpec, reference: ScenarioReference, which: 'start' | 'target'): number | null {
  const value = reference[which][kpi.key];
  return value === undefined ? null : value * kpi.display;
}

/** How far a value has moved from start to target, in percent: 0 at start, 100 at target. */
export function progressToTargetPercent(value: number, start: number, target: number): number {
  return ((value - start) / (target - start)) * 100;
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
