/**
 * Threshold files in the k6 style: per metric, a list of conditions that must
 * all hold, each "[aggregate] operator number". The aggregate is over seeds:
 * mean (default), min, max, ciLow or ciHigh (the 95 % t interval of the mean).
 *
 *   thresholds:
 *     disagreeingAccounts: ["== 0"]
 *     recoveryRate: [">= 0.5", "ciLow >= 0.45"]
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../lib/errors.js';
import { METRIC_NAMES, metricNamed } from '../../../reports/metrics.js';
import { parseYaml } from '../../lib/yaml.js';
import { z } from 'zod';

export const OPERATORS = ['==', '!=', '<=', '>=', '<', '>'] as const;
export type Operator = (typeof OPERATORS)[number];
export const AGGREGATES = ['mean', 'min', 'max', 'ciLow', 'ciHigh'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export interface Condition {
  readonly metric: string;
  readonly aggregate: Aggregate;
  readonly operator: Operator;
  readonly value: number;
  /** As written in the file. */
  readonly text: string;
}

const CONDITION = new RegExp(
  `^\\s*(?:(${AGGREGATES.join('|')})\\s+)?(==|!=|<=|>=|<|>)\\s*(-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*$`,
);

export function holds(operator: Operator, observed: number, value: number): boolean {
  switch (operator) {
    case '==':
      return observed === value;
    case '!=':
      return observed !== value;
    case '<=':
      return observed <= value;
    case '>=':
      return observed >= value;
    case '<':
      return observed < value;
    case '>':
      return observed > value;
  }
}

/**
 * The file's shape, for editors (scenarios/schemas/thresholds.schema.json is generated from it);
 * parseThresholds checks the same rules and names the line of a broken one.
 */
export const thresholdsFileSchema = z
  .object({
    thresholds: z.partialRecord(
      z.enum(METRIC_NAMES as [string, ...string[]]),
      z.union([z.string().regex(CONDITION), z.array(z.string().regex(CONDITION)).min(1)]),
    ),
  })
  .strict();

export function loadThresholds(path: string): Condition[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read the thresholds file`);
  }
  return parseThresholds(text, path);
}

export function parseThresholds(text: string, path: string): Condition[] {
  const parsed = parseYaml(text, path, 'thresholds');
  const top = parsed.value as Record<string, unknown>;
  const fail = (field: readonly (string | number)[], message: string): InputError => {
    const line = parsed.lineOf(field) ?? 1;
    return new InputError(`${path}:${line}: ${field.join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]')}: ${message}`);
  };
  const extra = Object.keys(top).find((k) => k !== 'thresholds');
  if (extra !== undefined) throw fail([extra], 'unknown field (the file holds one mapping, thresholds)');
  const table = top.thresholds;
  if (table === null || typeof table !== 'object' || Array.isArray(table))
    throw fail(['thresholds'], 'must map metric names to lists of conditions');
  const conditions = Object.entries(table as Record<string, unknown>).flatMap(([metric, list]) =>
    conditionsOf(metric, list, fail),
  );
  if (conditions.length === 0) throw fail(['thresholds'], 'names no conditions');
  return conditions;
}

function conditionsOf(
  metric: string,
  list: unknown,
  fail: (f: (string | number)[], m: string) => InputError,
): Condition[] {
  if (metricNamed(metric) === undefined)
    throw fail(['thresholds', metric], `unknown metric (known: ${METRIC_NAMES.join(', ')})`);
  const items = typeof list === 'string' ? [list] : list;
  if (!Array.isArray(items) || items.length === 0)
    throw fail(['thresholds', metric], 'must be a non-empty list of conditions such as ">= 0.5"');
  return items.map((item, i) => {
    const match = typeof item === 'string' ? CONDITION.exec(item) : null;
    if (match === null) {
      throw fail(
        ['thresholds', metric, i],
        `${JSON.stringify(item)} is not a condition: [${AGGREGATES.join('|')}] (${OPERATORS.join('|')}) number`,
      );
    }
    return {
      metric,
      aggregate: (match[1] ?? 'mean') as Aggregate,
      operator: match[2] as Operator,
      value: Number(match[3]),
      text: String(item).trim(),
    };
  });
}
