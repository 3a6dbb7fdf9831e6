/**
 * A sweep's runs on this machine's worker threads (sim/lib/pool.ts): each
 * task is one point on one seed, a run job sent as data.
 */
import { compiledWorkerPath, runOnThreads } from '../../lib/pool.js';
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
