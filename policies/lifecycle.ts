/**
 * The recovery lifecycle: the state an account is in, read from the
 * platform's stores, and the spec (policies/lifecycle.yaml) of which moves
 * between states are allowed, and why. Every run records the transitions the
 * policies made; checkTransitions says which the spec does not allow and
 * which allowed ones never fired.
 */
import type { AccountSnapshot } from './account.js';
import { severityOf } from './types.js';

export const LIFECYCLE_STATES = ['current', 'retrying', 'awaiting_payment_method', 'escalated', 'written_off'] as const;
export type LifecycleState = (typeof LIFECYCLE_STATES)[number];

export function lifecycleStateOf(a: AccountSnapshot): LifecycleState {
  const d = a.subsDunning;
  if (a.subsCustomer.badDebt) return 'written_off';
  if (!d.inDunning) return 'current';
  if (severityOf(d.escalationLevel) >= severityOf('suspend')) return 'escalated';
  return d.nextRetryAtMs >= 0 ? 'retrying' : 'awaiting_payment_method';
}

export interface LifecycleTransition {
  readonly from: LifecycleState;
  readonly to: LifecycleState;
  /** The guard's name, defined in the spec's `guards`. */
  readonly guard: string;
}

export interface LifecycleSpec {
  readonly initial: LifecycleState;
  readonly states: Readonly<Record<LifecycleState, string>>;
  readonly guards: Readonly<Record<string, string>>;
  readonly transitions: readonly LifecycleTransition[];
}

export function transitionKey(from: string, to: string): string {
  return `${from}->${to}`;
}

export interface LifecycleCheck {
  /** Transitions taken that the spec does not allow. */
  readonly violations: number;
  readonly violationsByTransition: Readonly<Record<string, number>>;
  readonly coverage: { readonly fired: readonly string[]; readonly neverFired: readonly string[] };
}

/** Checks the transitions a run took ("from->to" → count) against the spec. */
export function checkTransitions(spec: LifecycleSpec, taken: Readonly<Record<string, number>>): LifecycleCheck {
  const allowed = new Set(spec.transitions.map((t) => transitionKey(t.from, t.to)));
  const violationsByTransition: Record<string, number> = {};
  let violations = 0;
  for (const [key, count] of Object.entries(taken)) {
    if (allowed.has(key) || count === 0) continue;
    violationsByTransition[key] = count;
    violations += count;
  }
  const fired = [...allowed].filter((k) => (taken[k] ?? 0) > 0).sort();
  const neverFired = [...allowed].filter((k) => (taken[k] ?? 0) === 0).sort();
  return { violations, violationsByTransition, coverage: { fired, neverFired } };
}
