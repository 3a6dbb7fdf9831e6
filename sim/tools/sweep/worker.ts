/**
 * A sweep worker thread: builds the point's policy set from its document and
 * runs one seed at a time, posting each RunResult back.
 */
import { parentPort } from 'node:worker_threads';
import { runSimulation } from '../../world/engine/run.js';
import { buildPolicySet } from './document.js';
import './policy-file-document.js';
import type { SweepTask } from './pool.js';

if (parentPort === null) throw new Error('sim/tools/sweep/worker.js runs as a worker thread');
const port = parentPort;
port.on('message', async (task: SweepTask) => {
  try {
    port.postMessage({ index: task.index, run: runSimulation(task.scenario, await buildPolicySet(task.document), task.seed) });
  } catch (error) {
    const badInput = error instanceof Error && error.name === 'InputError';
    port.postMessage({ index: task.index, badInput, error: error instanceof Error ? (badInput ? error.message : error.stack ?? error.message) : String(error) });
  }
});
