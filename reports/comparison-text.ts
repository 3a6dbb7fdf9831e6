/** The comparison as a terminal table: means per policy, then each pair's difference and interval. */
import { table as textTable } from './text.js';
import type { CompareResult, PairDifference } from './comparison.js';

/** A compact rendering of a statistic: integers as they are, others to a sensible precision. */
export function formatStat(value: number): string {
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '-∞';
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return value.toFixed(0);
  if (magnitude >= 1) return value.toFixed(2);
  if (magnitude < 0.001) return value.toExponential(2);
  return value.toFixed(4);
}

export function formatInterval(pair: Pick<PairDifference, 'ciLow' | 'ciHigh'>): string {
  return `[${formatStat(pair.ciLow)}, ${formatStat(pair.ciHigh)}]`;
}

export function formatComparison(result: CompareResult): string {
  const pairs = Object.values(result.metrics)[0]?.pairs ?? [];
  const head = [
    'metric',
    ...result.policies,
    ...pairs.flatMap((p) => [`${p.b} − ${p.a}`, `${Math.round(result.confidence * 100)} % CI`, '≠ 0']),
  ];
  const rows = Object.values(result.metrics).map((m) => [
    m.label,
    ...result.policies.map((p) => formatStat(m.means[p] ?? NaN)),
    ...m.pairs.flatMap((p) => [formatStat(p.diff), formatInterval(p), p.excludesZero ? 'yes' : 'no']),
  ]);
  const title = `compare ${result.scenario} · ${result.accounts} accounts · ${result.days} days · seeds ${result.seeds.join(', ')} (paired, common random numbers)`;
  return [title, '', textTable([head, ...rows]), ''].join('\n');
}
