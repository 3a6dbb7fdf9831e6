/**
 * Loading a scenario file: YAML → zod. Any problem becomes one InputError
 * naming the file, the line where known, and the field.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import type { ZodError } from 'zod';
import { InputError } from '../cli/errors.js';
import { scenarioSchema, type Scenario } from './schema.js';

export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read the scenario file`);
  }
  return parseScenarioText(text, path);
}

export function parseScenarioText(text: string, path: string): Scenario {
  const { value, lineOf } = parseYaml(text, path, 'scenario');
  const result = scenarioSchema.safeParse(value);
  if (!result.success) throw zodInputError(result.error, path, lineOf);
  return result.data;
}

export interface ParsedYaml {
  readonly value: unknown;
  readonly lineOf: (path: readonly PropertyKey[]) => number | null;
}

/** Parses YAML, keeping a way to find the line of any field path. */
export function parseYaml(text: string, path: string, what: string): ParsedYaml {
  if (text.trim() === '') throw new InputError(`${path}: the ${what} file is empty`);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    const line = firstError.linePos?.[0]?.line;
    throw new InputError(`${path}${line ? `:${line}` : ''}: not valid YAML: ${firstError.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${path}:1: the ${what} must be a mapping of fields`);
  }
  const lineOf = (fieldPath: readonly PropertyKey[]): number | null => {
    let node: unknown = doc.contents;
    let line: number | null = null;
    for (const key of fieldPath) {
      const next = childOf(node, key);
      if (next === undefined) break;
      const offset = next.keyRange ?? (next.node as Node | undefined)?.range?.[0];
      if (offset !== undefined) line = lineCounter.linePos(offset).line;
      node = next.node;
    }
    return line;
  };
  return { value, lineOf };
}

function childOf(node: unknown, key: PropertyKey): { node: unknown; keyRange: number | undefined } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
    if (pair === undefined) return undefined;
    return { node: pair.value, keyRange: (pair.key as Node | null)?.range?.[0] };
  }
  if (isSeq(node) && typeof key === 'number') {
    const item = node.items[key];
    return item === undefined ? undefined : { node: item, keyRange: (item as Node).range?.[0] };
  }
  return undefined;
}

export function zodInputError(error: ZodError, path: string, lineOf: ParsedYaml['lineOf']): InputError {
  const issue = error.issues[0]!;
  let fieldPath = issue.path as PropertyKey[];
  if (issue.code === 'unrecognized_keys') fieldPath = [...fieldPath, issue.keys[0]!];
  const field = fieldPath.map(String).join('.') || '(top level)';
  const line = lineOf(fieldPath);
  const message = issue.code === 'unrecognized_keys' ? 'unknown field (misspelt?)' : issue.message;
  return new InputError(`${path}${line !== null ? `:${line}` : ''}: ${field}: ${message}`);
}
