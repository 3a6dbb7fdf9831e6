/**
 * The worker thread every pool of billsim's runs on (sim/lib/pool.ts): it is
 * sent a whole run (a sweep point's seed) or one shard of a run, as data
 * (sim/world/engine/job.ts), rebuilds the policy set from its document, runs
 * it and posts the result back.
 */
import { parentPort } from 'node:worker_threads';
import { errorReply } from '../lib/pool.js';
import { runJob, runShardJob, type RunJob, type ShardJob } from '../world/engine/job.js';
import { loadPolicySet } from './policies/load.js';

export type WorkerTask =
  { readonly kind: 'run'; readonly job: RunJob } | { readonly kind: 'shard'; readonly job: ShardJob };

/** This module: the worker script the pools start (its compiled file, sim/lib/pool.ts compiledWorkerPath). */
export const WORKER_URL = new URL(import.meta.url);

const port = parentPort;
port?.on('message', async (task: WorkerTask) => {
  try {
    const result =
      task.kind === 'run' ? await runJob(task.job, loadPolicySet) : await runShardJob(task.job, loadPolicySet);
    port.postMessage({ result });
  } catch (error) {
    port.postMessage(errorReply(error));
  }
});
