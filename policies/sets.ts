/**
 * Policy sets: one choice per concern. `legacy` is the case study's start
 * (Q3 2025), `shipped` what was in production by early 2026, `target` the
 * destination. Each is a policy document (policies/document.ts), the same
 * data a policy file holds, and each choice quotes the seed sentence it rests
 * on (docs/case-study.md). A user can compose their own (see docs/policies.md).
 */
import type { ConsequenceLadder } from './consequences/ladder.js';
import type { NetworkRuleLimits } from './network-rules.js';
import type { AccountSnapshot } from './account.js';
import type { AccountDiff } from './dunning/diff.js';
import type { LegacyProcessor } from './dunning/legacy.js';
import { computeDiff, type RecomputeConfig } from './dunning/recompute.js';
import { policyDocumentSchema, policySetOf, type PolicyDocument, type PolicyDocumentInput } from './document.js';
import type { Plan } from './types.js';
import type { WebhookType } from './dunning/webhook.js';
import type { PaymentOrdering } from './ordering/ordering.js';
import type { RetrySchedule } from './retry/schedule.js';
import type { ContactSchedule } from './contact/cadence.js';

/** The recompute engine's pure step; `computeDiff` unless a set supplies its own. */
export type ComputeDiff = (snapshot: AccountSnapshot, nowMs: number, config: RecomputeConfig) => AccountDiff;

export type DunningEngine =
  | { readonly kind: 'recompute'; readonly computeDiff?: ComputeDiff }
  | { readonly kind: 'legacy-processors'; readonly processors: readonly LegacyProcessor[] }
  /** The recompute engine as the primary computation, with legacy processors it has not replaced still writing beside it. */
  | {
      readonly kind: 'hybrid';
      readonly processors: readonly LegacyProcessor[];
      /**
       * The event types that reach the engine; null: every event. Before "27 processors → direct
       * PubSub subscription" the engine is reached through the legacy processors' subscriptions only.
       */
      readonly engineEvents: readonly WebhookType[] | null;
    };

export interface PolicySet {
  readonly name: string;
  readonly description: string;
  readonly ordering: PaymentOrdering;
  readonly dunning: DunningEngine;
  readonly retry: RetrySchedule;
  readonly ladder: ConsequenceLadder;
  /** The card-network limits the run checks attempts against; DEFAULT_NETWORK_LIMITS when absent. */
  readonly networkLimits?: NetworkRuleLimits;
  /** When the platform contacts the customer about a failed payment; absent: never. */
  readonly contact?: ContactSchedule;
}

/** The recompute engine's step a set runs: its own, the production `computeDiff`, or null when it has no engine. */
export function computeDiffOf(set: PolicySet): ComputeDiff | null {
  const dunning = set.dunning;
  if (dunning.kind === 'recompute') return dunning.computeDiff ?? computeDiff;
  return dunning.kind === 'hybrid' ? computeDiff : null;
}

/** What the recompute engine reads besides the stores: the plans, the set's retry schedule and ladder. */
export function recomputeConfigOf(set: PolicySet, plans: readonly Plan[]): RecomputeConfig {
  return { plans, retry: set.retry, ladder: set.ladder };
}

/**
 * Q3 2025, the case study's start. Ordering: "Every complication traces to one
 * decision: commit state before payment confirms." Dunning: "racing dunning
 * code paths produce inconsistent state across stores" (five or more
 * handler-per-event processors). Retry: "An expired card (permanent) gets
 * the same retry cadence as insufficient funds (transient)." Ladder: "The
 * escalation produces binary outcomes — delinquent or not, restricted or not."
 */
const LEGACY: PolicyDocumentInput = {
  name: 'legacy',
  description:
    'Commit-then-pay with reversal, five handler-per-event dunning processors, a fixed cadence, a binary delinquency flag',
  ordering: 'commit-then-pay',
  dunning: 'legacy-processors',
  retry: { schedule: 'fixed-cadence' },
  ladder: { name: 'binary' },
};

