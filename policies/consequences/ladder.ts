/**
 * Consequence ladders in the style of Kill Bill's overdue states: states listed
 * most severe first, each with conditions that must all hold; the first match
 * wins. Evaluated on every payment outcome and at the next threshold in time.
 */
import { MS_PER_DAY, type ConsequenceLevel, type DeclineCode } from '../types.js';
import type { LadderAction } from './actions.js';

export interface LadderInput {
  readonly nowMs: number;
  /** First failure of the oldest invoice still owed (open or written off); -1 if nothing is owed. */
  readonly oldestOwedSinceMs: number;
  readonly owedCents: number;
  readonly owedInvoices: number;
  readonly lastDecline: DeclineCode | null;
  readonly retriesExhausted: boolean;
  readonly writtenOff: boolean;
}

export interface LadderCondition {
  readonly daysOverdueMin?: number;
  readonly owedCentsMin?: number;
  readonly owedInvoicesMin?: number;
  readonly lastDeclineIn?: readonly DeclineCode[];
  readonly retriesExhausted?: boolean;
  readonly writtenOff?: boolean;
}

export interface LadderState {
  readonly name: string;
  readonly level: ConsequenceLevel;
  readonly when: LadderCondition;
  /** Write the owed invoices off (mark them uncollectible at the provider). */
  readonly writeOff?: boolean;
  /** Cancel the subscription: now, or at the end of the paid term. */
  readonly cancel?: 'immediately' | 'end_of_term';
  /** The state written as actions (consequences/actions.ts), when it was. */
  readonly actions?: readonly LadderAction[];
  /** What the customer is told (Kill Bill's externalMessage). */
  readonly message?: string;
}

export interface LadderDecision {
  readonly state: string;
  readonly level: ConsequenceLevel;
  readonly writeOff: boolean;
  readonly cancel: 'immediately' | 'end_of_term' | null;
  /** When the answer could next change with time alone; -1 if never. */
  readonly nextEvaluationAtMs: number;
}

export interface ConsequenceLadder {
  readonly name: string;
  readonly states: readonly LadderState[];
  evaluate(input: LadderInput): LadderDecision;
}

export const CLEAR_STATE = 'clear';

export function ladder(name: string, states: readonly LadderState[]): ConsequenceLadder {
  validateLadder(name, states);
  return { name, states, evaluate: (input) => evaluateLadder(states, input) };
}

function validateLadder(name: string, states: readonly LadderState[]): void {
  if (states.length === 0) throw new Error(`ladder ${name}: needs at least one state`);
  const names = new Set<string>();
  for (const state of states) {
    if (names.has(state.name)) throw new Error(`ladder ${name}: state ${state.name} is listed twice`);
    names.add(state.name);
    if (state.level === 'none')
      throw new Error(`ladder ${name}: state ${state.name} has level none (the clear state is implicit)`);
  }
}

function matches(when: LadderCondition, input: LadderInput, daysOverdue: number): boolean {
  if (input.oldestOwedSinceMs < 0) return false;
  if (when.daysOverdueMin !== undefined && daysOverdue < when.daysOverdueMin) return false;
  if (when.owedCentsMin !== undefined && input.owedCents < when.owedCentsMin) return false;
  if (when.owedInvoicesMin !== undefined && input.owedInvoices < when.owedInvoicesMin) return false;
  if (
    when.lastDeclineIn !== undefined &&
    (input.lastDecline === null || !when.lastDeclineIn.includes(input.lastDecline))
  )
    return false;
  if (when.retriesExhausted !== undefined && input.retriesExhausted !== when.retriesExhausted) return false;
  if (when.writtenOff !== undefined && input.writtenOff !== when.writtenOff) return false;
  return true;
}

function evaluateLadder(states: readonly LadderState[], input: LadderInput): LadderDecision {
  const daysOverdue = input.oldestOwedSinceMs < 0 ? 0 : (input.nowMs - input.oldestOwedSinceMs) / MS_PER_DAY;
  const hitIndex = states.findIndex((s) => matches(s.when, input, daysOverdue));
  const hit = hitIndex < 0 ? undefined : states[hitIndex];
  const nextEvaluationAtMs = nextThresholdMs(states, input, daysOverdue, hitIndex < 0 ? states.length : hitIndex);
  if (hit === undefined)
    return { state: CLEAR_STATE, level: 'none', writeOff: false, cancel: null, nextEvaluationAtMs };
  return {
    state: hit.name,
    level: hit.level,
    writeOff: hit.writeOff === true,
    cancel: hit.cancel ?? null,
    nextEvaluationAtMs,
  };
}

/**
 * The next day threshold, not yet reached, of a state listed before the
 * current one (only those can win over it: first match wins). Going by list
 * order, not by level, wakes the engine for every state, two states of one
 * level included, so no state is skipped or reached late.
 */
function nextThresholdMs(
  states: readonly LadderState[],
  input: LadderInput,
  daysOverdue: number,
  hitIndex: number,
): number {
  if (input.oldestOwedSinceMs < 0) return -1;
  let best = -1;
  for (const s of states.slice(0, hitIndex)) {
    const days = s.when.daysOverdueMin;
    if (days === undefined || days <= daysOverdue) continue;
    const atMs = input.oldestOwedSinceMs + Math.ceil(days * MS_PER_DAY);
    if (best < 0 || atMs < best) best = atMs;
  }
  return best;
}
