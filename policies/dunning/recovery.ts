/**
 * One step of recovery, shared by every adapter that runs the recompute engine
 * (the simulator's target platform, the Temporal dunning workflow, the pure
 * recovery driver): whether an attempt falls due now, the diff to apply, and
 * when to wake next. The caller applies what it returns; nothing here writes.
 */
import type { AccountSnapshot } from '../account.js';
import type { AccountDiff } from './diff.js';
import { computeDiff, dueAttemptInvoiceId, type RecomputeConfig } from './recompute.js';

/** Compute-apply rounds before an account must have settled (provider commands change the provider's truth). */
export const SETTLE_ROUNDS_MAX = 4;

export interface RecoveryStep {
  /** The writes and provider commands to apply now. */
  readonly diff: AccountDiff;
  /** No provider command: after applying the diff the account has settled. */
  readonly settled: boolean;
  /** When to wake with no event (a retry falls due or a ladder threshold passes); -1 for never. */
  readonly wakeAtMs: number;
}

/**
 * The step at `nowMs`, by `compute` (computeDiff unless a policy set supplies
 * its own engine, e.g. the canary). When attempts are not allowed (the simulator's settle
 * window) only the consequence ladder wakes the account.
 */
export function recoveryStep(
  snapshot: AccountSnapshot,
  nowMs: number,
  config: RecomputeConfig,
  attemptsAllowed: boolean,
  compute: (s: AccountSnapshot, nowMs: number, c: RecomputeConfig) => AccountDiff = computeDiff,
): RecoveryStep {
  const diff = compute(snapshot, nowMs, config);
  return {
    diff,
    settled: diff.commands.length === 0,
    wakeAtMs: attemptsAllowed ? diff.wakeAtMs : diff.ladderReviewAtMs,
  };
}

/** The invoice to charge at a wake, or -1. */
export function attemptDueAt(snapshot: AccountSnapshot, nowMs: number, attemptsAllowed: boolean): number {
  return attemptsAllowed ? dueAttemptInvoiceId(snapshot, nowMs) : -1;
}
