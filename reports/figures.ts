/**
 * Plotly figure specs for the report. Every figure has a title, axis titles
 * with units and a caption saying how to read it. Text from run data goes
 * through `escapeHtml`: Plotly renders a subset of HTML in labels and decodes
 * entities, so escaped text shows as typed and never becomes markup.
 */
import { CONSEQUENCE_LEVELS } from '../policies/types.js';
import type { RunResult } from '../sim/world/result.js';
import { escapeHtml } from './escape.js';
import {
  KPI_SPECS,
  referenceFigure,
  sharedReference,
  coveragePercentSeries,
  invariantNames,
  progressToTargetPercent,
  recoveryCurves,
  retriesHistogram,
  rollbacksPerDaySeries,
  ALL_FAILED,
  type RecoveryCurve,
  type Series,
} from './report-data.js';

export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly data: readonly Record<string, unknown>[];
  readonly layout: Record<string, unknown>;
}

export const RUN_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
const LEVEL_COLORS = ['#fde68a', '#fbbf24', '#f97316', '#dc2626', '#7f1d1d'];

const runColor = (i: number): string => RUN_COLORS[i % RUN_COLORS.length] ?? '#333';

interface Axes {
  readonly x: string;
  readonly y: string;
  readonly yRange?: readonly [number, number];
}

function layout(title: string, axes: Axes, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { text: escapeHtml(title), x: 0, xanchor: 'left', font: { size: 15 } },
    xaxis: { title: { text: escapeHtml(axes.x) }, zeroline: false },
    yaxis: { title: { text: escapeHtml(axes.y) }, rangemode: 'tozero', ...(axes.yRange ? { range: axes.yRange } : {}) },
    margin: { t: 48, r: 16, b: 56, l: 72 },
    height: 360,
    font: { family: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif', size: 12 },
    legend: { font: { size: 11 } },
    hovermode: 'x unified',
    ...extra,
  };
}

function line(
  name: string,
  series: Series,
  color?: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'scatter',
    mode: 'lines',
    name: escapeHtml(name),
    x: series.x,
    y: series.y,
    line: { width: 2, ...(color ? { color } : {}) },
    ...extra,
  };
}

/** Dashed horizontal lines at the scenario's start and target values (those it gives; none without a reference). */
function startAndTarget(start: number | null, target: number | null, unit: string): Record<string, unknown> {
  const ref = (y: number, label: string, color: string) => ({
    shape: { type: 'line', xref: 'paper', x0: 0, x1: 1, y0: y, y1: y, line: { dash: 'dash', width: 1, color } },
    note: {
      xref: 'paper',
      x: 1,
      y,
      xanchor: 'right',
      yanchor: 'bottom',
      showarrow: false,
      text: `${label} ${y}${unit}`,
      font: { size: 10, color },
    },
  });
  const lines = [
    ...(start === null ? [] : [ref(start, 'start', '#888')]),
    ...(target === null ? [] : [ref(target, 'target', '#15803d')]),
  ];
  return { shapes: lines.map((l) => l.shape), annotations: lines.map((l) => l.note) };
}

type Trajectory = (run: RunResult) => Series;

function trajectoryFigure(
  id: string,
  kpiIndex: number,
  yTitle: string,
  series: Trajectory,
  caption: string,
  runs: readonly RunResult[],
  labels: readonly string[],
): Figure {
  const spec = KPI_SPECS[kpiIndex];
  if (!spec) throw new Error(`no KPI ${kpiIndex}`);
  const unit = spec.unit === '%' ? ' %' : '';
  const reference = sharedReference(runs);
  const figure = (which: 'start' | 'target') => (reference === null ? null : referenceFigure(spec, reference, which));
  return {
    id,
    title: `${spec.name} by day`,
    caption,
    data: runs.map((run, i) => line(labels[i] ?? '', series(run), runColor(i))),
    layout: layout(
      `${spec.name} by day`,
      { x: 'simulated day (day)', y: yTitle, ...(spec.unit === '%' ? { yRange: [0, 105] as const } : {}) },
      startAndTarget(figure('start'), figure('target'), unit),
    ),
  };
}

