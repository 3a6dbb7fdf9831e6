/**
 * The numbers behind the HTML report, computed from RunResults alone:
 * the case-study KPI table, daily trajectories, recovery curves, retry counts.
 */
import { MS_PER_DAY } from '../policies/types.js';
import type { DailyRow, InvoiceRow, Kpis, RunResult } from '../sim/world/result.js';
import { referenceSchema, type ScenarioReference } from '../sim/world/scenario/schema.js';

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

/** Whole days from first failure to payment (0 = paid within a day of failing). */
function daysToRecovery(invoice: InvoiceRow): number {
  return Math.floor((invoice.paidAtMs - invoice.firstFailedAtMs) / MS_PER_DAY);
}

/** Name of the recovery curve over every failed invoice. */
export const ALL_FAILED = 'all failed invoices';

export interface RecoveryCurve {
  readonly declineCode: string;
  readonly failedInvoices: number;
  /** x: days since first failure; y: percent of this group's failed invoices paid by then. */
  readonly series: Series;
}

function curveFor(declineCode: string, group: readonly InvoiceRow[], horizonDays: number): RecoveryCurve {
  const paidOnDay = new Array<number>(horizonDays + 1).fill(0);
  for (const i of group.filter(recovered)) {
    const day = Math.min(horizonDays, daysToRecovery(i));
    paidOnDay[day] = (paidOnDay[day] ?? 0) + 1;
  }
  const x = paidOnDay.map((_, d) => d);
  let paidSoFar = 0;
  const y = paidOnDay.map((n) => ((paidSoFar += n) / group.length) * 100);
  return { declineCode, failedInvoices: group.length, series: { x, y } };
}

/** Recovery curves by first decline code (largest groups first), then one over all failed invoices. */
export function recoveryCurves(invoices: readonly InvoiceRow[]): RecoveryCurve[] {
  const failedInvoices = invoices.filter(failed);
  if (failedInvoices.length === 0) return [];
  const horizonDays = failedInvoices.filter(recovered).reduce((max, i) => Math.max(max, daysToRecovery(i)), 7);
  const groups = new Map<string, InvoiceRow[]>();
  for (const i of failedInvoices) {
    const code = i.firstDeclineCode ?? 'no decline code';
    const group = groups.get(code);
    if (group) group.push(i);
    else groups.set(code, [i]);
  }
  const byCode = [...groups.entries()]
    .sort(([a, ga], [b, gb]) => gb.length - ga.length || (a < b ? -1 : 1))
    .map(([code, group]) => curveFor(code, group, horizonDays));
  return [...byCode, curveFor(ALL_FAILED, failedInvoices, horizonDays)];
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
