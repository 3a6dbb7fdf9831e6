/**
 * Replaying a stream through a policy set and judging the result: the
 * stream is delivered in file order (the clock never runs backwards: a late
 * event is delivered "now"), the replay ends at the latest `created` plus the
 * settle window, and the final stores are checked against the cross-store
 * invariants, the reference model, and the same stream delivered in creation
 * order (the final state must not depend on delivery order).
 */
import type { AccountSnapshot } from '../../policies/account.js';
import type { PolicySet } from '../../policies/sets.js';
import { MS_PER_DAY } from '../../policies/types.js';
import { brokenNames } from '../check/invariants.js';
import { INITIAL_PROVIDER } from './history.js';
import { disagreementsWithOracle } from './reference.js';
import { ReplayPlatform } from './replay-platform.js';
import { creationOrder, lastCreatedMs, providerStateAt, S, type StripeEvent } from './stream.js';

export const REPLAY_SETTLE_MS = 5 * MS_PER_DAY;

export function replayFinal(delivered: readonly StripeEvent[], policies: PolicySet, all: readonly StripeEvent[] = delivered): AccountSnapshot {
  const platform = new ReplayPlatform(policies, (atMs) => providerStateAt(all, atMs, INITIAL_PROVIDER));
  let clockMs = 0;
  for (const e of delivered) {
    clockMs = Math.max(clockMs, e.created * S);
    platform.deliver(e, clockMs);
  }
  const endMs = lastCreatedMs(all) + REPLAY_SETTLE_MS;
  platform.runUntil(endMs);
  return platform.snapshot(endMs);
}

export function storesKey(a: AccountSnapshot): string {
  const { billingProd, subsAccount, subsCustomer, subsDunning, cfProd } = a;
  return JSON.stringify({ billingProd, subsAccount, subsCustomer, subsDunning, cfProd });
}

/** The invariants a replayed stream breaks, by name (empty when all hold). */
export function replayVerdict(delivered: readonly StripeEvent[], policies: PolicySet): string[] {
  const final = replayFinal(delivered, policies);
  const broken = brokenNames(final);
  if (disagreementsWithOracle(final).length > 0) broken.push('agreesWithReferenceModel');
  if (storesKey(final) !== storesKey(replayFinal(creationOrder(delivered), policies, delivered))) broken.push('orderIndependent');
  return broken;
}