export function trajectoryFigures(runs: readonly RunResult[], labels: readonly string[]): Figure[] {
  return [
    trajectoryFigure(
      'trajectory-rollbacks',
      0,
      'rollbacks per day (cumulative mean)',
      (r) => rollbacksPerDaySeries(r.daily),
      "Each line is one run: total rollbacks so far divided by days elapsed; lower is better. Dashed lines mark the scenario's start and target figures when it has them.",
      runs,
      labels,
    ),
    trajectoryFigure(
      'trajectory-disagreeing',
      2,
      'disagreeing accounts (accounts)',
      (r) => ({ x: r.daily.map((d) => d.day), y: r.daily.map((d) => d.disagreeingAccounts) }),
      'Each line is one run: accounts whose stores disagree at the end of each day; lower is better, the target is 0.',
      runs,
      labels,
    ),
    trajectoryFigure(
      'trajectory-coverage',
      3,
      'invoice events covered (%)',
      (r) => coveragePercentSeries(r.daily),
      'Each line is one run: the share of invoice lifecycle events so far that a dunning code path handled and reconciled; higher is better, the target is 100 %.',
      runs,
      labels,
    ),
  ];
}

export function driftFigure(run: RunResult, label: string, index: number): Figure {
  const names = invariantNames(run.daily);
  const title = `Drift per invariant — ${label}`;
  return {
    id: `drift-${index}`,
    title,
    caption:
      'Each line is one named invariant: how many accounts break it at the end of each simulated day; a line that stays at 0 means that invariant always held.',
    data: names.map((name) =>
      line(name, { x: run.daily.map((d) => d.day), y: run.daily.map((d) => d.drift[name] ?? 0) }),
    ),
    layout: layout(title, { x: 'simulated day (day)', y: 'accounts breaking it (accounts)' }),
  };
}

const CODE_COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#bcbd22',
  '#17becf',
  '#7f7f7f',
];

/** One colour per first decline code, the same in every run's recovery plot. */
export function declineCodeColors(runs: readonly RunResult[]): Map<string, string> {
  const codes = [...new Set(runs.flatMap((r) => recoveryCurves(r).map((c) => c.declineCode)))].sort();
  return new Map(codes.map((code, i) => [code, CODE_COLORS[i % CODE_COLORS.length] ?? '#333']));
}

export function recoveryFigure(
  run: RunResult,
  label: string,
  index: number,
  colors: ReadonlyMap<string, string>,
): Figure {
  const curves = recoveryCurves(run);
  const title = `Recovery curves by first decline code — ${label}`;
  return {
    id: `recovery-${index}`,
    title,
    caption:
      'Each line follows the invoices whose first failure had that decline code (n = how many): the Kaplan–Meier share of them paid within x days of that first failure, an invoice still unpaid when the run ended counting as unobserved after that, not as lost; the grey band is the 95 % interval of the curve over all failed invoices. Steeper and higher means faster, fuller recovery.',
    data: curves.flatMap((c) => {
      const all = c.declineCode === ALL_FAILED;
      const style = all
        ? { color: '#111', dash: 'dot', width: 3 }
        : { color: colors.get(c.declineCode) ?? '#333', width: 2 };
      const curve = line(`${c.declineCode} (n=${c.failedInvoices})`, c.series, undefined, {
        line: { shape: 'hv', ...style },
      });
      return all ? [...bandTraces(c), curve] : [curve];
    }),
    layout: layout(title, { x: 'days since first failure (days)', y: 'failed invoices paid (%)', yRange: [0, 100] }),
  };
}

/** The 95 % band of a curve: its lower edge, then the upper edge filled down to it. */
function bandTraces(c: RecoveryCurve): Record<string, unknown>[] {
  const edge = { shape: 'hv', width: 0, color: 'rgba(0,0,0,0)' };
  return [
    line('95 % band (low)', { x: c.series.x, y: c.low }, undefined, {
      line: edge,
      showlegend: false,
      hoverinfo: 'skip',
    }),
    line('95 % band', { x: c.series.x, y: c.high }, undefined, {
      line: edge,
      fill: 'tonexty',
      fillcolor: 'rgba(120,120,120,0.2)',
      hoverinfo: 'skip',
    }),
  ];
}

