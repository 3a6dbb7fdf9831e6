/**
 * Loading a policy file: YAML → zod → a PolicySet. Every problem becomes one
 * InputError naming the file, the line and the field (exit code 2).
 */
import { readFileSync } from 'node:fs';
import { LADDERS, RETRY_SCHEDULES, type BuildEnv, type CatalogEntry } from '../../../policies/catalog.js';
import { PolicyConfigError } from '../../../policies/config.js';
import type { ConsequenceLadder } from '../../../policies/consequences/ladder.js';
import { LEGACY_PROCESSORS } from '../../../policies/dunning/legacy.js';
import { commitThenPay } from '../../../policies/ordering/commit-then-pay.js';
import { payBeforeCommit } from '../../../policies/ordering/pay-before-commit.js';
import type { RetrySchedule } from '../../../policies/retry/schedule.js';
import type { PolicySet } from '../../../policies/sets.js';
import { InputError, reasonOf } from '../../lib/errors.js';
import { parseYaml, zodInputError, type ParsedYaml } from '../scenario/load.js';
import { importModule, ladderFromModule, retryFromModule, type ModuleFault } from './module.js';
import { policyFileSchema, type PolicyFile } from './schema.js';

type LineOf = ParsedYaml['lineOf'];

export async function loadPolicyFile(path: string): Promise<PolicySet> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read the policy file`);
  }
  return parsePolicyText(text, path);
}

export async function parsePolicyText(text: string, path: string): Promise<PolicySet> {
  const { value, lineOf } = parseYaml(text, path, 'policy');
  const parsed = policyFileSchema.safeParse(value);
  if (!parsed.success) throw zodInputError(parsed.error, path, lineOf);
  const file = parsed.data;
  const env: BuildEnv = { networkLimits: file.networkRules };
  return {
    name: file.name,
    description: file.description,
    ordering: file.ordering === 'pay-before-commit' ? payBeforeCommit() : commitThenPay(),
    dunning: file.dunning === 'recompute' ? { kind: 'recompute' } : { kind: 'legacy-processors', processors: LEGACY_PROCESSORS },
    retry: await buildRetry(file, env, path, lineOf),
    ladder: await buildLadder(file, env, path, lineOf),
    networkLimits: file.networkRules,
  };
}

function inputErrorAt(path: string, lineOf: LineOf, fieldPath: readonly PropertyKey[], reason: string): InputError {
  const line = lineOf(fieldPath);
  return new InputError(`${path}${line !== null ? `:${line}` : ''}: ${fieldPath.map(String).join('.')}: ${reason}`);
}

/** Builds a piece; a config error names the field under `section`. */
function build<T>(entry: CatalogEntry<T>, params: unknown, env: BuildEnv, path: string, lineOf: LineOf, section: string): T {
  try {
    return entry.create(params, env);
  } catch (error) {
    if (!(error instanceof PolicyConfigError)) throw error;
    const field = error.field.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    throw inputErrorAt(path, lineOf, [section, ...field], error.reason);
  }
}

async function fromModule<T>(section: 'retry' | 'ladder', modulePath: string, path: string, lineOf: LineOf,
  make: (mod: Record<string, unknown>, fault: ModuleFault) => T): Promise<T> {
  const fault: ModuleFault = (reason) => inputErrorAt(path, lineOf, [section, 'module'], `${modulePath}: ${reason}`);
  try {
    return make(await importModule(modulePath, path), fault);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw fault(reasonOf(error));
  }
}

async function buildRetry(file: PolicyFile, env: BuildEnv, path: string, lineOf: LineOf): Promise<RetrySchedule> {
  const { schedule, module, ...params } = file.retry;
  if (module !== undefined) return fromModule('retry', module, path, lineOf, (mod, fault) => retryFromModule(mod, params, env, fault));
  const entry = RETRY_SCHEDULES[schedule!];
  if (entry === undefined) {
    throw inputErrorAt(path, lineOf, ['retry', 'schedule'], `unknown schedule "${schedule}" (known: ${Object.keys(RETRY_SCHEDULES).join(', ')}; or give module:)`);
  }
  return build(entry, params, env, path, lineOf, 'retry');
}

async function buildLadder(file: PolicyFile, env: BuildEnv, path: string, lineOf: LineOf): Promise<ConsequenceLadder> {
  const { name, states, module, ...params } = file.ladder;
  if (module !== undefined) return fromModule('ladder', module, path, lineOf, (mod, fault) => ladderFromModule(mod, { name, ...params }, env, fault));
  if (states !== undefined) return build(LADDERS.states!, { ...(name !== undefined ? { name } : {}), states, ...params }, env, path, lineOf, 'ladder');
  const entry = name === 'states' ? undefined : LADDERS[name!];
  if (entry === undefined) {
    throw inputErrorAt(path, lineOf, ['ladder', 'name'], `unknown ladder "${name}" (built-in: graduated, binary; or give states: or module:)`);
  }
  return build(entry, params, env, path, lineOf, 'ladder');
}
