/**
 * The Temporal CLI's development server (`temporal server start-dev`): a real
 * Temporal server, every service in one process, with SQLite persistence.
 * Started on a free loopback port with its database in a fresh temporary
 * folder; `restart()` stops it and starts it again on the same port with the
 * same database file. The tests and `npm run bench:temporal` run against it;
 * scripts/install-servers.sh installs the CLI into .tools/bin/temporal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { isExecutable, stopProcess } from '../../lib/processes.js';

/** What to run when the CLI is missing. */
export const TEMPORAL_CLI_INSTALL =
  'Install it with `bash scripts/install-servers.sh` (from the repo root; needs go). ' +
  'The Temporal CLI alone: `CGO_ENABLED=0 GOBIN=$PWD/.tools/bin go install github.com/temporalio/cli/cmd/temporal@v1.5.1`.';

export interface DevServer {
  /** 127.0.0.1:<port> */
  readonly address: string;
  readonly dbFile: string;
  /** Stop (SIGTERM) and start again on the same port with the same database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** `<toolsBin>/temporal`, else `temporal` on `searchPath` (PATH); missing: an error naming the install command. */
export function temporalCliPath(toolsBin: string, searchPath = process.env.PATH ?? ''): string {
  for (const dir of [toolsBin, ...searchPath.split(delimiter)]) {
    if (dir !== '' && isExecutable(join(dir, 'temporal'))) return join(dir, 'temporal');
  }
  throw new Error(`the Temporal CLI (temporal) was not found in ${toolsBin} or on PATH. ${TEMPORAL_CLI_INSTALL}`);
}

/** A port the OS says is free on the loopback interface now. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const SERVING_TIMEOUT_MS = 60_000;

async function waitUntilServing(address: string, child: ChildProcess, log: () => string): Promise<void> {
  const { Connection } = await import('@temporalio/client');
  const deadline = performance.now() + SERVING_TIMEOUT_MS;
  let last: unknown = null;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`temporal server start-dev exited early (${child.exitCode ?? child.signalCode}):\n${log()}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      last = error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`temporal server start-dev at ${address} did not answer within 60 s: ${String(last)}\n${log()}`);
}

function stopChild(child: ChildProcess | null): Promise<void> {
  return child === null ? Promise.resolve() : stopProcess(child, 10_000);
}

/** Starts the dev server (the CLI at `executable`) and resolves once its frontend answers. */
export async function startDevServer(executable: string): Promise<DevServer> {
  const dbFile = join(mkdtempSync(join(tmpdir(), 'billsim-temporal-dev-')), 'temporal.db');
  const port = await freeLoopbackPort();
  const address = `127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';
  const start = async (): Promise<void> => {
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless'];
    args.push('--db-filename', dbFile, '--log-level', 'error');
    const started = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    const append = (chunk: Buffer): void => {
      if (log.length < 64_000) log += chunk.toString('utf8');
    };
    started.stdout.on('data', append);
    started.stderr.on('data', append);
    const spawnError = new Promise<never>((_, reject) => started.once('error', reject));
    await Promise.race([waitUntilServing(address, started, () => log), spawnError]);
  };
  await start().catch(async (error: unknown) => {
    await stopChild(child);
    throw error;
  });
  return {
    address,
    dbFile,
    restart: async () => {
      await stopChild(child);
      await start();
    },
    stop: () => stopChild(child),
  };
}
