/**
 * billsim as real child processes (`node bin/billsim.js …`, the built CLI):
 * workers and sweeps for the tests against the dev server, with their stderr
 * kept so a test can wait for a line (a worker polling, a task finished).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/servers.js';

const BIN = join(REPO_ROOT, 'bin', 'billsim.js');

export interface BillsimProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr has matched `pattern` `count` times. */
  waitFor(pattern: RegExp, count?: number): Promise<void>;
  /** Resolves with the exit code. */
  exited(): Promise<number | null>;
  /** SIGTERM, then SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

function matches(text: string, pattern: RegExp): number {
  return (
    text.match(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`))?.length ??
    0
  );
}

export function startBillsim(args: readonly string[]): BillsimProcess {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: REPO_ROOT });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const done = (): boolean => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: () => exit,
    waitFor: (pattern, count = 1) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (matches(err, pattern) >= count) {
            child.stderr.off('data', check);
            resolve();
          } else if (done()) reject(new Error(`billsim ${args.join(' ')} exited before ${pattern}:\n${err}`));
        };
        child.stderr.on('data', check);
        void exit.then(check);
        check();
      }),
    stop: async () => {
      if (done()) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exit;
      clearTimeout(timer);
    },
  };
}

/** `billsim worker` polling `taskQueue` on `address`; resolves once it polls. */
export async function startWorker(
  address: string,
  taskQueue: string,
  extra: readonly string[] = [],
): Promise<BillsimProcess> {
  const worker = startBillsim(['worker', '--temporal', address, '--task-queue', taskQueue, ...extra]);
  await worker.waitFor(/billsim worker: polling/);
  return worker;
}
