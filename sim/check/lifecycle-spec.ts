/**
 * The recovery lifecycle as data: the states an account moves through (read
 * from the platform's stores by sim/engine/lifecycle-state.ts) and the
 * transitions the design allows. The online checker and the property tests
 * flag any transition outside this list. (When policies/lifecycle.yaml lands,
 * this list is to be read from it.)
 */
import { LIFECYCLE_STATES } from '../engine/lifecycle-state.js';

export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export const ALLOWED_TRANSITIONS: readonly (readonly [LifecycleState, LifecycleState])[] = [
  ['current', 'retrying'],
  ['current', 'awaiting_payment_method'],
  ['retrying', 'current'],
  ['retrying', 'awaiting_payment_method'],
  ['retrying', 'escalated'],
  ['awaiting_payment_method', 'current'],
  ['awaiting_payment_method', 'retrying'],
  ['awaiting_payment_method', 'escalated'],
  ['escalated', 'current'],
  ['escalated', 'retrying'],
  ['escalated', 'awaiting_payment_method'],
  ['escalated', 'written_off'],
  ['written_off', 'current'],
];

const ALLOWED = new Set(ALLOWED_TRANSITIONS.map(([from, to]) => `${from}->${to}`));

/** Every transition name the spec allows, "from->to". */
export const ALLOWED_TRANSITION_NAMES: readonly string[] = [...ALLOWED];

/** Broken when a move from one lifecycle state to another is not in the spec. */
export function transitionOutsideLifecycle(from: string, to: string): boolean {
  return from !== to && !ALLOWED.has(`${from}->${to}`);
}
