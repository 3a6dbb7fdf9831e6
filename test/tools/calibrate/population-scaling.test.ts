/**
 * The scaling argument calibration rests on: every draw is keyed by account
 * id, and accounts do not interact, so the first N accounts of a larger run
 * are exactly the N-account run (up to the run-wide mutation serial, a label
 * that no draw reads). Extensive KPIs (per-day counts, account
 * counts) are sums over accounts, hence linear in population at fixed rates.
 */
import { describe, expect, it } from 'vitest';
import { legacyPolicies, shippedPolicies } from '../../../policies/sets.js';
import { Simulation } from '../../../sim/world/engine/simulation.js';
import { scenarioOf } from '../../support/scenarios.js';

function accountsAfterRun(accounts: number, policies = legacyPolicies()): unknown[] {
  const sim = new Simulation(scenarioOf({ name: 'scale', accounts, days: 15, settleDays: 4 }), policies, 11);
  sim.run();
  return sim.ctx.accounts.map((a) => {
    const copy = structuredClone(a);
    for (const invoice of copy.stripe.invoices)
      (invoice as { mutationId: number }).mutationId = invoice.mutationId >= 0 ? 0 : -1;
    return copy;
  });
}

describe('population scaling', () => {
  it('the first 120 accounts of a 360-account run are the 120-account run, store for store', () => {
    const small = accountsAfterRun(120);
    const large = accountsAfterRun(360);
    expect(large.slice(0, 120)).toEqual(small);
  });

  it('holds for the hybrid platform too', () => {
    expect(accountsAfterRun(240, shippedPolicies()).slice(0, 80)).toEqual(accountsAfterRun(80, shippedPolicies()));
  });
});