/** Legacy processors still writing in `shipped`: the entitlement/subscription sync and the first-payment flag. */
export const SHIPPED_LEGACY_PATHS: readonly string[] = ['legacy/subscription-sync', 'legacy/first-payment'];

/** The on-session half of the ordering inversion, shipped: the customer present pays before anything commits. */
const ON_SESSION_PDE = { onSession: 'pay-before-commit', offSession: 'pay-before-commit' } as const;

/**
 * Step: on-session pay-before-commit alone, everything else as at the start.
 * "On-session payments now confirm before committing state. default_incomplete
 * on all payment intents. Rollbacks dropped from 196/day to near zero for
 * on-session flows." Off-session flows are not yet covered ("Extending
 * pay-before-commit to off-session flows … The harder half of the ordering
 * inversion." is in flight), and the dunning is still the legacy processors:
 * that the ordering came first is the seeds' dependency ("The ordering
 * inversion that makes everything else possible"), not a date they give.
 */
const PDE_ON_SESSION: PolicyDocumentInput = {
  ...LEGACY,
  name: 'pde-on-session',
  description: 'Pay-before-commit on session only; off-session flows, dunning, retry and ladder as in legacy',
  ordering: { ...ON_SESSION_PDE, offSessionScope: 'none', outsideScope: 'commit-then-pay' },
};

/**
 * What was in production by early 2026 (seed "ACT 3 — The Plan": "Q3 2025
 * through Q1 2026. The foundation is largely built — payment ordering
 * inverted, recompute engine live, checkout unified, observability instrumented.").
 *
 * - ordering: "On-session payments now confirm before committing state.
 *   default_incomplete on all payment intents." Off-session PDE is in flight
 *   ("Extending pay-before-commit to off-session flows — subscription
 *   renewals, invoice finalization, and retry attempts without the customer
 *   present."): which part is covered the seeds do not say; the set assumes a
 *   never-paid customer's first renewal (and its finalization), so later
 *   renewals, their finalization and every retry still commit then pay, and
 *   "Full reversal logic deletion" is a phase ahead (PDE Steps 3–4).
 * - dunning: hybrid. "One function reads all 5 stores and produces a unified
 *   account health assessment." and "No longer advisory — the engine's output
 *   now drives real entitlement decisions." But "One Code Path | All dunning
 *   logic through the recompute engine. Eliminate the legacy handler-per-event
 *   paths. 27 processors → direct PubSub subscription." is a phase still ahead,
 *   and the end state lists "Entitlement sync simplified from bidirectional to
 *   unidirectional" and "Multiple legacy event processors removed" as not yet
 *   done: the subscription/entitlement sync (which writes cf_prod through the
 *   synchronous call) and the first-payment flag handler keep writing beside
 *   the engine, and the engine hears only the event types the legacy
 *   processors subscribe to (`engineEvents: legacy-subscriptions`); the end
 *   state credits "every event path covered" to the "unified handler".
 * - retry: fixed cadence. "An expired card (permanent) gets the same retry
 *   cadence as insufficient funds (transient). The recompute engine can see
 *   the difference, but the retry logic doesn't use it."
 * - ladder: binary. "The escalation produces binary outcomes — delinquent or
 *   not, restricted or not." (graduated consequences are the transformation).
 * Unified checkout and domain events ("Card vaulting and PayPal vaulting through
 * one Turnstile-protected flow", "Domain events from the recompute engine")
 * change no simulated store: the simulator has one checkout path and the
 * recompute engine's events are observability.
 */
