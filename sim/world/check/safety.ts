/**
 * The named safety invariants: properties that must hold after every event,
 * under faults. Each is one exported predicate, true when the invariant is
 * BROKEN; the simulator's online checker (sim/world/check/online.ts) and the
 * property tests (sim/tools/verify/properties.ts) call the same functions.
 * Cross-store (convergence) invariants live in invariants.ts; the lifecycle
 * transition check lives with the spec in lifecycle-spec.ts.
 */
import type { AccountSnapshot } from '../../../policies/account.js';
import type { ConsequenceLadder, LadderInput } from '../../../policies/consequences/ladder.js';
import { isEmptyDiff } from '../../../policies/dunning/diff.js';
import { applyDiff } from '../../../policies/dunning/apply.js';
import type { RecomputeConfig } from '../../../policies/dunning/recompute.js';
import type { ComputeDiff } from '../../../policies/sets.js';
import { networkHistoryOf, violatedRules } from '../../../policies/network-rules.js';
import { MS_PER_DAY, severityOf, type ConsequenceLevel } from '../../../policies/types.js';

/** An on-session mutation (an upgrade) as the checker sees it; sequence numbers order effects within one instant. */
export interface MutationRecord {
  readonly id: number;
  /** The mutation this one repeats after a timeout; -1 if none. */
  readonly retryOf: number;
  readonly paid: boolean;
  /** When the mutation's state was committed to the platform's stores; -1 if never. */
  readonly committedSeq: number;
  /** When its payment succeeded; -1 if never. */
  readonly paidSeq: number;
}

/** One account's stores plus what the checker knows of its history. */
export interface AccountHistory {
  readonly account: AccountSnapshot;
  readonly mutations: readonly MutationRecord[];
  /** Collection attempts made on an invoice already paid, voided or written off. */
  readonly attemptsOnSettled: number;
}

/** One customer charged twice for one mutation: a retry of a mutation that was in fact paid, also paid. */
export function doubleCharge(h: AccountHistory): boolean {
  return h.mutations.some((m) => m.paid && m.retryOf >= 0 && h.mutations.some((o) => o.id === m.retryOf && o.paid));
}

/** Pay-before-commit: a mutation was committed with no succeeded payment before it. */
export function committedWithoutPayment(h: AccountHistory): boolean {
  return h.mutations.some((m) => m.committedSeq >= 0 && !(m.paidSeq >= 0 && m.paidSeq < m.committedSeq));
}

/** A collection attempt on an invoice already paid, voided or written off. */
export function attemptOnSettledInvoice(h: AccountHistory): boolean {
  return h.attemptsOnSettled > 0;
}

/** An off-session attempt recorded on an invoice broke a card-network retry rule, given the attempts before it. */
export function networkRuleBroken(account: AccountSnapshot): boolean {
  const history = networkHistoryOf(account.stripe.invoices);
  for (let k = 1; k < history.length; k++) {
    const at = history[k]!;
    if (!at.onSession && violatedRules(history.slice(0, k), at).length > 0) return true;
  }
  return false;
}

/** How many attempts the account's invoices record: the network verdict can change only when it does. */
export function attemptCount(account: AccountSnapshot): number {
  let n = 0;
  for (const i of account.stripe.invoices) n += i.attempts.length;
  return n;
}

/** What the consequence depends on, sampled at one moment. */
export interface DebtSample {
  readonly atMs: number;
  readonly owedCents: number;
  /** First failure of the oldest invoice still owed; -1 when nothing is owed. */
  readonly oldestOwedSinceMs: number;
  readonly level: ConsequenceLevel;
}

export function daysOverdue(sample: Pick<DebtSample, 'atMs' | 'oldestOwedSinceMs'>): number {
  return sample.oldestOwedSinceMs < 0 ? 0 : (sample.atMs - sample.oldestOwedSinceMs) / MS_PER_DAY;
}

/**
 * Monotonicity of consequences, between two samples of one account: the later
 * one owes less, or is less overdue, and no more on the other count, yet its
 * consequence is harsher. (Equal debt at a later time is more overdue; equal
 * debt at the same instant is not "less", so a stale level catching up is fine.)
 */
export function harsherForLessDebt(before: DebtSample, after: DebtSample): boolean {
  const owedA = after.owedCents,
    owedB = before.owedCents,
    daysA = daysOverdue(after),
    daysB = daysOverdue(before);
  const less = owedA <= owedB && daysA <= daysB && (owedA < owedB || daysA < daysB);
  return less && severityOf(after.level) > severityOf(before.level);
}

/** `b` owes at least as much, as long, and on every flag, as `a`. */
export function dominates(b: LadderInput, a: LadderInput): boolean {
  const owedA = a.oldestOwedSinceMs >= 0,
    owedB = b.oldestOwedSinceMs >= 0;
  if (owedA && !owedB) return false;
  const overdueOk = !owedA || b.nowMs - b.oldestOwedSinceMs >= a.nowMs - a.oldestOwedSinceMs;
  return (
    overdueOk &&
    b.owedCents >= a.owedCents &&
    b.owedInvoices >= a.owedInvoices &&
    b.lastDecline === a.lastDecline &&
    (!a.retriesExhausted || b.retriesExhausted) &&
    (!a.writtenOff || b.writtenOff)
  );
}

/** The ladder is not monotone on this pair: `b` owes more (or as much) than `a`, and gets a milder consequence. */
export function ladderNotMonotone(ladder: ConsequenceLadder, a: LadderInput, b: LadderInput): boolean {
  return dominates(b, a) && severityOf(ladder.evaluate(b).level) < severityOf(ladder.evaluate(a).level);
}

const ROUNDS_MAX = 4;

/**
 * The engine's own loop, done purely: apply the diff (provider commands
 * included) and compute again while the diff carries commands (bounded).
 */
export function settleSnapshot(
  snapshot: AccountSnapshot,
  nowMs: number,
  config: RecomputeConfig,
  compute: ComputeDiff,
): AccountSnapshot {
  let current = snapshot;
  for (let round = 0; round < ROUNDS_MAX; round++) {
    const diff = compute(current, nowMs, config);
    current = applyDiff(current, diff);
    if (diff.commands.length === 0) return current;
  }
  return current;
}

/** Idempotence of the recompute engine: once its diff is applied (to a fixpoint of commands), computing again is not empty. */
export function recomputeNotIdempotent(
  snapshot: AccountSnapshot,
  nowMs: number,
  config: RecomputeConfig,
  compute: ComputeDiff,
): boolean {
  return !isEmptyDiff(compute(settleSnapshot(snapshot, nowMs, config, compute), nowMs, config));
}
