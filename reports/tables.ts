/** The report's HTML tables: runs, KPIs (with the scenario's start and target when it has them), recovery figures. Everything escaped. */
import type { Recovery, RunResult } from '../sim/world/result.js';
import { escapeHtml } from './escape.js';
import { KPI_SPECS, referenceFigure, sharedReference, type KpiSpec } from './report-data.js';

export function formatNumber(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(head: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const tr = rows.map(
    (r) => `<tr>${r.map((c) => `<td${c.cls ? ` class="${c.cls}"` : ''}>${escapeHtml(c.text)}</td>`).join('')}</tr>`,
  );
  return `<table><thead><tr>${th}</tr></thead><tbody>${tr.join('')}</tbody></table>`;
}

interface Cell {
  readonly text: string;
  readonly cls?: 'good' | 'bad' | 'text';
}

const plain = (text: string | number): Cell => ({ text: String(text) });
const words = (text: string): Cell => ({ text, cls: 'text' });

export function runsTable(runs: readonly RunResult[], labels: readonly string[]): string {
  return table(
    ['run', 'scenario', 'policies', 'seed', 'days', 'settle days', 'accounts', 'kernel events', 'invoices'],
    runs.map((r, i) => [
      words(labels[i] ?? ''),
      words(r.scenario),
      words(r.policies),
      ...[
        r.seed,
        r.days,
        r.settleDays,
        formatNumber(r.accounts, 0),
        formatNumber(r.events, 0),
        formatNumber(r.invoices.length, 0),
      ].map(plain),
    ]),
  );
}

function withUnit(spec: KpiSpec, value: number | null, digits: number): string {
  if (value === null) return '—';
  return spec.unit === '%' ? `${formatNumber(value, digits)} %` : formatNumber(value, digits);
}

/** Green when the run reached the target, red when it is no better than the start; plain without both. */
function kpiCell(spec: KpiSpec, value: number, start: number | null, target: number | null): Cell {
  const text = withUnit(spec, value, spec.digits);
  if (start === null || target === null || start === target) return { text };
  const towardTarget = Math.sign(target - start);
  const cls = (value - target) * towardTarget >= 0 ? 'good' : (value - start) * towardTarget <= 0 ? 'bad' : undefined;
  return { text, ...(cls ? { cls } : {}) };
}

/**
 * The KPI table: KPI, then one column per run; with the start and target
 * columns only when every run's scenario carries the same reference figures.
 */
export function kpiTable(runs: readonly RunResult[], labels: readonly string[]): string {
  const reference = sharedReference(runs);
  const nowHeads = runs.length === 1 ? ['now'] : labels.map((l) => `now: ${l}`);
  const figure = (k: KpiSpec, which: 'start' | 'target'): number | null =>
    reference === null ? null : referenceFigure(k, reference, which);
  const rows = KPI_SPECS.map((k) => [
    plain(`${k.name}${k.unit === '%' ? '' : ` (${k.unit})`}`),
    ...(reference === null ? [] : [plain(withUnit(k, figure(k, 'start'), 0))]),
    ...runs.map((r) => kpiCell(k, k.now(r.kpis), figure(k, 'start'), figure(k, 'target'))),
    ...(reference === null ? [] : [plain(withUnit(k, figure(k, 'target'), 0))]),
  ]);
  const head = reference === null ? ['KPI', ...nowHeads] : ['KPI', 'start', ...nowHeads, 'target'];
  const note = reference === null ? '' : `<p class="note">start and target: ${escapeHtml(reference.source)}</p>`;
  return table(head, rows) + note;
}

function percentOrNa(share: number | null | undefined, digits = 1): string {
  return share === null || share === undefined ? 'n/a' : `${formatNumber(share * 100, digits)} %`;
}

const RECOVERY_ROWS: readonly [string, (r: Recovery) => string][] = [
  ['Recovery rate (% of failed invoices with an outcome)', (r) => percentOrNa(r.recoveryRate)],
  ['Revenue recovered ($)', (r) => formatNumber(r.revenueRecoveredCents / 100, 2)],
  ['Failed invoices (invoices)', (r) => formatNumber(r.failedInvoices, 0)],
  ['Recovered invoices (invoices)', (r) => formatNumber(r.recoveredInvoices, 0)],
  ['Mean time to recovery (days)', (r) => formatNumber(r.meanDaysToRecovery, 1)],
  ['Censored invoices (still in recovery)', (r) => formatNumber(r.censoredInvoices, 0)],
  ['Involuntary churn (per 1,000 subscribers)', (r) => formatNumber(r.involuntaryChurnPerThousand, 1)],
  ['Involuntary churn per month (% of subscribers)', (r) => percentOrNa(r.involuntaryChurnMonthlyRate, 2)],
  ['Involuntary churn per month (% of MRR)', (r) => percentOrNa(r.involuntaryChurnMrrMonthlyRate, 2)],
  ['Customer harm (restriction-days)', (r) => formatNumber(r.customerHarmRestrictionDays, 1)],
  ['Retries per recovered invoice (attempts)', (r) => formatNumber(r.retriesPerRecovery, 2)],
  ['Retries per failed invoice (attempts)', (r) => formatNumber(r.retriesPerFailedInvoice, 2)],
  ['Network rule violations (attempts)', (r) => formatNumber(r.networkRuleViolations, 0)],
  ['Network fees ($)', (r) => formatNumber((r.networkFeesCents ?? 0) / 100, 2)],
  ['Double charges (charges)', (r) => formatNumber(r.doubleCharges, 0)],
  ['Retries after settled (attempts)', (r) => formatNumber(r.retriesAfterSettled, 0)],
];

export function recoveryTable(runs: readonly RunResult[], labels: readonly string[]): string {
  const heads = runs.length === 1 ? ['value'] : [...labels];
  return table(
    ['figure', ...heads],
    RECOVERY_ROWS.map(([name, get]) => [name, ...runs.map((r) => get(r.recovery))].map(plain)),
  );
}
