/**
 * A fixed pool of worker threads, each running one task at a time. Tasks go
 * out in index order; replies come back in any order and are handed to the
 * caller with their task's index, so what the caller builds does not depend
 * on the number of workers. A task the worker reports as bad input (exit 2 in
 * one thread) is bad input here too.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from './errors.js';

/** What a worker thread posts back for one task. */
export type WorkerReply<R> = { readonly result: R } | { readonly error: string; readonly badInput: boolean };

/** The reply for a task that threw: its message (the stack unless it was the user's input). */
export function errorReply(error: unknown): WorkerReply<never> {
  const badInput = error instanceof Error && error.name === 'InputError';
  const text = error instanceof Error ? (badInput ? error.message : (error.stack ?? error.message)) : String(error);
  return { error: text, badInput };
}

/**
 * A worker script's compiled file: `moduleUrl` itself when it runs from dist/,
 * the same path under dist/ when the caller runs from source (tests).
 */
export function compiledWorkerPath(moduleUrl: URL): string {
  const path = fileURLToPath(moduleUrl);
  if (!path.endsWith('.ts')) return path;
  const checkout = fileURLToPath(new URL('../../', import.meta.url)); // this module runs from source too
  const compiled = join(checkout, 'dist', relative(checkout, path)).replace(/\.ts$/, '.js');
  if (!existsSync(compiled)) throw new Error(`worker ${compiled} is missing: run npm run build`);
  return compiled;
}

/** Runs every task on at most `workers` threads; `onResult` is awaited before that thread takes its next task. */
export async function runOnThreads<T, R>(
  workerPath: string,
  tasks: readonly T[],
  workers: number,
  onResult: (index: number, result: R) => Promise<void> | void,
): Promise<void> {
  if (tasks.length === 0) return;
  let next = 0;
  const threads = Array.from({ length: Math.max(1, Math.min(workers, tasks.length)) }, () => new Worker(workerPath));
  try {
    await Promise.all(
      threads.map(async (thread) => {
        for (let k = next++; k < tasks.length; k = next++)
          await onResult(k, resultOf<R>(await ask<T, R>(thread, tasks[k]!), k));
      }),
    );
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

function resultOf<R>(reply: WorkerReply<R>, index: number): R {
  if ('result' in reply) return reply.result;
  if (reply.badInput) throw new InputError(reply.error);
  throw new Error(`task ${index} failed in its worker thread: ${reply.error}`);
}

function ask<T, R>(thread: Worker, task: T): Promise<WorkerReply<R>> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      thread.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    const onMessage = (reply: WorkerReply<R>): void => {
      cleanup();
      resolve(reply);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`worker thread exited with code ${code} and no reply`));
    };
    thread.on('message', onMessage).on('error', onError).on('exit', onExit);
    thread.postMessage(task);
  });
}
