/**
 * A designer's own retry schedule or ladder, in a .js or .ts module next to
 * the policy file. The module exports a factory; what it returns is checked
 * (shape, and one probe call) before any run uses it.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BuildEnv } from '../../../policies/catalog.js';
import type { ConsequenceLadder } from '../../../policies/consequences/ladder.js';
import type { RetrySchedule } from '../../../policies/retry/schedule.js';
import { CONSEQUENCE_LEVELS, MS_PER_DAY } from '../../../policies/types.js';
import { reasonOf } from '../../lib/errors.js';

export const RETRY_FACTORY = 'createRetrySchedule';
export const LADDER_FACTORY = 'createLadder';

/** Imports a user module (an absolute path); a problem is thrown, for the caller's one-line error. */
export async function importModule(absolute: string): Promise<Record<string, unknown>> {
  if (!existsSync(absolute)) throw new Error(`no such file ${absolute}`);
  const url = pathToFileURL(absolute).href;
  if (/\.m?ts$/.test(absolute)) {
    const { tsImport } = await import('tsx/esm/api').catch(() => {
      throw new Error('loading a .ts module needs the tsx package (npm install tsx), or compile it to .js');
    });
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(url)) as Record<string, unknown>;
}

function factoryOf(mod: Record<string, unknown>, name: string): (params: unknown, env: BuildEnv) => unknown {
  const factory = mod[name] ?? mod.default;
  if (typeof factory !== 'function') throw new Error(`exports no function ${name} (nor a default export)`);
  return factory as (params: unknown, env: BuildEnv) => unknown;
}

const PROBE_ATTEMPT = {
  atMs: 0,
  paymentMethodId: 1,
  brand: 'visa',
  declineCode: 'insufficient_funds',
  onSession: false,
} as const;

/**
 * What a module's function did wrong, as the caller's error: at load time the
 * probe's, during a run every later call's (a throw, or an answer of the wrong
 * shape), so a broken module is named, never a NaN time in the event queue.
 */
export type ModuleFault = (reason: string) => Error;

/** Calls a module's function, turning a throw or an answer `problemOf` refuses into `fault`. */
function guardedCall<I, O>(
  call: (input: I) => O,
  problemOf: (output: O) => string | null,
  fault: ModuleFault,
): (input: I) => O {
  return (input) => {
    let output: O;
    try {
      output = call(input);
    } catch (error) {
      throw fault(reasonOf(error));
    }
    const problem = problemOf(output);
    if (problem !== null) throw fault(problem);
    return output;
  };
}

const RETRY_KINDS = ['retry_at', 'await_payment_method', 'exhausted'];

function retryDecisionProblem(decision: ReturnType<RetrySchedule['next']>): string | null {
  if (decision === null || typeof decision !== 'object' || !RETRY_KINDS.includes(decision.kind)) {
    return `next() returned ${JSON.stringify(decision)}; expected { kind: ${RETRY_KINDS.join(' | ')} }`;
  }
  if (decision.kind === 'retry_at' && !Number.isFinite(decision.atMs))
    return `next() returned retry_at ${String(decision.atMs)}: not a finite time in ms`;
  return null;
}

/** Builds and checks a retry schedule from a module; every later next() is checked too. */
export function retryFromModule(
  mod: Record<string, unknown>,
  params: unknown,
  env: BuildEnv,
  fault: ModuleFault,
): RetrySchedule {
  const value = factoryOf(mod, RETRY_FACTORY)(params, env) as Partial<RetrySchedule> | null;
  if (value === null || typeof value !== 'object')
    throw new Error(`${RETRY_FACTORY} returned ${String(value)}, not a schedule`);
  if (typeof value.name !== 'string' || value.name === '')
    throw new Error(`${RETRY_FACTORY} returned a schedule without a name`);
  if (typeof value.next !== 'function') throw new Error(`${RETRY_FACTORY} returned a schedule without next(input)`);
  const schedule: RetrySchedule = {
    name: value.name,
    params: value.params ?? {},
    ignoresNow: value.ignoresNow === true,
    next: guardedCall(value.next.bind(value), retryDecisionProblem, fault),
  };
  const decision = schedule.next({
    nowMs: 0,
    amountCents: 1000,
    firstFailedAtMs: 0,
    attempts: [PROBE_ATTEMPT],
    paymentMethodId: 1,
    paymentMethodUpdatedAtMs: -1,
  });
  if (decision.kind === 'retry_at' && !(decision.atMs > 0)) {
    throw new Error(
      `next() returned retry_at ${String(decision.atMs)}: a retry must come after the failed attempt, as a finite time in ms`,
    );
  }
  return schedule;
}

function ladderDecisionProblem(decision: ReturnType<ConsequenceLadder['evaluate']>): string | null {
  if (
    typeof decision?.state !== 'string' ||
    !CONSEQUENCE_LEVELS.includes(decision.level) ||
    !Number.isFinite(decision.nextEvaluationAtMs)
  ) {
    return `evaluate() returned ${JSON.stringify(decision)}; expected { state, level, writeOff, cancel, nextEvaluationAtMs }`;
  }
  return null;
}

/** Builds and checks a ladder from a module; every later evaluate() is checked too. */
export function ladderFromModule(
  mod: Record<string, unknown>,
  params: unknown,
  env: BuildEnv,
  fault: ModuleFault,
): ConsequenceLadder {
  const value = factoryOf(mod, LADDER_FACTORY)(params, env) as Partial<ConsequenceLadder> | null;
  if (value === null || typeof value !== 'object')
    throw new Error(`${LADDER_FACTORY} returned ${String(value)}, not a ladder`);
  if (typeof value.name !== 'string' || !Array.isArray(value.states) || typeof value.evaluate !== 'function') {
    throw new Error(
      `${LADDER_FACTORY} must return { name, states, evaluate } (build it with ladder() from policies/consequences/ladder.ts)`,
    );
  }
  const ladder: ConsequenceLadder = {
    name: value.name,
    states: value.states,
    evaluate: guardedCall(value.evaluate.bind(value), ladderDecisionProblem, fault),
  };
  ladder.evaluate({
    nowMs: 40 * MS_PER_DAY,
    oldestOwedSinceMs: 0,
    owedCents: 1000,
    owedInvoices: 1,
    lastDecline: 'insufficient_funds',
    retriesExhausted: false,
    writtenOff: false,
  });
  return ladder;
}
