import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../reports/escape.js';
import { plotCount, renderReport } from '../../reports/html.js';
import { progressToTargetPercent, recoveryCurves, retriesHistogram, runLabels } from '../../reports/report-data.js';
import type { RunResult } from '../../sim/world/result.js';
import { kpiTextTable } from '../../reports/text.js';
import { fixtureRuns, makeRun } from './fixture.js';

/** The page without the inlined Plotly bundle. */
function pageWithoutPlotly(html: string): string {
  const start = html.lastIndexOf('<script>', html.indexOf('* plotly.js v'));
  if (start < 0) throw new Error('no inlined Plotly bundle');
  const end = html.indexOf('</script>', start);
  return html.slice(0, start) + html.slice(end);
}

describe('HTML report', () => {
  it('is deterministic, self-contained and counts its plots', () => {
    const runs = fixtureRuns();
    const html = renderReport(runs);
    expect(renderReport(runs)).toBe(html);
    expect(plotCount(runs)).toBe(5 + 3 * runs.length + 1);
    expect(plotCount([runs[0] as RunResult])).toBe(5 + 3);
    const page = pageWithoutPlotly(html);
    expect(page).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    expect(html).toContain('window.Plotly = Plotly');
  });

  it('shows the case study table: start, now per run, target', () => {
    const html = renderReport(fixtureRuns());
    expect(html).toContain(
      '<th>KPI</th><th>start</th><th>now: legacy</th><th>now: recompute+reason-aware</th><th>target</th>',
    );
    expect(html).toMatch(/<td>Rollbacks \(per day\)<\/td><td>196<\/td><td[^>]*>180\.7<\/td>/);
    expect(html).toContain('<td>19 %</td>');
  });

  it('a world without reference figures shows no start, no target and no progress chart', () => {
    const bare = fixtureRuns().map((r) => ({ ...r, parameters: {} })) as RunResult[];
    const html = renderReport(bare);
    expect(html).toContain('<th>KPI</th><th>now: legacy</th><th>now: recompute+reason-aware</th></tr>');
    expect(html).not.toContain('<th>start</th>');
    expect(html).not.toContain('KPI progress from start to target');
    expect(html).toContain('The scenario gives no reference figures');
    expect(plotCount(bare)).toBe(plotCount(fixtureRuns()) - 1);
    expect(kpiTextTable(bare[0]!)).not.toMatch(/start|target/);
    expect(kpiTextTable(fixtureRuns()[0])).toMatch(/^KPI\s+start\s+this run\s+target/);
  });

  it('escapes every piece of run text, in tables and in plot labels', () => {
    const evil = '<img src=x onerror=alert(1)>"\'&';
    const base = makeRun('legacy', 5, 40);
    const run: RunResult = {
      ...base,
      policies: evil,
      scenario: `</script><script>alert(2)</script>`,
      daily: base.daily.map((d) => ({ ...d, drift: { [evil]: 1 } })),
    };
    const page = pageWithoutPlotly(renderReport([run]));
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script>alert');
    expect(page).toContain(escapeHtml(evil));
    expect(jsonForScript({ a: '</script>' })).toBe('{"a":"\\u003c/script>"}');
  });

  it('computes recovery curves, retry counts, labels and progress', () => {
    const run = makeRun('recompute', 9);
    const curves = recoveryCurves(run);
    const all = curves.at(-1);
    expect(all?.declineCode).toBe('all failed invoices');
    expect(all?.failedInvoices).toBe(run.recovery.failedInvoices);
    // Kaplan-Meier: invoices still unpaid at the end are censored, so the curve ends at or above the share paid.
    expect(all?.series.y.at(-1)).toBeGreaterThanOrEqual(run.recovery.recoveryRate! * 100 - 1e-9);
    expect(all?.recoveredDollars.at(-1)).toBeCloseTo(run.recovery.revenueRecoveredCents / 100, 9);
    for (const c of curves) {
      const known = c.series.y.filter((y) => y !== null);
      expect(known).toEqual([...known].sort((a, b) => a - b));
      c.series.y.forEach((y, d) => {
        if (y !== null) expect(c.low[d]! - 1e-9 <= y && y <= c.high[d]! + 1e-9).toBe(true);
      });
    }
    const h = retriesHistogram(run.invoices);
    expect(h.y.reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(run.recovery.recoveredInvoices);
    expect(runLabels([run, run])).toEqual(['recompute+reason-aware', 'recompute+reason-aware #2']);
    expect(progressToTargetPercent(19, 19, 100)).toBe(0);
    expect(progressToTargetPercent(100, 19, 100)).toBe(100);
  });
});