const SHIPPED: PolicyDocumentInput = {
  name: 'shipped',
  description:
    'Pay-before-commit on session and for first renewals, the recompute engine (reached through the legacy subscriptions) beside two legacy processors, a fixed cadence, a binary flag',
  ordering: { ...ON_SESSION_PDE, offSessionScope: 'first-renewal', outsideScope: 'commit-then-pay' },
  dunning: { engine: 'hybrid', processors: [...SHIPPED_LEGACY_PATHS], engineEvents: 'legacy-subscriptions' },
  retry: { schedule: 'fixed-cadence' },
  ladder: { name: 'binary' },
};

/**
 * Step: `shipped` with the off-session half done. "Extending pay-before-commit
 * to off-session flows — subscription renewals, invoice finalization, and retry
 * attempts without the customer present." and "PDE Steps 3–4 | Plan+commit
 * split. Pricing becomes a projection; commitment waits for payment
 * confirmation. Full reversal logic deletion." The dunning is still the hybrid
 * (One Code Path is its own phase).
 */
const PDE_OFF_SESSION: PolicyDocumentInput = {
  ...SHIPPED,
  name: 'pde-off-session',
  description: 'shipped with pay-before-commit for every off-session flow (renewals, finalization, retries)',
  ordering: 'pay-before-commit',
};

/**
 * Step: every dunning write through the engine. "One Code Path | All dunning
 * logic through the recompute engine. Eliminate the legacy handler-per-event
 * paths. 27 processors → direct PubSub subscription." Retry and ladder are
 * still the legacy ones (the recovery transformation is the last step).
 */
const ONE_CODE_PATH: PolicyDocumentInput = {
  ...PDE_OFF_SESSION,
  name: 'one-code-path',
  description: 'pde-off-session with the recompute engine alone, subscribed to every event; fixed cadence, binary flag',
  dunning: 'recompute',
};

/** The roadmap's steps in order, start to end state: what `billsim roadmap` runs by default. */
export const ROADMAP_STEPS: readonly string[] = [
  'legacy',
  'pde-on-session',
  'shipped',
  'pde-off-session',
  'one-code-path',
  'target',
];

/**
 * The end state. "Pay-before-commit for all subscription mutations. Single
 * collection path." "One recompute function reads all shared stores, computes
 * correct state, applies the delta." "Retry schedule accounts for failure
 * reason." "Entitlement consequences scale with severity and duration."
 */
const TARGET: PolicyDocumentInput = {
  name: 'target',
  description:
    'Pay-before-commit, one recompute engine, a reason-aware schedule within network rules, a graduated ladder',
  ordering: 'pay-before-commit',
  dunning: 'recompute',
  retry: { schedule: 'reason-aware' },
  ladder: { name: 'graduated' },
};

/** The target set with a deliberately broken recompute engine (see dunning/canary.ts). */
const CANARY: PolicyDocumentInput = {
  ...TARGET,
  name: 'canary',
  description:
    'The target set whose recompute engine forgets to clear dunning on a paid invoice (breaks an invariant on purpose)',
  dunning: { engine: 'recompute', computeDiff: 'forgetful' },
};

/** The built-in policy sets, by name: the one registry every command resolves `--policies` against. */
export const BUILT_IN_DOCUMENTS: Readonly<Record<string, PolicyDocument>> = Object.fromEntries(
  [LEGACY, PDE_ON_SESSION, SHIPPED, PDE_OFF_SESSION, ONE_CODE_PATH, TARGET, CANARY].map((d) => [
    d.name,
    policyDocumentSchema.parse(d),
  ]),
);

function builtIn(name: string): () => PolicySet {
  return () => policySetOf(BUILT_IN_DOCUMENTS[name]!);
}

export const legacyPolicies = builtIn('legacy');
export const shippedPolicies = builtIn('shipped');
export const targetPolicies = builtIn('target');
export const canaryPolicies = builtIn('canary');

/** Each built-in set, built from its document. */
export const BUILT_IN_SETS: Readonly<Record<string, () => PolicySet>> = Object.fromEntries(
  Object.keys(BUILT_IN_DOCUMENTS).map((name) => [name, builtIn(name)]),
);
