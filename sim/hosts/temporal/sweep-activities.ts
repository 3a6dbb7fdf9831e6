/**
 * The sweep activity: run one sweep task (scenario, policy document, seed) in
 * this worker's process, exactly as a sweep worker thread does.
 */
import type { PolicySet } from '../../../policies/sets.js';
import { runSimulation } from '../../world/engine/run.js';
import { buildPolicySet, type PolicyDocument } from '../../tools/sweep/document.js';
import '../../tools/sweep/policy-file-document.js'; // registers the policy-file builder, as the sweep's worker thread does
import type { SweepActivities } from './sweep-types.js';

export interface SweepDeps {
  /** How a task's policy document becomes a policy set; defaults to the sweep's registered builders. */
  readonly build?: (document: PolicyDocument) => PolicySet | Promise<PolicySet>;
}

export function createSweepActivities(deps: SweepDeps = {}): SweepActivities {
  const build = deps.build ?? buildPolicySet;
  return {
    async runSweepTask(task) {
      return runSimulation(task.scenario, await build(task.document), task.seed);
    },
  };
}
