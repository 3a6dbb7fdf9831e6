/**
 * A parameter sweep as a workflow: each task (scenario, policy document, seed)
 * is one activity, so tasks run on any number of workers polling the task
 * queue; the workflow gathers the results in task order. Workflow code: only
 * @temporalio/workflow and types here.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { RunResult } from '../../world/result.js';
import type { SweepActivities, SweepInput } from './sweep-types.js';

/** Bound on a sweep's size: a few history events per task, and results travel in the history. */
export const SWEEP_TASKS_MAX = 2_000;

const { runSweepTask } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
});

export async function sweepWorkflow(input: SweepInput): Promise<RunResult[]> {
  const { tasks } = input;
  if (tasks.length > SWEEP_TASKS_MAX)
    throw new Error(`sweepWorkflow: ${tasks.length} tasks (at most ${SWEEP_TASKS_MAX})`);
  const inFlightMax = Math.max(1, Math.floor(input.inFlightMax));
  const results: RunResult[] = new Array(tasks.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < tasks.length) {
      const k = next++;
      results[k] = await runSweepTask(tasks[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlightMax, tasks.length) }, lane));
  return results;
}
