/**
 * The sweep activity: run one sweep task (a run job) in this worker's
 * process, exactly as a sweep's worker thread does. How a document becomes a
 * policy set is a dependency: the process that starts the worker passes the
 * policy loader (only a tool may import a designer's module).
 */
import { runJob, type PolicyBuilder } from '../../world/engine/job.js';
import type { SweepActivities } from './sweep-types.js';

export interface SweepDeps {
  /** How a task's policy document becomes a policy set. */
  readonly build: PolicyBuilder;
}

export function createSweepActivities(deps: SweepDeps): SweepActivities {
  return {
    async runSweepTask(task) {
      return runJob(task, deps.build);
    },
  };
}
