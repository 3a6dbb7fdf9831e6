/**
 * A fixed pool of worker threads running sweep tasks. Tasks go out in index
 * order; results come back in any order and the caller files them by index,
 * so the outcome does not depend on the number of workers.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../../lib/errors.js';
import type { RunResult } from '../../world/result.js';
import type { Scenario } from '../../world/scenario/schema.js';
import type { PolicyDocument } from './document.js';

export interface SweepTask {
  readonly index: number;
  readonly scenario: Scenario;
  readonly document: PolicyDocument;
  readonly seed: number;
}

/** A failed task's error; `badInput` when it was the user's input (a policy module that throws mid-run): exit 2 as in one thread. */
type Reply = { index: number; run: RunResult } | { index: number; error: string; badInput?: boolean };

export const WORKERS_MAX = 64;

/** The compiled worker: beside this module in dist/, or dist/ when this module runs from source (tests). */
export function workerPath(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../../dist/sim/tools/sweep/worker.js', here) : new URL('./worker.js', here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new Error(`sweep worker ${path} is missing: run npm run build`);
  return path;
}

/** Runs every task on `workers` threads; `onResult` is awaited before that worker takes its next task. */
export async function runTasks(tasks: readonly SweepTask[], workers: number, onResult: (index: number, run: RunResult) => Promise<void>): Promise<void> {
  if (tasks.length === 0) return;
  const path = workerPath();
  let next = 0;
  const threads = Array.from({ length: Math.min(workers, tasks.length) }, () => new Worker(path));
  try {
    await Promise.all(threads.map((thread) => drain(thread, tasks, () => next++, onResult)));
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

async function drain(thread: Worker, tasks: readonly SweepTask[], take: () => number,
  onResult: (index: number, run: RunResult) => Promise<void>): Promise<void> {
  for (let i = take(); i < tasks.length; i = take()) {
    const reply = await ask(thread, tasks[i]!);
    if ('error' in reply) {
      if (reply.badInput === true) throw new InputError(reply.error);
      throw new Error(`sweep task ${reply.index} failed in its worker: ${reply.error}`);
    }
    await onResult(reply.index, reply.run);
  }
}

function ask(thread: Worker, task: SweepTask): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      thread.off('message', onMessage);
      thread.off('error', onError);
    };
    const onMessage = (reply: Reply): void => { cleanup(); resolve(reply); };
    const onError = (error: Error): void => { cleanup(); reject(error); };
    thread.on('message', onMessage);
    thread.on('error', onError);
    thread.postMessage(task);
  });
}
