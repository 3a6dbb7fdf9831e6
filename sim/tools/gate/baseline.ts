/**
 * A committed baseline for `billsim gate`: the JSON that `billsim compare
 * --json` (per-seed values of each policy) or `billsim run --json` (one seed)
 * printed earlier.
 */
import { readFileSync } from 'node:fs';
import { InputError, reasonOf } from '../../lib/errors.js';
import type { CompareResult } from '../compare/compare.js';
import { METRICS } from '../../../reports/metrics.js';
import type { RunResult } from '../../world/result.js';

export interface Baseline {
  readonly source: string;
  readonly policy: string;
  /** The seeds the values were measured on, in order; null when unknown. */
  readonly seeds: readonly number[] | null;
  /** Per metric: the value on each seed. */
  readonly values: Readonly<Record<string, readonly number[]>>;
  /** The world the baseline ran: counts only compare on the same population and span. */
  readonly world: { readonly scenario: string; readonly accounts: number; readonly days: number } | null;
}

function worldOf(json: { scenario?: unknown; accounts?: unknown; days?: unknown }): Baseline['world'] {
  const { scenario, accounts, days } = json;
  return typeof accounts === 'number' && typeof days === 'number'
    ? { scenario: String(scenario), accounts, days }
    : null;
}

/** A baseline measured on another population or span: its counts and per-day figures do not compare (bad input). */
export function checkSameWorld(baseline: Baseline, scenario: { name: string; accounts: number; days: number }): void {
  const w = baseline.world;
  if (w === null || (w.accounts === scenario.accounts && w.days === scenario.days)) return;
  throw new InputError(
    `${baseline.source}:1: accounts, days: the baseline ran ${w.scenario} (${w.accounts} accounts, ${w.days} days), ` +
      `this gate runs ${scenario.name} (${scenario.accounts} accounts, ${scenario.days} days): its figures would not compare`,
  );
}

export function loadBaseline(path: string, policy: string): Baseline {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`${path}:1: not a readable JSON baseline (${reasonOf(error)})`);
  }
  if (json === null || typeof json !== 'object')
    throw new InputError(`${path}:1: (top level): a baseline is the JSON of billsim compare --json or run --json`);
  if ((json as { kind?: unknown }).kind === 'billsim-compare') return fromCompare(json as CompareResult, path, policy);
  if ('kpis' in json && 'recovery' in json) return fromRun(json as RunResult, path);
  throw new InputError(
    `${path}:1: (top level): not the output of billsim compare --json or billsim run --json (no kind, kpis or recovery field)`,
  );
}

function fromCompare(json: CompareResult, path: string, policy: string): Baseline {
  const labels = Array.isArray(json.policies) ? json.policies : [];
  const label = labels.includes(policy) ? policy : labels.length === 1 ? labels[0]! : null;
  if (label === null)
    throw new InputError(
      `${path}:1: policies: the baseline has no policy set "${policy}" (it has ${labels.join(', ')}); pass --baseline-policy`,
    );
  const perMetric = json.values?.[label];
  if (perMetric === undefined || !Array.isArray(json.seeds))
    throw new InputError(`${path}:1: values.${label}: missing per-seed values`);
  const values = Object.fromEntries(
    METRICS.filter((m) => m.name in perMetric).map((m) => {
      const series = perMetric[m.name];
      if (!Array.isArray(series) || series.length !== json.seeds.length || !series.every(numberOrNa)) {
        throw new InputError(
          `${path}:1: values.${label}.${m.name}: must be ${json.seeds.length} numbers, one per seed`,
        );
      }
      return [m.name, series.map((v: number | null) => v ?? Number.NaN)];
    }),
  );
  return { source: path, policy: label, seeds: json.seeds, values, world: worldOf(json) };
}

/** The value at a dotted path of a parsed JSON object (undefined when any step is missing). */
function valueAt(json: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>(
      (at, key) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined),
      json,
    );
}

/** A figure, or null where the run could not support one (n/a, docs/kpis.md). */
function numberOrNa(value: unknown): value is number | null {
  return typeof value === 'number' || value === null;
}

function fromRun(json: RunResult, path: string): Baseline {
  const values = Object.fromEntries(
    METRICS.filter((m) => m.group !== 'lifecycle' || json.lifecycle !== undefined).map((m) => {
      const value = valueAt(json, m.jsonPath);
      if (!numberOrNa(value) || (value === null && m.group === 'kpi'))
        throw new InputError(`${path}:1: ${m.jsonPath}: missing or not a number`);
      return [m.name, [value ?? Number.NaN]];
    }),
  );
  return {
    source: path,
    policy: String(json.policies),
    seeds: typeof json.seed === 'number' ? [json.seed] : null,
    values,
    world: worldOf(json),
  };
}
