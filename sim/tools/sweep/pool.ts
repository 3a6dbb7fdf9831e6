/**
 * A sweep's runs on this machine's worker threads (sim/lib/pool.ts): each
 * task is one point on one seed, a run job sent as data. `billsim worker`
 * runs each Temporal task on a thread of its own the same way.
 */
import { compiledWorkerPath, runOnThreads } from '../../lib/pool.js';
import type { SweepDeps } from '../../hosts/temporal/sweep-activities.js';
import type { RunJob } from '../../world/engine/job.js';
import type { RunResult } from '../../world/result.js';
import { WORKER_URL, type WorkerTask } from '../worker.js';

/** Runs every job on `workers` threads; `onResult` (by job index) is awaited before that thread takes its next job. */
export async function runTasks(
  jobs: readonly RunJob[],
  workers: number,
  onResult: (index: number, run: RunResult) => Promise<void>,
): Promise<void> {
  const tasks: WorkerTask[] = jobs.map((job) => ({ kind: 'run', job }));
  await runOnThreads<WorkerTask, RunResult>(compiledWorkerPath(WORKER_URL), tasks, workers, onResult);
}

/** Runs one task on a worker thread started for it, and returns its result. */
async function runOnThread<R>(task: WorkerTask): Promise<R> {
  let result: R | undefined;
  await runOnThreads<WorkerTask, R>(compiledWorkerPath(WORKER_URL), [task], 1, (_, r) => {
    result = r;
  });
  return result!;
}

/** How `billsim worker` runs a Temporal task: on a thread, so the worker keeps heartbeating while it runs. */
export function threadSweepDeps(onTask?: SweepDeps['onTask']): SweepDeps {
  return {
    runJob: (job) => runOnThread({ kind: 'run', job }),
    runShardJob: (job) => runOnThread({ kind: 'shard', job }),
    ...(onTask !== undefined ? { onTask } : {}),
  };
}