/** Cumulative revenue recovered by day since first failure, one line per run. */
export function recoveredRevenueFigure(runs: readonly RunResult[], labels: readonly string[]): Figure {
  const title = 'Revenue recovered by day since first failure';
  return {
    id: 'recovered-revenue',
    title,
    caption:
      'For each run, the money of failed renewals paid within x days of their first failure (observed, all decline codes together); a higher, earlier rise means more revenue back sooner.',
    data: runs.map((run, i) => {
      const all = recoveryCurves(run).find((c) => c.declineCode === ALL_FAILED);
      return line(labels[i] ?? '', { x: all?.series.x ?? [], y: all?.recoveredDollars ?? [] }, runColor(i), {
        line: { shape: 'hv', color: runColor(i), width: 2 },
      });
    }),
    layout: layout(title, { x: 'days since first failure (days)', y: 'revenue recovered (dollars)' }),
  };
}

export function occupancyFigure(run: RunResult, label: string, index: number): Figure {
  const levels = CONSEQUENCE_LEVELS.filter((l) => l !== 'none');
  const title = `Consequence-state occupancy — ${label}`;
  return {
    id: `occupancy-${index}`,
    title,
    caption:
      'Bands are stacked: the height of each band is the number of accounts at that consequence level at the end of the day, and the top edge is all accounts under any consequence (accounts at "none" are left out).',
    data: levels.map((level, i) =>
      line(
        level,
        { x: run.daily.map((d) => d.day), y: run.daily.map((d) => d.consequenceOccupancy[level] ?? 0) },
        LEVEL_COLORS[i],
        { stackgroup: 'levels', line: { width: 0.5, color: LEVEL_COLORS[i] } },
      ),
    ),
    layout: layout(title, { x: 'simulated day (day)', y: 'accounts at the level (accounts)' }),
  };
}

export function retriesFigure(runs: readonly RunResult[], labels: readonly string[]): Figure {
  const title = 'Retry attempts per recovered invoice';
  return {
    id: 'retries',
    title,
    caption:
      'Bars count recovered invoices by how many collection attempts followed the first one, one colour per run; mass further left means recoveries that needed fewer retries.',
    data: runs.map((run, i) => {
      const h = retriesHistogram(run.invoices);
      return { type: 'bar', name: escapeHtml(labels[i] ?? ''), x: h.x, y: h.y, marker: { color: runColor(i) } };
    }),
    layout: layout(
      title,
      { x: 'retry attempts after the first (attempts)', y: 'recovered invoices (invoices)' },
      {
        barmode: 'group',
        hovermode: 'closest',
        xaxis: { title: { text: 'retry attempts after the first (attempts)' }, dtick: 1 },
      },
    ),
  };
}

/**
 * Progress from the scenario's start to its target per KPI, one bar per run; null when the runs share
 * no reference (on a world without one, "progress to target" means nothing) or it gives no KPI both figures.
 */
export function comparisonFigure(runs: readonly RunResult[], labels: readonly string[]): Figure | null {
  const reference = sharedReference(runs);
  if (reference === null) return null;
  const kpis = KPI_SPECS.flatMap((k) => {
    const start = referenceFigure(k, reference, 'start');
    const target = referenceFigure(k, reference, 'target');
    return start === null || target === null || start === target ? [] : [{ k, start, target }];
  });
  if (kpis.length === 0) return null;
  const title = 'KPI progress from start to target, by run';
  const names = kpis.map(({ k }) => escapeHtml(k.name));
  return {
    id: 'comparison',
    title,
    caption: `For each KPI, one bar per run: 0 % means still at the start value, 100 % means the target is reached (below 0 is worse than the start). Start and target: ${escapeHtml(reference.source)}.`,
    data: runs.map((run, i) => ({
      type: 'bar',
      name: escapeHtml(labels[i] ?? ''),
      x: names,
      marker: { color: runColor(i) },
      y: kpis.map(
        ({ k, start, target }) => Math.round(progressToTargetPercent(k.now(run.kpis), start, target) * 10) / 10,
      ),
    })),
    layout: layout(
      title,
      { x: 'KPI', y: 'progress from start to target (%)' },
      {
        barmode: 'group',
        hovermode: 'closest',
        shapes: [
          {
            type: 'line',
            xref: 'paper',
            x0: 0,
            x1: 1,
            y0: 100,
            y1: 100,
            line: { dash: 'dash', width: 1, color: '#15803d' },
          },
        ],
      },
    ),
  };
}
