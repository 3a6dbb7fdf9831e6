/**
 * A worker thread simulating shards (see shards.ts): receives ShardJobs as
 * messages, one at a time, and posts back each shard's tally. The policy set is
 * rebuilt here from its --policies spec (a built-in name or a policy file).
 */
import { parentPort } from 'node:worker_threads';
import { resolvePolicies, setPolicyFileLoader } from '../policies/resolve.js';
import { loadPolicyFile } from '../policies/load.js';
import { runShard, type ShardJob } from './shards.js';

setPolicyFileLoader(loadPolicyFile);
parentPort?.on('message', (job: ShardJob) => {
  void resolvePolicies(job.policiesSpec).then((policies) => {
    parentPort?.postMessage(runShard(job.scenario, policies, job.seed, job.range));
  });
});
