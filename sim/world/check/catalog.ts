/**
 * Every invariant `billsim verify` reports, with its class: safety (checked
 * after every event, under faults), convergence (the settled state, and its
 * independence from delivery order, duplicates and delays) and liveness
 * (after the faults heal, things settle within a bound). docs/invariants.md
 * defines each one.
 */
import { INVARIANT_NAMES } from './invariants.js';

export type InvariantClass = 'safety' | 'convergence' | 'liveness';

export const SAFETY_INVARIANTS = [
  'noDoubleCharge',
  'payBeforeCommit',
  'noAttemptOnSettledInvoice',
  'networkRulesKept',
  'consequencesMonotone',
  'ladderMonotone',
  'transitionsInsideLifecycle',
] as const;

export const CONVERGENCE_INVARIANTS = [
  ...INVARIANT_NAMES,
  'recomputeIdempotent',
  'orderIndependent',
  'agreesWithReferenceModel',
  'interleavingIndependent',
] as const;

export const LIVENESS_INVARIANTS = ['settlesWithinBound', 'paymentLiftsConsequences'] as const;

export function classOf(name: string): InvariantClass {
  if ((SAFETY_INVARIANTS as readonly string[]).includes(name)) return 'safety';
  if ((LIVENESS_INVARIANTS as readonly string[]).includes(name)) return 'liveness';
  return 'convergence';
}

export const ALL_INVARIANTS: readonly string[] = [
  ...SAFETY_INVARIANTS,
  ...CONVERGENCE_INVARIANTS,
  ...LIVENESS_INVARIANTS,
];
