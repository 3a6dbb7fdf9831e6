/**
 * Against a real Temporal server (the CLI's dev server, SQLite persistence):
 * a 12-point sweep on two `billsim worker` processes is byte-identical to a
 * local sweep of the same grid and seeds; so it stays when one worker is
 * SIGKILLed mid-sweep (its task times out on heartbeats and runs again on the
 * other, each point stored once) and when the server restarts mid-sweep on
 * its kept database. The sweep itself is a `billsim sweep --temporal` process.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../support/cli.js';
import { startDevServer, type DevServer } from './dev-server.js';
import { startBillsim, startWorker, type BillsimProcess } from './processes.js';

const dir = mkdtempSync(join(tmpdir(), 'billsim-temporal-sweep-'));
const scenario = join(dir, 'small.yaml');
writeFileSync(scenario, 'name: small\naccounts: 300\ndays: 30\n');
/** 4 × 3 = 12 points on 2 seeds: 24 tasks. */
const SWEEP = [
  'sweep',
  scenario,
  '--policies',
  'target',
  '--vary',
  'retry.attemptsPerPaymentMethodMax=2,4,6,8',
  '--vary',
  'retry.waitHoursByReason.insufficient_funds=24,48,72',
  '--seeds',
  '2',
  '--json',
];
const TASKS = 24;

let server: DevServer;
let local: string;
const workers: BillsimProcess[] = [];

beforeAll(async () => {
  server = await startDevServer();
  const run = await cli(...SWEEP, '--db', join(dir, 'local.duckdb'), '--workers', '2');
  expect(run.code).toBe(0);
  local = run.stdout;
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await server?.stop();
});

async function twoWorkers(taskQueue: string): Promise<[BillsimProcess, BillsimProcess]> {
  const pair = await Promise.all([startWorker(server.address, taskQueue), startWorker(server.address, taskQueue)]);
  workers.push(...pair);
  return pair;
}

function sweepOnTemporal(taskQueue: string, db: string): BillsimProcess {
  return startBillsim([...SWEEP, '--db', db, '--temporal', server.address, '--task-queue', taskQueue]);
}

const finished = /billsim worker: finished /g;
const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

async function storedCounts(db: string): Promise<{ points: number; distinct: number; runs: number }> {
  const sql =
    'SELECT (SELECT count(*) FROM sweep_points) AS points, (SELECT count(DISTINCT point_index) FROM sweep_points) AS "distinct", (SELECT count(*) FROM runs) AS runs';
  const r = await cli('sql', '--db', db, sql, '--json');
  expect(r.code).toBe(0);
  const [row] = JSON.parse(r.stdout) as { points: number; distinct: number; runs: number }[];
  return { points: Number(row!.points), distinct: Number(row!.distinct), runs: Number(row!.runs) };
}

describe('the Temporal CLI dev server', () => {
  it('a missing binary fails with the install command', async () => {
    await expect(startDevServer({ toolsBin: join(dir, 'empty-bin'), searchPath: '' })).rejects.toThrow(
      /bash scripts\/install-servers\.sh.*go install github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1/,
    );
  });
});

describe('billsim sweep --temporal on two billsim worker processes', () => {
  it('a 12-point sweep is byte-identical to the local one, and both workers take points', async () => {
    const taskQueue = `sweep-${randomUUID()}`;
    const [a, b] = await twoWorkers(taskQueue);
    const sweep = sweepOnTemporal(taskQueue, join(dir, 'two.duckdb'));
    expect(await sweep.exited(), sweep.stderr()).toBe(0);
    expect(sweep.stdout()).toBe(local);
    const [byA, byB] = [count(a.stderr(), finished), count(b.stderr(), finished)];
    expect(byA + byB).toBe(TASKS);
    expect(Math.min(byA, byB)).toBeGreaterThan(0);
    expect(await storedCounts(join(dir, 'two.duckdb'))).toEqual({ points: 12, distinct: 12, runs: 24 });
  });

  it("run --temporal: a run's account shards as activities merge into the same JSON as --workers 3 locally", async () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, 'name: big\naccounts: 1200\ndays: 40\n');
    const args = ['run', big, '--policies', 'legacy', '--seed', '5', '--workers', '3', '--json'];
    const here = await cli(...args);
    expect(here.code).toBe(0);
    const taskQueue = `run-${randomUUID()}`;
    const [a, b] = await twoWorkers(taskQueue);
    const run = startBillsim([...args, '--temporal', server.address, '--task-queue', taskQueue]);
    expect(await run.exited(), run.stderr()).toBe(0);
    expect(run.stdout()).toBe(here.stdout);
    const shards = /billsim worker: finished run-\S+ activity/g;
    expect(count(a.stderr(), shards) + count(b.stderr(), shards)).toBe(3);
  });

  it('one worker SIGKILLed mid-task: the other finishes the sweep, byte-identical, each point stored once', async () => {
    const taskQueue = `sweep-kill-${randomUUID()}`;
    const [victim, survivor] = await twoWorkers(taskQueue);
    const db = join(dir, 'kill.duckdb');
    const sweep = sweepOnTemporal(taskQueue, db);
    await victim.waitFor(/billsim worker: started /g, 2);
    victim.child.kill('SIGKILL');
    expect(await sweep.exited(), sweep.stderr()).toBe(0);
    expect(victim.child.signalCode).toBe('SIGKILL');
    expect(sweep.stdout()).toBe(local);
    // The task the victim held timed out on heartbeats and ran again, on the survivor.
    expect(survivor.stderr()).toMatch(/billsim worker: finished sweep-\S+ activity task-\d+ attempt 2/);
    expect(count(victim.stderr(), finished) + count(survivor.stderr(), finished)).toBeGreaterThanOrEqual(TASKS);
    expect(await storedCounts(db)).toEqual({ points: 12, distinct: 12, runs: 24 });
  });

  it('the server restarted mid-sweep on its kept database: the sweep resumes and is byte-identical', async () => {
    const taskQueue = `sweep-restart-${randomUUID()}`;
    const [a, b] = await twoWorkers(taskQueue);
    const db = join(dir, 'restart.duckdb');
    const sweep = sweepOnTemporal(taskQueue, db);
    await Promise.race([a.waitFor(finished, 3), b.waitFor(finished, 3)]);
    const before = count(a.stderr(), finished) + count(b.stderr(), finished);
    await server.restart();
    expect(await sweep.exited(), sweep.stderr()).toBe(0);
    expect(sweep.stdout()).toBe(local);
    const after = count(a.stderr(), finished) + count(b.stderr(), finished);
    expect(before).toBeLessThan(TASKS);
    expect(after).toBeGreaterThanOrEqual(TASKS);
    expect(await storedCounts(db)).toEqual({ points: 12, distinct: 12, runs: 24 });
  });
});
