/**
 * The lifecycle check as an online predicate: the transitions the design
 * allows are those of the lifecycle spec the tool running the world passes in
 * (policies/lifecycle.yaml, read by sim/tools/lifecycle/spec.ts); a move
 * between two states along any other is broken.
 */
import { transitionKey, type LifecycleSpec } from '../../../policies/lifecycle.js';

/** Every transition the spec allows, "from->to". */
export function allowedTransitions(spec: LifecycleSpec): ReadonlySet<string> {
  return new Set(spec.transitions.map((t) => transitionKey(t.from, t.to)));
}

/** Broken when a move from one lifecycle state to another is not among the allowed ones. */
export function transitionOutsideLifecycle(allowed: ReadonlySet<string>, from: string, to: string): boolean {
  return from !== to && !allowed.has(transitionKey(from, to));
}
