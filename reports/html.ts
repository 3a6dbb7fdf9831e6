/**
 * The HTML report: one self-contained file (Plotly inlined, no network) with
 * the case-study KPI table, trajectories, drift, recovery, consequences,
 * retries and, for several runs, a side-by-side comparison.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CompareResult } from './comparison.js';
import type { RunResult } from '../sim/world/result.js';
import { comparisonIntro, comparisonTable } from './comparison-table.js';
import { escapeHtml, jsonForScript, scriptSafe } from './escape.js';
import {
  comparisonFigure,
  declineCodeColors,
  driftFigure,
  occupancyFigure,
  recoveredRevenueFigure,
  recoveryFigure,
  retriesFigure,
  trajectoryFigures,
  type Figure,
} from './figures.js';
import { runLabels, sharedReference } from './report-data.js';
import { formatNumber, kpiTable, recoveryTable, runsTable } from './tables.js';

export interface ReportOptions {
  /** One label per run (e.g. run ids); default: what differs between the runs. */
  readonly labels?: readonly string[];
  readonly title?: string;
  /** A paired comparison across seeds (billsim compare): rendered as its own section. */
  readonly comparison?: CompareResult;
}

let plotlySource: string | undefined;

/** The minified Plotly bundle, read once from node_modules. */
function comparisonSection(figure: Figure | null): { heading: string; figures: Figure[] }[] {
  return figure === null ? [] : [{ heading: 'Comparison', figures: [figure] }];
}

export function plotlyBundle(): string {
  if (plotlySource === undefined) {
    const require = createRequire(import.meta.url);
    plotlySource = scriptSafe(readFileSync(require.resolve('plotly.js-dist-min'), 'utf8'));
  }
  return plotlySource;
}

interface Section {
  readonly heading: string;
  readonly intro?: string;
  readonly html?: string;
  readonly figures?: readonly Figure[];
}

function figureHtml(f: Figure): string {
  return (
    `<figure><div id="${escapeHtml(f.id)}" class="plot" role="img" aria-label="${escapeHtml(f.title)}"></div>` +
    `<figcaption>${escapeHtml(f.caption)}</figcaption></figure>`
  );
}

function sectionHtml(s: Section): string {
  const intro = s.intro ? `<p>${escapeHtml(s.intro)}</p>` : '';
  return `<section><h2>${escapeHtml(s.heading)}</h2>${intro}${s.html ?? ''}${(s.figures ?? []).map(figureHtml).join('')}</section>`;
}

function sections(runs: readonly RunResult[], labels: readonly string[], comparison?: CompareResult): Section[] {
  const several = runs.length > 1;
  const colors = declineCodeColors(runs);
  const perRun = runs.flatMap((run, i): Section[] => [
    {
      heading: `Run: ${labels[i] ?? ''}`,
      intro: `${run.scenario}, policies ${run.policies}, seed ${run.seed}: ${run.days} days plus ${run.settleDays} settle days, ${formatNumber(run.accounts, 0)} accounts.`,
      figures: [
        driftFigure(run, labels[i] ?? '', i),
        recoveryFigure(run, labels[i] ?? '', i, colors),
        occupancyFigure(run, labels[i] ?? '', i),
      ],
    },
  ]);
  return [
    { heading: 'Runs', html: runsTable(runs, labels) },
    ...(comparison
      ? [
          {
            heading: 'Paired comparison across seeds',
            intro: comparisonIntro(comparison),
            html: comparisonTable(comparison),
          },
        ]
      : []),
    {
      heading: 'KPIs',
      intro:
        sharedReference(runs) === null
          ? "Now is the simulated run. The scenario gives no reference figures, so there is no start or target to measure progress against (a scenario's reference: block adds them)."
          : "Start and target are the scenario's reference figures (where a system started, where a project aims); now is the simulated run.",
      html: kpiTable(runs, labels),
    },
    ...comparisonSection(several ? comparisonFigure(runs, labels) : null),
    {
      heading: 'Recovery',
      html: recoveryTable(runs, labels),
      figures: [recoveredRevenueFigure(runs, labels), retriesFigure(runs, labels)],
    },
    { heading: 'KPI trajectories', figures: trajectoryFigures(runs, labels) },
    ...perRun,
  ];
}

const BOOT = `
(function () {
  var figures = JSON.parse(document.getElementById('billsim-figures').textContent);
  var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['sendDataToCloud', 'lasso2d', 'select2d'] };
  window.billsimReady = Promise.all(figures.map(function (f) {
    return Plotly.newPlot(f.id, f.data, f.layout, config);
  })).then(function () { return figures.length; });
})();`;

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2933; margin: 0; background: #f7f8fa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #e4e7eb; padding-bottom: 4px; }
.sub { color: #616e7c; margin: 0 0 16px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #e4e7eb; padding: 4px 10px; text-align: right; } th { background: #f0f4f8; }
td:first-child, th:first-child { text-align: left; }
td.text { text-align: left; } td.good { color: #15803d; font-weight: 600; } td.bad { color: #b91c1c; }
figure { margin: 12px 0 24px; } .plot { width: 100%; min-height: 360px; }
figcaption { color: #52606d; font-size: 13px; margin-top: 2px; }`;

/** Renders the runs as one self-contained HTML page. */
export function renderReport(runs: readonly RunResult[], options: ReportOptions = {}): string {
  if (runs.length === 0) throw new Error('renderReport needs at least one run');
  const labels = options.labels ?? runLabels(runs);
  const parts = sections(runs, labels, options.comparison);
  const figures = parts.flatMap((s) => s.figures ?? []);
  const title = options.title ?? `billsim report: ${runs.length === 1 ? labels[0] : `${runs.length} runs`}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>
<p class="sub">Scenario ${escapeHtml([...new Set(runs.map((r) => r.scenario))].join(', '))}; ${figures.length} plots. Deterministic: the same runs render the same file.</p>
${parts.map(sectionHtml).join('\n')}
</main>
<script type="application/json" id="billsim-figures">${jsonForScript(figures.map(({ id, data, layout }) => ({ id, data, layout })))}</script>
<script>${plotlyBundle()}</script>
<script>${BOOT}</script>
</body></html>
`;
}

/** How many plots `renderReport` draws for these runs. */
export function plotCount(runs: readonly RunResult[]): number {
  return sections(runs, runLabels(runs)).reduce((n, s) => n + (s.figures?.length ?? 0), 0);
}
