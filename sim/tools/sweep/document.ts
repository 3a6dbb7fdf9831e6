/**
 * Policy documents: a policy set as plain data (JSON-safe, so it crosses to a
 * worker thread), built by a registered builder. The built-in format names a
 * base set and the configs of its factories — reasonAware(config),
 * fixedCadence(config), graduatedLadder(config) — so a sweep can set any
 * parameter by path, e.g. retry.waitHoursByReason.insufficient_funds.
 * A policy-file format plugs in by registering its own builder.
 */
import { binaryDelinquency } from '../../../policies/consequences/binary.js';
import { DEFAULT_GRADUATED, graduatedLadder, type GraduatedConfig } from '../../../policies/consequences/graduated.js';
import { fixedCadence, LEGACY_CADENCE_DAYS, type FixedCadenceConfig } from '../../../policies/retry/fixed-cadence.js';
import { DEFAULT_REASON_AWARE, reasonAware, type ReasonAwareConfig } from '../../../policies/retry/reason-aware.js';
import { BUILT_IN_SETS, type PolicySet } from '../../../policies/sets.js';
import { InputError } from '../../lib/errors.js';

export interface PolicyDocument {
  /** Which builder reads `body`. */
  readonly format: string;
  readonly name: string;
  readonly body: Readonly<Record<string, unknown>>;
}

export type DocumentBuilder = (document: PolicyDocument) => PolicySet | Promise<PolicySet>;

const BUILDERS = new Map<string, DocumentBuilder>();

/** A policy-file format makes its documents sweepable here (the worker imports this module). */
export function registerDocumentBuilder(format: string, builder: DocumentBuilder): void {
  BUILDERS.set(format, builder);
}

export async function buildPolicySet(document: PolicyDocument): Promise<PolicySet> {
  const builder = BUILDERS.get(document.format);
  if (builder === undefined) throw new Error(`no builder for policy documents of format "${document.format}"`);
  return builder(document);
}

export const FACTORY_FORMAT = 'factories';

/** The built-in sets a sweep can vary (their factories' configs are documents). */
export const SWEEPABLE_SETS = ['legacy', 'target'] as const;

/** The built-in sets' factories and their default configs, as a document. */
export function factoryDocument(setName: string): PolicyDocument {
  if (setName === 'target') {
    return { format: FACTORY_FORMAT, name: 'target', body: { base: 'target', retry: { kind: 'reason-aware', ...clone(DEFAULT_REASON_AWARE) }, ladder: { kind: 'graduated', ...DEFAULT_GRADUATED } } };
  }
  if (setName === 'legacy') {
    return { format: FACTORY_FORMAT, name: 'legacy', body: { base: 'legacy', retry: { kind: 'fixed-cadence', delaysDays: [...LEGACY_CADENCE_DAYS] }, ladder: { kind: 'binary' } } };
  }
  throw new InputError(`--policies: "${setName}" cannot be swept (built-in sets: ${SWEEPABLE_SETS.join(', ')}; policy files plug in through registerDocumentBuilder)`);
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function withoutKind(config: Record<string, unknown>): Record<string, unknown> {
  const { kind: _kind, ...rest } = config;
  return rest;
}

function buildFactories(document: PolicyDocument): PolicySet {
  const body = document.body as { base: string; retry: Record<string, unknown>; ladder: Record<string, unknown> };
  const base = BUILT_IN_SETS[body.base]?.();
  if (base === undefined) throw new Error(`policy document: unknown base set ${body.base}`);
  const retry = body.retry.kind === 'reason-aware'
    ? reasonAware(withoutKind(body.retry) as unknown as ReasonAwareConfig)
    : fixedCadence(withoutKind(body.retry) as unknown as FixedCadenceConfig);
  const ladder = body.ladder.kind === 'graduated' ? graduatedLadder(withoutKind(body.ladder) as unknown as GraduatedConfig) : binaryDelinquency();
  return { ...base, name: document.name, retry, ladder };
}

registerDocumentBuilder(FACTORY_FORMAT, buildFactories);

/** Every settable leaf path of a document, for error messages. */
export function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix === '' ? k : `${prefix}.${k}`));
}

/** A copy of the document with the leaf at `path` (dotted, inside body) set to `value`; the leaf must exist. */
export function withParam(document: PolicyDocument, path: string, value: unknown): PolicyDocument {
  const body = clone(document.body) as Record<string, unknown>;
  const keys = path.split('.');
  let node: Record<string, unknown> = body;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) throw unknownPath(document, path);
    node = next as Record<string, unknown>;
  }
  const leaf = keys.at(-1)!;
  const current = node[leaf];
  if (!(leaf in node) || leaf === 'kind' || (current !== null && typeof current === 'object' && !Array.isArray(current))) throw unknownPath(document, path);
  if (typeof current !== typeof value || Array.isArray(current) !== Array.isArray(value)) {
    throw new InputError(`--vary ${path}: ${JSON.stringify(value)} is not a ${Array.isArray(current) ? 'list' : typeof current} like the current ${JSON.stringify(current)}`);
  }
  node[leaf] = value;
  return { ...document, body };
}

function unknownPath(document: PolicyDocument, path: string): InputError {
  const paths = leafPaths(document.body).filter((p) => !p.endsWith('.kind') && p !== 'base');
  return new InputError(`--vary ${path}: no such parameter in ${document.name} (parameters: ${paths.join(', ')})`);
}
