/**
 * Policy files and policy documents. A file is YAML → zod → a policy
 * document (policies/document.ts), its module paths made absolute so the
 * document can travel; a document becomes a PolicySet once its modules are
 * imported. Every problem becomes one InputError naming the file, the line
 * and the field (exit code 2); a document away from its file (in a worker)
 * names the set instead.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { PolicyConfigError } from '../../../policies/config.js';
import {
  policyDocumentSchema,
  policySetOf,
  type ModulePieces,
  type PolicyDocument,
} from '../../../policies/document.js';
import { DEFAULT_NETWORK_LIMITS } from '../../../policies/network-rules.js';
import type { PolicySet } from '../../../policies/sets.js';
import { InputError, reasonOf } from '../../lib/errors.js';
import { parseYaml, zodInputError, type ParsedYaml } from '../../lib/yaml.js';
import { importModule, ladderFromModule, retryFromModule, type ModuleFault } from './module.js';

type LineOf = ParsedYaml['lineOf'];

/** Where a document's fields were written, for errors: the file and the line of a field path. */
export interface Source {
  readonly path: string;
  readonly lineOf: LineOf;
}

export function readPolicyText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read the policy file`);
  }
}

/** A policy file's document, checked field by field; module paths resolved against the file's folder. */
export function parsePolicyDocument(text: string, path: string): { document: PolicyDocument; source: Source } {
  const { value, lineOf } = parseYaml(text, path, 'policy');
  const parsed = policyDocumentSchema.safeParse(value);
  if (!parsed.success) throw zodInputError(parsed.error, path, lineOf);
  // A file's run shows the network limits it ran under, the defaults when it names none.
  const networkRules = parsed.data.networkRules ?? { ...DEFAULT_NETWORK_LIMITS };
  const document = withAbsoluteModules({ ...parsed.data, networkRules, source: path }, dirname(resolve(path)));
  return { document, source: { path, lineOf } };
}

function withAbsoluteModules(document: PolicyDocument, dir: string): PolicyDocument {
  const { retry, ladder } = document;
  return {
    ...document,
    retry: retry.module === undefined ? retry : { ...retry, module: resolve(dir, retry.module) },
    ladder: ladder.module === undefined ? ladder : { ...ladder, module: resolve(dir, ladder.module) },
  };
}

export async function loadPolicyFile(path: string): Promise<PolicySet> {
  return parsePolicyText(readPolicyText(path), path);
}

export async function parsePolicyText(text: string, path: string): Promise<PolicySet> {
  const { document, source } = parsePolicyDocument(text, path);
  return loadPolicySetFrom(document, source);
}

/** The policy set a document describes, its modules imported and checked; errors name the file it came from, if any. */
export async function loadPolicySet(document: PolicyDocument): Promise<PolicySet> {
  return loadPolicySetFrom(document, document.source === undefined ? null : sourceOf(document.source));
}

/** Where a document's fields were written: its file's lines, or the file alone if it can no longer be read. */
function sourceOf(path: string): Source {
  try {
    return { path, lineOf: parseYaml(readFileSync(path, 'utf8'), path, 'policy').lineOf };
  } catch {
    return { path, lineOf: () => null };
  }
}

/** The same, with errors naming the file and line the document was read from. */
export async function loadPolicySetFrom(document: PolicyDocument, source: Source | null): Promise<PolicySet> {
  const modules = await modulePieces(document, source);
  try {
    return policySetOf(document, modules);
  } catch (error) {
    if (!(error instanceof PolicyConfigError)) throw error;
    throw errorAt(
      document,
      source,
      error.field.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
      error.reason,
    );
  }
}

function errorAt(
  document: PolicyDocument,
  source: Source | null,
  fieldPath: readonly PropertyKey[],
  reason: string,
): InputError {
  const field = fieldPath.map(String).join('.');
  if (source === null) return new InputError(`policy set ${document.name}: ${field}: ${reason}`);
  const line = source.lineOf(fieldPath);
  return new InputError(`${source.path}${line !== null ? `:${line}` : ''}: ${field}: ${reason}`);
}

/** The module pieces of a document, their modules imported now (building a set is synchronous). */
async function modulePieces(document: PolicyDocument, source: Source | null): Promise<ModulePieces | null> {
  const sections = (['retry', 'ladder'] as const).filter((s) => document[s].module !== undefined);
  if (sections.length === 0) return null;
  const loaded = new Map<string, Record<string, unknown>>();
  const faultFor =
    (section: 'retry' | 'ladder', modulePath: string): ModuleFault =>
    (reason) =>
      errorAt(document, source, [section, 'module'], `${shown(modulePath, source)}: ${reason}`);
  for (const section of sections) {
    const modulePath = document[section].module!;
    try {
      loaded.set(modulePath, await importModule(modulePath));
    } catch (error) {
      throw faultFor(section, modulePath)(reasonOf(error));
    }
  }
  const make = <T>(
    section: 'retry' | 'ladder',
    modulePath: string,
    build: (mod: Record<string, unknown>, fault: ModuleFault) => T,
  ): T => {
    const fault = faultFor(section, modulePath);
    try {
      return build(loaded.get(modulePath)!, fault);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw fault(reasonOf(error));
    }
  };
  return {
    retry: (modulePath, params, env) =>
      make('retry', modulePath, (mod, fault) => retryFromModule(mod, params, env, fault)),
    ladder: (modulePath, params, env) =>
      make('ladder', modulePath, (mod, fault) => ladderFromModule(mod, params, env, fault)),
  };
}

/** A module path as the file wrote it (relative to the file), else as the document holds it. */
function shown(modulePath: string, source: Source | null): string {
  if (source === null) return modulePath;
  const rel = relative(dirname(resolve(source.path)), modulePath);
  return rel.startsWith('.') ? rel : `./${rel}`;
}
