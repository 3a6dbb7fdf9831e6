/**
 * A real Temporal server for the tests: the Temporal CLI's development server
 * (`temporal server start-dev`, SQLite persistence), installed into
 * .tools/bin/temporal by `bash scripts/install-servers.sh`, started on free
 * loopback ports with its database in a fresh temporary folder. `restart()`
 * stops it and starts it again on the same port with the same database file.
 * A missing binary is an error naming the install command, never a skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { findTool, INSTALL_HINT, isExecutable, stopProcess, TOOLS_BIN } from '../../support/servers.js';

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

/** .tools/bin/temporal (or `temporal` on PATH); `executable` stands in for it (to test the missing case). */
export function temporalCliPath(executable?: string): string {
  const found = executable === undefined ? findTool('temporal') : isExecutable(executable) ? executable : null;
  if (found === null)
    throw new Error(`the Temporal CLI (temporal) was not found in ${TOOLS_BIN} or on PATH. ${TEMPORAL_CLI_INSTALL}`);
  return found;
}

async function waitUntilServing(address: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = performance.now() + 60_000;
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
  return child === null ? Promise.resolve() : stopProcess(child);
}

export async function startDevServer(opts: { readonly executable?: string } = {}): Promise<DevServer> {
  const exe = temporalCliPath(opts.executable);
  const dir = mkdtempSync(join(tmpdir(), 'billsim-temporal-dev-'));
  const dbFile = join(dir, 'temporal.db');
  const port = await freeLoopbackPort();
  const address = `127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';
  const start = async (): Promise<void> => {
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless'];
    args.push('--db-filename', dbFile, '--log-level', 'error');
    const started = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    const append = (chunk: Buffer): void => {
      if (log.length < 64_000) log += chunk.toString('utf8');
    };
    started.stdout.on('data', append);
    started.stderr.on('data', append);
    await waitUntilServing(address, started, () => log);
  };
  await start().catch(async (error: unknown) => {
    await stopChild(child);
    throw new Error(`${String(error)}\nIf the server is not installed: ${INSTALL_HINT}`);
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
