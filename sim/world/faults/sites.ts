/**
 * Named fault sites (BUGGIFY style). Code that can fail asks `fires(ctx, a,
 * site)`: false when the run has no weather, when the site is off for this
 * run, or once the weather has healed; otherwise true with the site's rate,
 * drawn from the `faults` stream keyed by account (so a run sharded by
 * account draws the same faults). Every firing is counted, so a verify batch
 * can report the faults that never happened.
 */
import type { SimContext } from '../engine/context.js';
import type { AccountState } from '../model/state.js';
import { FAULT_SITES, type FaultSite } from './weather.js';
import { COUNTER, FAULTS } from '../kernel/slots.js';

export function newFaultCounts(): Record<FaultSite, number> {
  return Object.fromEntries(FAULT_SITES.map((s) => [s, 0])) as Record<FaultSite, number>;
}

/** Is the run in its safety phase with this site on? */
export function siteActive(ctx: SimContext, site: FaultSite): boolean {
  return ctx.weather !== null && ctx.nowMs < ctx.workloadEndMs && ctx.weather.sites[site].on;
}

export function fires(ctx: SimContext, a: AccountState, site: FaultSite): boolean {
  if (!siteActive(ctx, site)) return false;
  const hit =
    ctx.streams.faults.u01(a.accountId, a.sim.buggifySerial++, FAULTS.siteBase + FAULT_SITES.indexOf(site)) <
    ctx.weather!.sites[site].rate;
  if (hit) ctx.faultsFired[site]++;
  return hit;
}

/** Note a fault that fired through one of the scenario's own knobs (delivery, timeout, cf_prod). */
export function noteFault(ctx: SimContext, site: FaultSite): void {
  if (ctx.weather !== null) ctx.faultsFired[site]++;
}

/** The platform's clock offset for this account (fixed per account), 0 unless clock.skew is on and picks it. */
export function clockSkewMs(ctx: SimContext, a: AccountState): number {
  if (!siteActive(ctx, 'clock.skew')) return 0;
  const w = ctx.weather!;
  const slot = FAULTS.siteBase + FAULT_SITES.indexOf('clock.skew');
  if (ctx.streams.faults.u01(a.accountId, COUNTER.clockSkew, slot) >= w.sites['clock.skew'].rate * 4) return 0;
  return Math.round((ctx.streams.faults.u01(a.accountId, COUNTER.clockSkew + 1, slot) * 2 - 1) * w.clockSkewMaxMs);
}
