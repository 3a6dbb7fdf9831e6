/**
 * `npm run bench:temporal [-- --json] [-- --quick]`: sweep points per minute on
 * Temporal with 1, 2 and 4 `billsim worker` processes on this machine, against
 * the Temporal CLI's dev server (.tools/bin/temporal, SQLite), next to the same
 * sweep on local worker threads. Every configuration must print the same
 * bytes as the local sweep (its SHA-256 is compared). Timing lives here,
 * never in tests.
 */
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer, temporalCliPath } from '../sim/hosts/temporal/dev-server.js';
import { stopProcess } from '../sim/lib/processes.js';

const BIN = 'bin/billsim.js';
const WORKER_COUNTS = [1, 2, 4] as const;

interface Measured {
  readonly config: string;
  readonly workers: number;
  readonly seconds: number;
  readonly pointsPerMinute: number;
  readonly runsPerMinute: number;
  readonly identicalToLocal: boolean;
}

interface Sweep {
  readonly args: readonly string[];
  readonly points: number;
  readonly seeds: number;
}

/** The baseline scenario (10,000 accounts × 90 days) under target, 8 points (4 × 2) × 2 seeds; --quick: 4 points. */
function sweepOf(quick: boolean): Sweep {
  const attempts = quick ? '4,8' : '2,4,6,8';
  const args = ['sweep', 'baseline', '--policies', 'target', '--vary', `retry.attemptsPerPaymentMethodMax=${attempts}`];
  args.push('--vary', 'retry.waitHoursByReason.insufficient_funds=48,72', '--seeds', '2', '--json');
  return { args, points: quick ? 4 : 8, seeds: 2 };
}

/** Runs `node bin/billsim.js …`, resolving with its stdout (rejecting on a non-zero exit). */
function billsim(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`billsim ${args[0]} exited ${code}:\n${err}`)),
    );
  });
}

/** `billsim worker` processes polling `taskQueue`; resolves once each polls. */
async function startWorkers(address: string, taskQueue: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, () => {
      const child = spawn(process.execPath, [BIN, 'worker', '--temporal', address, '--task-queue', taskQueue], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      return new Promise<typeof child>((resolve, reject) => {
        let log = '';
        child.stderr.on('data', (c: Buffer) => {
          log += c.toString('utf8');
          if (log.includes('billsim worker: polling')) resolve(child);
        });
        child.once('exit', (code) => reject(new Error(`billsim worker exited ${code}:\n${log}`)));
      });
    }),
  );
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

async function timed(
  config: string,
  workers: number,
  sweep: Sweep,
  run: () => Promise<string>,
  localSha: string | null,
): Promise<{ measured: Measured; sha: string }> {
  const t0 = performance.now();
  const out = await run();
  const seconds = (performance.now() - t0) / 1000;
  const minutes = seconds / 60;
  const measured: Measured = {
    config,
    workers,
    seconds: Number(seconds.toFixed(2)),
    pointsPerMinute: Number((sweep.points / minutes).toFixed(1)),
    runsPerMinute: Number(((sweep.points * sweep.seeds) / minutes).toFixed(1)),
    identicalToLocal: localSha === null || sha(out) === localSha,
  };
  return { measured, sha: sha(out) };
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const sweep = sweepOf(process.argv.includes('--quick'));
  const dir = mkdtempSync(join(tmpdir(), 'billsim-bench-temporal-'));
  const loadAtStart = loadavg()[0]!;
  const server = await startDevServer(temporalCliPath(join(process.cwd(), '.tools', 'bin')));
  const results: Measured[] = [];
  try {
    const local = await timed(
      'local threads',
      2,
      sweep,
      () => billsim([...sweep.args, '--workers', '2', '--db', join(dir, 'local.duckdb')]),
      null,
    );
    results.push(local.measured);
    for (const count of WORKER_COUNTS) {
      const taskQueue = `bench-${randomUUID()}`;
      const workers = await startWorkers(server.address, taskQueue, count);
      try {
        const db = join(dir, `temporal-${count}.duckdb`);
        const args = [...sweep.args, '--db', db, '--temporal', server.address, '--task-queue', taskQueue];
        results.push((await timed('temporal', count, sweep, () => billsim(args), local.sha)).measured);
      } finally {
        await Promise.all(workers.map((w) => stopProcess(w)));
      }
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  report(json, sweep, results, loadAtStart);
}

function report(json: boolean, sweep: Sweep, results: readonly Measured[], loadAtStart: number): void {
  const machine = {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    loadAverage1mAtStart: Number(loadAtStart.toFixed(2)),
    loadAverage1mAtEnd: Number(loadavg()[0]!.toFixed(2)),
  };
  const scenario = { scenario: 'baseline (10,000 accounts x 90 days)', points: sweep.points, seeds: sweep.seeds };
  if (json) {
    process.stdout.write(`${JSON.stringify({ machine, sweep: scenario, results })}\n`);
    return;
  }
  const lines = [
    `${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage1mAtStart} -> ${machine.loadAverage1mAtEnd}`,
    `sweep: ${scenario.scenario}, ${sweep.points} points x ${sweep.seeds} seeds`,
    '',
    'config          workers  seconds  points/min  runs/min  identical',
    ...results.map(
      (r) =>
        `${r.config.padEnd(15)} ${String(r.workers).padStart(7)} ${r.seconds.toFixed(2).padStart(8)} ${r.pointsPerMinute.toFixed(1).padStart(11)} ${r.runsPerMinute.toFixed(1).padStart(9)}  ${r.identicalToLocal ? 'yes' : 'NO'}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (results.some((r) => !r.identicalToLocal)) process.exitCode = 1;
}

await main();
