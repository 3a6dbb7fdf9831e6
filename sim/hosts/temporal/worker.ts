/**
 * Workers: one task queue can serve both workflows; each worker gets the
 * activities its factory built from the dependencies passed in.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkflowBundle } from '@temporalio/worker';
import { createDunningActivities, type DunningDeps } from './activities.js';
import { createSweepActivities, type SweepDeps } from './sweep-activities.js';

/** The workflow entry file: the built .js next to this module, or the .ts source under a TS loader (tests). */
export function workflowsPath(): string {
  const js = fileURLToPath(new URL('./workflows.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./workflows.ts', import.meta.url));
}

export interface WorkerSetup {
  /** A connection to the server (NativeConnection.connect, or a test environment's nativeConnection). */
  readonly connection: NativeConnection;
  readonly taskQueue: string;
  readonly namespace?: string;
  /** Activities for the dunning workflow; omit on a worker that only runs sweeps. */
  readonly dunning?: DunningDeps;
  /** Activities for sweep points; omit on a worker that only runs dunning. */
  readonly sweep?: SweepDeps;
  /** A bundle from bundleWorkflowCode({ workflowsPath: workflowsPath() }), to skip bundling per worker. */
  readonly workflowBundle?: WorkflowBundle;
  /** Activities this worker runs at once. */
  readonly activitySlots?: number;
  /** Shown in the workflow history for each task this worker takes; defaults to pid@host. */
  readonly identity?: string;
}

export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  return Worker.create({
    connection: setup.connection,
    taskQueue: setup.taskQueue,
    ...(setup.namespace !== undefined ? { namespace: setup.namespace } : {}),
    ...(setup.workflowBundle !== undefined
      ? { workflowBundle: setup.workflowBundle }
      : { workflowsPath: workflowsPath() }),
    activities: {
      ...(setup.sweep !== undefined ? createSweepActivities(setup.sweep) : {}),
      ...(setup.dunning !== undefined ? createDunningActivities(setup.dunning) : {}),
    },
    ...(setup.activitySlots !== undefined ? { maxConcurrentActivityTaskExecutions: setup.activitySlots } : {}),
    ...(setup.identity !== undefined ? { identity: setup.identity } : {}),
  });
}
