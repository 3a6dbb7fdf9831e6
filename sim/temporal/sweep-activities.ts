/**
 * The sweep activity: run one sweep point in this worker's process and score it.
 */
import type { PolicySet } from '../../policies/sets.js';
import { resolvePolicies } from '../cli/policies.js';
import { runSimulation } from '../engine/run.js';
import type { SweepActivities, SweepPoint, SweepPointResult } from './sweep-types.js';

export interface SweepDeps {
  /** How a point's `policies` spec becomes a policy set; defaults to the CLI's resolver. */
  readonly resolve?: (spec: string) => Promise<PolicySet>;
}

export function createSweepActivities(deps: SweepDeps = {}): SweepActivities {
  const resolve = deps.resolve ?? resolvePolicies;
  return {
    async runSweepPoint(index: number, point: SweepPoint): Promise<SweepPointResult> {
      const policies = await resolve(point.policies);
      const result = runSimulation(point.scenario, policies, point.seed);
      return {
        index, scenario: result.scenario, policies: point.policies, seed: point.seed,
        kpis: result.kpis, recovery: result.recovery,
      };
    },
  };
}
