/**
 * The online checker, shared by simulated runs and replays: after every event
 * for an account, update the invariant gauges, consequence occupancy, harm and
 * lifecycle transitions; after every invoice-event delivery, invoice coverage.
 */
import { severityOf } from '../../../policies/types.js';
import { brokenMask, dunningOnSettledInvoice, invariantBit, invoiceRowWrong } from '../check/invariants.js';
import { findInvoice, type AccountState } from '../model/state.js';
import type { SimContext } from './context.js';
import { trackSuspension } from './churn.js';
import { LIFECYCLE_STATES, lifecycleIndex } from './lifecycle-state.js';

export function checkAccount(ctx: SimContext, a: AccountState): void {
  const m = ctx.metrics;
  const mask = brokenMask(a);
  m.updateBroken(a.sim.brokenMask, mask);
  a.sim.brokenMask = mask;
  const level = severityOf(a.cfProd.restriction);
  if (level !== a.sim.consequenceLevel) {
    m.occupancy[a.sim.consequenceLevel]!--;
    m.occupancy[level]!++;
    a.sim.consequenceLevel = level;
  }
  trackHarm(ctx, a, (mask & HARM_BIT) !== 0);
  trackSuspension(ctx, a, level);
  const state = lifecycleIndex(a);
  if (state !== a.sim.lifecycle) {
    m.transition(LIFECYCLE_STATES[a.sim.lifecycle]!, LIFECYCLE_STATES[state]!);
    a.sim.lifecycle = state;
  }
}

/**
 * Restriction (delinquent, or restrict_premium and worse) of a customer who owes
 * nothing is harm, exactly what the invariant delinquentWithNothingOverdue says.
 */
const HARM_BIT = invariantBit('delinquentWithNothingOverdue');

/** While the customer is harmed, the duration is summed. */
function trackHarm(ctx: SimContext, a: AccountState, harmed: boolean): void {
  if (harmed) {
    if (a.sim.harmSinceMs < 0) a.sim.harmSinceMs = ctx.nowMs;
  } else closeHarm(ctx, a);
}

export function closeHarm(ctx: SimContext, a: AccountState): void {
  if (a.sim.harmSinceMs < 0) return;
  ctx.metrics.harmMs += ctx.nowMs - a.sim.harmSinceMs;
  a.sim.harmSinceMs = -1;
}

/** One invoice event, as coverage counts it: delivered at least once, covered at most once. */
export interface CoverageEntry {
  covered: boolean;
  delivered: boolean;
}

export function countCoverage(
  ctx: SimContext,
  a: AccountState,
  invoiceId: number,
  entry: CoverageEntry,
  handled: boolean,
): void {
  const m = ctx.metrics;
  if (!entry.delivered) {
    entry.delivered = true;
    m.invoiceEventsDelivered++;
  }
  if (entry.covered || !handled) return;
  const invoice = findInvoice(a, invoiceId);
  if ((invoice !== undefined && invoiceRowWrong(a, invoice)) || dunningOnSettledInvoice(a)) return;
  entry.covered = true;
  m.invoiceEventsCovered++;
}
