/**
 * Policy sets: one choice per concern. `legacy` is the case study's start
 * (Q3 2025), `shipped` what was in production by early 2026, `target` the
 * destination. Each choice quotes the seed sentence it rests on
 * (docs/case-study.md). A user can compose their own (see docs/policies.md).
 */
import { binaryDelinquency } from './consequences/binary.js';
import { graduatedLadder } from './consequences/graduated.js';
import type { ConsequenceLadder } from './consequences/ladder.js';
import type { NetworkRuleLimits } from './network-rules.js';
import type { AccountSnapshot } from './account.js';
import { forgetfulComputeDiff } from './dunning/canary.js';
import type { AccountDiff } from './dunning/diff.js';
import { LEGACY_PROCESSORS, type LegacyProcessor } from './dunning/legacy.js';
import type { RecomputeConfig } from './dunning/recompute.js';
import { commitThenPay } from './ordering/commit-then-pay.js';
import type { PaymentOrdering } from './ordering/ordering.js';
import { bySession } from './ordering/by-session.js';
import { payBeforeCommit } from './ordering/pay-before-commit.js';
import { fixedCadence } from './retry/fixed-cadence.js';
import { reasonAware } from './retry/reason-aware.js';
import type { RetrySchedule } from './retry/schedule.js';

/** The recompute engine's pure step; `computeDiff` unless a set supplies its own. */
export type ComputeDiff = (snapshot: AccountSnapshot, nowMs: number, config: RecomputeConfig) => AccountDiff;

export type DunningEngine =
  | { readonly kind: 'recompute'; readonly computeDiff?: ComputeDiff }
  | { readonly kind: 'legacy-processors'; readonly processors: readonly LegacyProcessor[] }
  /** The recompute engine as the primary computation, with legacy processors it has not replaced still writing beside it. */
  | { readonly kind: 'hybrid'; readonly processors: readonly LegacyProcessor[] };

export interface PolicySet {
  readonly name: string;
  readonly description: string;
  readonly ordering: PaymentOrdering;
  readonly dunning: DunningEngine;
  readonly retry: RetrySchedule;
  readonly ladder: ConsequenceLadder;
  /** The card-network limits the run checks attempts against; DEFAULT_NETWORK_LIMITS when absent. */
  readonly networkLimits?: NetworkRuleLimits;
}

/**
 * Q3 2025, the case study's start. Ordering: "Every complication traces to one
 * decision: commit state before payment confirms." Dunning: "racing dunning
 * code paths produce inconsistent state across stores" (DOMAIN.md §3: five or
 * more handler-per-event processors). Retry: "An expired card (permanent) gets
 * the same retry cadence as insufficient funds (transient)." Ladder: "The
 * escalation produces binary outcomes — delinquent or not, restricted or not."
 */
export function legacyPolicies(): PolicySet {
  return {
    name: 'legacy',
    description: 'Commit-then-pay with reversal, five handler-per-event dunning processors, a fixed cadence, a binary delinquency flag',
    ordering: commitThenPay(),
    dunning: { kind: 'legacy-processors', processors: LEGACY_PROCESSORS },
    retry: fixedCadence(),
    ladder: binaryDelinquency(),
  };
}

/** The legacy processors by code path (e.g. 'legacy/subscription-sync'). */
export function legacyProcessorsNamed(codePaths: readonly string[]): LegacyProcessor[] {
  return codePaths.map((codePath) => {
    const p = LEGACY_PROCESSORS.find((x) => x.codePath === codePath);
    if (p === undefined) throw new Error(`legacyProcessorsNamed: no legacy processor "${codePath}"`);
    return p;
  });
}

/** Legacy processors still writing in `shipped`: the entitlement/subscription sync and the first-payment flag. */
export const SHIPPED_LEGACY_PATHS: readonly string[] = ['legacy/subscription-sync', 'legacy/first-payment'];

/**
 * What was in production by early 2026 (seed "ACT 3 — The Plan": "Q3 2025
 * through Q1 2026. The foundation is largely built — payment ordering
 * inverted, recompute engine live, checkout unified, observability instrumented.").
 *
 * - ordering: "On-session payments now confirm before committing state.
 *   default_incomplete on all payment intents." Off-session PDE is in flight
 *   ("Extending pay-before-commit to off-session flows — subscription
 *   renewals, …"): only first renewals are covered, the rest commit then pay.
 * - dunning: hybrid. "One function reads all 5 stores and produces a unified
 *   account health assessment." and "No longer advisory — the engine's output
 *   now drives real entitlement decisions." But "One Code Path | All dunning
 *   logic through the recompute engine. Eliminate the legacy handler-per-event
 *   paths." is a phase still ahead, and the end state lists "Entitlement sync
 *   simplified from bidirectional to unidirectional" and "Multiple legacy event
 *   processors removed" as not yet done: the subscription/entitlement sync
 *   (which writes cf_prod through the synchronous call) and the first-payment
 *   flag handler keep writing beside the engine.
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
export function shippedPolicies(): PolicySet {
  return {
    name: 'shipped',
    description: 'Pay-before-commit on session and for first renewals, the recompute engine beside two legacy processors, a fixed cadence, a binary flag',
    ordering: bySession({
      onSession: payBeforeCommit(), offSession: payBeforeCommit(), offSessionScope: 'first-renewal', outsideScope: commitThenPay(),
    }),
    dunning: { kind: 'hybrid', processors: legacyProcessorsNamed(SHIPPED_LEGACY_PATHS) },
    retry: fixedCadence(),
    ladder: binaryDelinquency(),
  };
}

/**
 * The end state. "Pay-before-commit for all subscription mutations. Single
 * collection path." "One recompute function reads all shared stores, computes
 * correct state, applies the delta." "Retry schedule accounts for failure
 * reason." "Entitlement consequences scale with severity and duration."
 */
export function targetPolicies(): PolicySet {
  return {
    name: 'target',
    description: 'Pay-before-commit, one recompute engine, a reason-aware schedule within network rules, a graduated ladder',
    ordering: payBeforeCommit(),
    dunning: { kind: 'recompute' },
    retry: reasonAware(),
    ladder: graduatedLadder(),
  };
}

/** The target set with a deliberately broken recompute engine (see dunning/canary.ts). */
export function canaryPolicies(): PolicySet {
  return {
    ...targetPolicies(),
    name: 'canary',
    description: 'The target set whose recompute engine forgets to clear dunning on a paid invoice (breaks an invariant on purpose)',
    dunning: { kind: 'recompute', computeDiff: forgetfulComputeDiff },
  };
}

export const BUILT_IN_SETS: Readonly<Record<string, () => PolicySet>> = {
  legacy: legacyPolicies,
  shipped: shippedPolicies,
  target: targetPolicies,
  canary: canaryPolicies,
};
