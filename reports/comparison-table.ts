/** The report's paired-comparison table: means per policy, each pair's difference and interval. */
import type { CompareResult } from './comparison.js';
import { formatInterval, formatStat } from './comparison-text.js';
import { escapeHtml } from './escape.js';

/** Whether a difference is an improvement (good), a regression (bad) or unclear. */
function verdictClass(better: string, ciLow: number, ciHigh: number): string {
  if (better === 'neutral' || (ciLow <= 0 && ciHigh >= 0)) return '';
  const up = ciLow > 0;
  return (better === 'higher') === up ? ' class="good"' : ' class="bad"';
}

export function comparisonTable(result: CompareResult): string {
  const pairs = Object.values(result.metrics)[0]?.pairs ?? [];
  const level = `${Math.round(result.confidence * 100)} % CI`;
  const head = [
    'metric',
    ...result.policies.map((p) => `mean: ${p}`),
    ...pairs.flatMap((p) => [`${p.b} − ${p.a}`, level, 'excludes 0']),
  ];
  const rows = Object.values(result.metrics).map((m) => {
    const means = result.policies.map((p) => `<td>${escapeHtml(formatStat(m.means[p] ?? NaN))}</td>`);
    const diffs = m.pairs.map(
      (p) =>
        `<td${verdictClass(m.better, p.ciLow, p.ciHigh)}>${escapeHtml(formatStat(p.diff))}</td>` +
        `<td>${escapeHtml(formatInterval(p))}</td><td>${p.excludesZero ? 'yes' : 'no'}</td>`,
    );
    return `<tr><td>${escapeHtml(m.label)}</td>${means.join('')}${diffs.join('')}</tr>`;
  });
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function comparisonIntro(result: CompareResult): string {
  return (
    `Paired runs on seeds ${result.seeds.join(', ')}: every policy set saw the same world on each seed (common random numbers). ` +
    `Each difference is the mean over seeds of (second − first), with a paired Student's t interval; ` +
    'green is an improvement, red a regression, uncoloured an interval that contains zero.'
  );
}
