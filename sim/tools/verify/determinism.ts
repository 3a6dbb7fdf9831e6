/**
 * `billsim run --check-determinism`: run the same scenario, policy set and
 * seed twice and compare the hash of the event log and of the final state.
 */
import type { PolicySet } from '../../../policies/sets.js';
import { finalStateHash, hex32 } from '../../world/check/hashes.js';
import { Simulation } from '../../world/engine/simulation.js';
import type { Scenario } from '../../world/scenario/schema.js';

export interface RunHashes {
  readonly eventLogHash: string;
  readonly finalStateHash: string;
  readonly events: number;
}

export function runHashes(scenario: Scenario, policies: PolicySet, seed: number): RunHashes {
  const sim = new Simulation(scenario, policies, seed);
  sim.run();
  return {
    eventLogHash: hex32(sim.eventLogHash),
    finalStateHash: hex32(finalStateHash(sim.ctx.accounts)),
    events: sim.ctx.metrics.events,
  };
}

export function checkDeterminism(
  scenario: Scenario,
  policies: PolicySet,
  seed: number,
): { first: RunHashes; second: RunHashes; same: boolean } {
  const first = runHashes(scenario, policies, seed);
  const second = runHashes(scenario, policies, seed);
  return {
    first,
    second,
    same: first.eventLogHash === second.eventLogHash && first.finalStateHash === second.finalStateHash,
  };
}
