/**
 * YAML for user files (scenarios, policy files, thresholds, the lifecycle
 * spec): parsed with the line of every field kept, so a problem found by a
 * schema becomes one InputError naming the file, the line and the field.
 */
import { LineCounter, parseDocument, isMap, isSeq, visit, type Alias, type Document, type Node } from 'yaml';
import type { ZodError } from 'zod';
import { InputError, reasonOf } from './errors.js';

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
    throw new InputError(`${path}${line ? `:${line}` : ''}: not valid YAML: ${reasonOf(firstError)}`);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // An alias with no anchor before it, or too many aliases (a billion-laughs file): the parser accepts both.
    const message = reasonOf(error);
    const line = aliasLine(doc, message, lineCounter);
    throw new InputError(`${path}${line === null ? '' : `:${line}`}: not valid YAML: ${message}`);
  }
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

/** The line of the alias an error names (`…: name`), else of the first alias. */
function aliasLine(doc: Document, message: string, lineCounter: LineCounter): number | null {
  let named: Alias | undefined, first: Alias | undefined;
  visit(doc, {
    Alias(_key, alias) {
      first ??= alias;
      if (named === undefined && message.endsWith(`: ${alias.source}`)) named = alias;
    },
  });
  const offset = (named ?? first)?.range?.[0];
  return offset === undefined ? null : lineCounter.linePos(offset).line;
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
  const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
  // A missing field has no line of its own: the line of the mapping that lacks it (the file's first for a top-level one).
  const line = lineOf(fieldPath) ?? 1;
  const message =
    issue.code === 'unrecognized_keys'
      ? 'unknown field (misspelt?)'
      : missing
        ? `required field missing (${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')})`
        : issue.message;
  return new InputError(`${path}:${line}: ${field}: ${message}`);
}
