/**
 * The lifecycle check as an online predicate: the transitions the design
 * allows are those of policies/lifecycle.yaml (read by sim/tools/lifecycle/spec.ts);
 * a move between two states along any other is broken.
 */
import { transitionKey } from '../../../policies/lifecycle.js';
import { lifecycleSpec } from '../../tools/lifecycle/spec.js';

let allowed: ReadonlySet<string> | null = null;

function allowedKeys(): ReadonlySet<string> {
  allowed ??= new Set(lifecycleSpec().transitions.map((t) => transitionKey(t.from, t.to)));
  return allowed;
}

/** Every transition the spec allows, "from->to". */
export function allowedTransitionNames(): string[] {
  return [...allowedKeys()];
}

/** Broken when a move from one lifecycle state to another is not in the spec. */
export function transitionOutsideLifecycle(from: string, to: string): boolean {
  return from !== to && !allowedKeys().has(transitionKey(from, to));
}
