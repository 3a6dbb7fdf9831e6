/**
 * The canary: a recompute engine with one deliberate bug. It forgets to clear
 * dunning when the invoice it dunns has been paid, so `subs_dunning` keeps
 * dunning a paid invoice (the invariant dunningOnSettledInvoice breaks). It
 * exists so `billsim verify --policies canary` proves the harness notices.
 */
import type { AccountSnapshot } from '../account.js';
import type { AccountDiff } from './diff.js';
import { computeDiff, type RecomputeConfig } from './recompute.js';

export function forgetfulComputeDiff(snapshot: AccountSnapshot, nowMs: number, config: RecomputeConfig): AccountDiff {
  const diff = computeDiff(snapshot, nowMs, config);
  const dunning = snapshot.subsDunning;
  const dunned = snapshot.stripe.invoices.find((i) => i.id === dunning.failingInvoiceId);
  const clears = diff.subsDunning !== null && diff.subsDunning.inDunning === false;
  const forgets = clears && dunning.inDunning && dunned !== undefined && dunned.status === 'paid';
  return forgets ? { ...diff, subsDunning: null } : diff;
}
