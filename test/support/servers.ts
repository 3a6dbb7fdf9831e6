/**
 * Local servers for integration tests: stripe-mock and Temporal's time-skipping
 * test server (the Java one from Maven Central, via a wrapper script).
 * Both are installed by `bash scripts/install-servers.sh` into .tools/.
 * A missing server is an error with the install command, never a silent skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { isExecutable, stopProcess } from '../../sim/lib/processes.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS_BIN = path.join(REPO_ROOT, '.tools', 'bin');
export const INSTALL_HINT =
  'Install it with `bash scripts/install-servers.sh` (from the repo root; needs go, java 11+ and mvn). ' +
  'For stripe-mock alone: `GOBIN=$PWD/.tools/bin go install github.com/stripe/stripe-mock@v0.197.0`.';

export interface StripeMock {
  /** e.g. http://127.0.0.1:41234 */
  readonly baseUrl: string;
  readonly host: string;
  readonly port: number;
  /** Kill the process and wait for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** .tools/bin/<name>, else <name> on PATH, else null. */
export function findTool(name: string): string | null {
  const local = path.join(TOOLS_BIN, name);
  if (isExecutable(local)) return local;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

function requireTool(name: string): string {
  const found = findTool(name);
  if (found === null) throw new Error(`${name} not found in ${TOOLS_BIN} or on PATH. ${INSTALL_HINT}`);
  return found;
}

/** Wait for stripe-mock's "Listening for HTTP at address: 127.0.0.1:<port>" line. */
function waitForListenLine(child: ChildProcess, output: () => string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const re = /Listening for HTTP at address: [^\s]*:(\d+)/;
    const onData = (): void => {
      const m = re.exec(output());
      if (m?.[1]) {
        cleanup();
        resolve(Number(m[1]));
      }
    };
    const onExit = (code: number | null, signal: string | null): void => {
      cleanup();
      reject(new Error(`stripe-mock exited early (code ${code}, signal ${signal}):\n${output()}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`stripe-mock did not report its port within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    onData();
  });
}

async function waitForHttp(baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown = null;
  while (performance.now() < deadline) {
    try {
      // Any HTTP answer (401 without a key is fine) proves the server is serving.
      const res = await fetch(`${baseUrl}/v1/customers/cus_ready`, {
        headers: { Authorization: 'Bearer sk_test_ready' },
      });
      await res.arrayBuffer();
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`stripe-mock at ${baseUrl} did not answer HTTP within ${timeoutMs} ms: ${String(last)}`);
}

/**
 * Start stripe-mock on a free loopback port (the OS picks it; we read it from
 * stripe-mock's log), wait until it answers HTTP, and return how to reach it.
 * HTTPS is bound to another OS-picked loopback port so parallel test files
 * never collide on stripe-mock's default 12112.
 */
export async function startStripeMock(opts: { readonly timeoutMs?: number } = {}): Promise<StripeMock> {
  const exe = requireTool('stripe-mock');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const child = spawn(exe, ['-http-addr', '127.0.0.1:', '-https-addr', '127.0.0.1:'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const append = (chunk: Buffer): void => {
    if (log.length < 64_000) log += chunk.toString('utf8');
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  try {
    const port = await Promise.race([waitForListenLine(child, () => log, timeoutMs), spawnError]);
    const host = '127.0.0.1';
    const baseUrl = `http://${host}:${port}`;
    await waitForHttp(baseUrl, timeoutMs);
    return { baseUrl, host, port, stop: () => stopProcess(child) };
  } catch (err) {
    await stopProcess(child);
    throw err;
  }
}

/** Path of the time-skipping test server executable (the wrapper around the Java server). */
export function temporalTestServerPath(): string {
  return requireTool('temporal-test-server');
}

/**
 * A TestWorkflowEnvironment backed by Temporal's Java time-skipping test server,
 * launched through .tools/bin/temporal-test-server. Call `teardown()` after.
 */
export async function startTemporalTestEnv(
  opts: { readonly attempts?: number } = {},
): Promise<TestWorkflowEnvironment> {
  const exe = temporalTestServerPath();
  const attempts = opts.attempts ?? 3;
  let lastError: unknown = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: exe } },
      });
    } catch (err) {
      // The SDK gives the server 5 s to accept connections; a JVM on a loaded
      // 2-core machine can miss that. Retry only that failure.
      lastError = err;
      if (!/timeout|timed out|did not|connect/i.test(String(err))) break;
    }
  }
  throw new Error(
    `Temporal time-skipping test server (${exe}) failed to start: ${String(lastError)}. ` +
      `If it is not installed: ${INSTALL_HINT}`,
    { cause: lastError },
  );
}
