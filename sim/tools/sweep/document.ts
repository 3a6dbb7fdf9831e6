/**
 * A sweep's points are policy documents (policies/document.ts) with some
 * parameters set by path: the base document, every catalog piece's
 * parameters written out with their defaults (resolvedDocument), so any of
 * them can vary, e.g. retry.waitHoursByReason.insufficient_funds.
 */
import { resolvedDocument, type PolicyDocument } from '../../../policies/document.js';
import { InputError } from '../../lib/errors.js';
import { resolvePolicyDocument } from '../policies/resolve.js';

/** The document a sweep varies: the set `--policies` names, every parameter written out. */
export function sweepDocumentFor(spec: string): PolicyDocument {
  return resolvedDocument(resolvePolicyDocument(spec));
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Every settable leaf path of a document, for error messages. */
export function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix === '' ? k : `${prefix}.${k}`));
}

/** A copy of the document with the leaf at `path` (dotted, from the document's top) set to `value`; the leaf must exist. */
export function withParam(document: PolicyDocument, path: string, value: unknown): PolicyDocument {
  const body = clone(document) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let node: Record<string, unknown> = body;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) throw unknownPath(document, path);
    node = next as Record<string, unknown>;
  }
  const leaf = keys.at(-1)!;
  const current = node[leaf];
  if (!(leaf in node) || (current !== null && typeof current === 'object' && !Array.isArray(current)))
    throw unknownPath(document, path);
  if (typeof current !== typeof value || Array.isArray(current) !== Array.isArray(value)) {
    throw new InputError(
      `--vary ${path}: ${JSON.stringify(value)} is not a ${Array.isArray(current) ? 'list' : typeof current} like the current ${JSON.stringify(current)}`,
    );
  }
  node[leaf] = value;
  return body as unknown as PolicyDocument;
}

function unknownPath(document: PolicyDocument, path: string): InputError {
  const paths = leafPaths(document).filter((p) => p !== 'name' && p !== 'description');
  return new InputError(`--vary ${path}: no such parameter in ${document.name} (parameters: ${paths.join(', ')})`);
}
