/**
 * Text output for a run: the header (seed and every parameter first) and the
 * KPI table in the case study's style.
 */
import type { RunResult } from '../sim/world/result.js';
import { KPI_SPECS, referenceFigure, referenceOf, type KpiSpec } from './report-data.js';

/** key = value lines for every leaf of a nested parameter object. */
export function flattenParameters(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [`${prefix} = ${JSON.stringify(value)}`];
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object'))
    return [`${prefix} = ${JSON.stringify(value)}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    flattenParameters(v, prefix === '' ? k : `${prefix}.${k}`),
  );
}

export function formatHeader(command: string, seed: number, parameters: Record<string, unknown>): string {
  return [
    `billsim ${command}  seed=${seed}`,
    'parameters:',
    ...flattenParameters(parameters).map((l) => `  ${l}`),
    '',
  ].join('\n');
}

export function fmt(value: number | null, percent = false): string {
  if (value === null) return 'n/a';
  if (percent) return `${(value * 100).toFixed(1)} %`;
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(2);
}

function invoiceOutcomes(rec: RunResult['recovery']): string {
  return [rec.failedInvoices, rec.recoveredInvoices, rec.lostInvoices, rec.censoredInvoices].join(' / ');
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   '))
    .join('\n');
}

/** A KPI in the text tables' units: a share as %, counts whole, rates to two places. */
function kpiText(k: KpiSpec, value: number | null): string {
  if (value === null) return '—';
  return k.unit === '%' ? `${value.toFixed(1)} %` : fmt(value);
}

/** The KPI table: start and target columns only when the run's scenario carries reference figures. */
export function kpiTextTable(r: RunResult): string {
  const reference = referenceOf(r);
  if (reference === null)
    return table([['KPI', 'this run'], ...KPI_SPECS.map((k) => [label(k), kpiText(k, k.now(r.kpis))])]);
  const rows = KPI_SPECS.map((k) => [
    label(k),
    kpiText(k, referenceFigure(k, reference, 'start')),
    kpiText(k, k.now(r.kpis)),
    kpiText(k, referenceFigure(k, reference, 'target')),
  ]);
  return `${table([['KPI', 'start', 'this run', 'target'], ...rows])}\nstart and target: ${reference.source}`;
}

const label = (k: KpiSpec): string => `${k.name.toLowerCase()}${k.unit === 'per day' ? ' per day' : ''}`;

export function formatResult(r: RunResult): string {
  const kpis = kpiTextTable(r);
  const drift = table([['invariant', 'accounts'], ...Object.entries(r.drift).map(([name, n]) => [name, String(n)])]);
  const rec = r.recovery;
  const recovery = table([
    ['recovery', 'value'],
    ['recovery rate', fmt(rec.recoveryRate, true)],
    ['revenue recovered', `${(rec.revenueRecoveredCents / 100).toFixed(2)}`],
    ['failed / recovered / lost / censored invoices', invoiceOutcomes(rec)],
    ['mean days to recovery', fmt(rec.meanDaysToRecovery)],
    ['retries per recovered invoice', fmt(rec.retriesPerRecovery)],
    ['retries per failed invoice', fmt(rec.retriesPerFailedInvoice)],
    ['involuntary churn (subscribers lost to failed payment)', String(rec.involuntaryChurn)],
    ['involuntary churn per 1,000 subscribers', fmt(rec.involuntaryChurnPerThousand)],
    ['involuntary churn per month (subscribers)', fmt(rec.involuntaryChurnMonthlyRate, true)],
    ['involuntary churn per month (MRR)', fmt(rec.involuntaryChurnMrrMonthlyRate, true)],
    ['customer harm (restriction-days, owed nothing)', fmt(rec.customerHarmRestrictionDays)],
    ['card-network rule violations', String(rec.networkRuleViolations)],
    ['card-network fees', `${((rec.networkFeesCents ?? 0) / 100).toFixed(2)}`],
    ['double charges', String(rec.doubleCharges)],
    ['attempts on settled invoices', String(rec.retriesAfterSettled)],
    ['dunning contacts sent', String(rec.contactsSent ?? 0)],
    ['contacts to customers owing nothing', String(rec.contactsToCustomersOwingNothing ?? 0)],
    ...lifecycleRows(r),
    ['bad debt from upgrades (money)', `${(r.kpis.badDebtFromUpgradesCents / 100).toFixed(2)}`],
  ]);
  const title = `${r.scenario} · ${r.policies} · seed ${r.seed} · ${r.accounts} accounts · ${r.days} days + ${r.settleDays} settle · ${r.events} events`;
  const warnings = (rec.warnings ?? []).map((w) => `warning: ${w}`);
  return [
    title,
    '',
    kpis,
    '',
    drift,
    '',
    recovery,
    ...(warnings.length > 0 ? ['', ...warnings] : []),
    '',
    recoveryCurvesText(r),
    '',
  ].join('\n');
}

/** Days the text table shows; the JSON, the store and the report have every day. */
export const CURVE_DAYS = [1, 3, 7, 14, 30] as const;

/** Recovery by day since first failure, per first decline reason (Kaplan–Meier; unpaid at the end censored). */
export function recoveryCurvesText(r: RunResult): string {
  const curves = r.recoveryCurves?.curves ?? [];
  if (curves.length === 0) return 'recovery by day since first failure: n/a (no renewal failed in this run)';
  const share = (v: number | null | undefined): string => (v === null || v === undefined ? 'n/a' : fmt(v, true));
  const rows = curves.map((c) => [
    c.reason,
    String(c.failedInvoices),
    ...CURVE_DAYS.map((d) => share(c.points[d]?.recoveredShare)),
    c.peakDay === null ? 'n/a' : String(c.peakDay),
    (lastPoint(c.points).recoveredCents / 100).toFixed(2),
  ]);
  return [
    'recovery by day since first failure (Kaplan–Meier: invoices unpaid at the end are censored; n/a: nobody watched that long)',
    table([
      ['first decline', 'failed', ...CURVE_DAYS.map((d) => `day ${d}`), 'peak day', 'revenue recovered'],
      ...rows,
    ]),
  ].join('\n');
}

function lastPoint<T>(points: readonly T[]): T {
  return points[points.length - 1]!;
}

/** The run as printed by --json: everything but the per-invoice rows. */
export function jsonOf(r: RunResult): string {
  const { invoices: _invoices, ...rest } = r;
  return JSON.stringify(rest);
}

function lifecycleRows(r: RunResult): string[][] {
  if (r.lifecycle === undefined) return [];
  const { violations, coverage } = r.lifecycle;
  const total = coverage.fired.length + coverage.neverFired.length;
  return [
    ['lifecycle transitions outside the spec', String(violations)],
    ['lifecycle spec transitions fired', `${coverage.fired.length}/${total}`],
  ];
}
