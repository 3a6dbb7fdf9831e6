/**
 * `npm run bench [-- --json] [-- --quick] [-- --workers N]`: the performance
 * figures of docs/scale.md, measured in one run on this machine.
 *  - the bare kernel (hold model on EventQueue) and target end to end on
 *    scenarios/large.yaml, in this process, each warm (best of three timed
 *    passes after two warm-up passes), and their ratio;
 *  - the same hold model on SimPy (installed into .bench-venv), and the ratio;
 *  - the scaling series (10k, 100k, 1M accounts x 90 days; --quick skips 1M),
 *    each point in its own process, with the log-log slope of time vs accounts,
 *    and 1M sharded across --workers threads (result hash compared to 1 worker);
 *  - DuckDB rows appended per second (writeRun with EventColumns).
 * Timing lives here, never in tests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { targetPolicies } from '../policies/sets.js';
import { runSimulation } from '../sim/world/engine/run.js';
import { lifecycleSpec } from '../sim/tools/lifecycle/spec.js';
import { loadScenarioFile } from '../sim/tools/scenario/load.js';
import type { Scenario } from '../sim/world/scenario/schema.js';
import { closeStore, openStore, writeRun } from '../reports/store.js';
import { runHold, type HoldResult } from './hold.js';
import { cpuSecondsSince, LARGE_SCENARIO, type ScalePoint } from './points.js';

const VENV = '.bench-venv';
const HOLD_EVENTS = 5_000_000;
const SIMPY_EVENTS = 1_000_000;
const DUCKDB_ROWS = 2_000_000;

interface Options {
  readonly json: boolean;
  readonly quick: boolean;
  readonly workers: number;
}

function parseOptions(argv: readonly string[]): Options {
  const at = argv.indexOf('--workers');
  const workers = at >= 0 ? Number(argv[at + 1]) : 2;
  if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers: expected a positive integer');
  return { json: argv.includes('--json'), quick: argv.includes('--quick'), workers };
}

function machine(): Record<string, unknown> {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage1mAtStart: Number(loadavg()[0]!.toFixed(2)),
  };
}

/**
 * Target on the large scenario, end to end: population, event loop with online
 * checks, result. Timed as the kernel is (warmHold): two warm-up runs, then the
 * best of three, so the ratio compares like with like; every timed pass is
 * kept. The scaling series' 100k point is the same run cold, in a fresh
 * process, as a CLI run is.
 */
function endToEnd(): EndToEnd {
  const scenario = loadScenarioFile(LARGE_SCENARIO);
  for (let pass = 0; pass < 2; pass++) runSimulation(scenario, targetPolicies(), 7, { lifecycle: lifecycleSpec() });
  const passes = [0, 1, 2].map(() => timedRun(scenario));
  const best = passes.reduce((x, y) => (y.seconds < x.seconds ? y : x));
  return { accounts: scenario.accounts, days: scenario.days, ...best, passesSeconds: passes.map((p) => p.seconds) };
}

interface EndToEnd {
  readonly accounts: number;
  readonly days: number;
  readonly events: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly passesSeconds: readonly number[];
}

function timedRun(scenario: Scenario): { events: number; seconds: number; cpuSeconds: number } {
  const t0 = performance.now(),
    cpu0 = process.cpuUsage();
  const result = runSimulation(scenario, targetPolicies(), 7, { lifecycle: lifecycleSpec() });
  const cpuSeconds = cpuSecondsSince(cpu0);
  return { events: result.events, seconds: (performance.now() - t0) / 1000, cpuSeconds };
}

function simpyHold(pending: number, log: (s: string) => void): HoldResult {
  const python = join(VENV, 'bin', 'python');
  if (!existsSync(python)) {
    log(`creating ${VENV} and installing simpy with pip`);
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'ignore' });
    execFileSync(join(VENV, 'bin', 'pip'), ['install', '--quiet', 'simpy'], { stdio: 'ignore' });
  }
  const out = execFileSync(python, ['bench/simpy_hold.py', String(pending), String(SIMPY_EVENTS)], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as HoldResult;
}

function scalePoint(accounts: number, days: number, workers: number): ScalePoint {
  const out = execFileSync(
    process.execPath,
    ['dist/bench/scale-point.js', String(accounts), String(days), String(workers)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out) as ScalePoint;
}

/** Least-squares slope of log(seconds) against log(accounts). */
export function logLogSlope(points: readonly { accounts: number; seconds: number }[]): number {
  const xs = points.map((p) => Math.log(p.accounts)),
    ys = points.map((p) => Math.log(p.seconds));
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length,
    my = ys.reduce((s, y) => s + y, 0) / ys.length;
  const sxy = xs.reduce((s, x, k) => s + (x - mx) * (ys[k]! - my), 0),
    sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  return sxy / sxx;
}

/** Rows per second that writeRun appends: a baseline-sized run plus DUCKDB_ROWS synthetic kernel events. */
/** Best of three fresh stores: the same warm-up rule as the kernel (the first write also loads DuckDB's code). */
async function bestDuckdbRowsPerSec(): Promise<Awaited<ReturnType<typeof duckdbRowsPerSec>>> {
  let best = await duckdbRowsPerSec();
  for (let pass = 1; pass < 3; pass++) {
    const next = await duckdbRowsPerSec();
    if (next.rowsPerSec > best.rowsPerSec) best = next;
  }
  return best;
}

async function duckdbRowsPerSec(): Promise<{ rows: number; seconds: number; rowsPerSec: number }> {
  const result = runSimulation({ ...loadScenarioFile(LARGE_SCENARIO), accounts: 2_000, days: 30 }, targetPolicies(), 7);
  const timeMs = new Float64Array(DUCKDB_ROWS),
    kind = new Uint8Array(DUCKDB_ROWS),
    accountId = new Int32Array(DUCKDB_ROWS);
  for (let i = 0; i < DUCKDB_ROWS; i++) {
    timeMs[i] = i * 37;
    kind[i] = 1 + (i % 11);
    accountId[i] = i % 2_000;
  }
  const dir = mkdtempSync(join(tmpdir(), 'billsim-bench-'));
  try {
    const store = await openStore(join(dir, 'bench.duckdb'));
    const t0 = performance.now();
    await writeRun(store, result, {
      codeVersion: 'bench',
      events: { timeMs, kind, kindNames: KIND_LABELS, accountId },
    });
    const seconds = (performance.now() - t0) / 1000;
    closeStore(store);
    const rows = DUCKDB_ROWS + result.daily.length * 3 + result.invoices.length + 1;
    return { rows, seconds, rowsPerSec: rows / seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const KIND_LABELS = [
  'none',
  'renewal',
  'upgrade',
  'payment_method_update',
  'retry',
  'wake',
  'webhook_delivery',
  'late_rollback',
  'day',
  'pay_out_of_band',
  'authentication_done',
  'authentication_expired',
  'upgrade_again',
];

/**
 * The bare kernel at its steady rate: the first pass over a fresh queue runs
 * before V8 has optimised push and pop (measured 0.7, 1.2, 2.0 M/s on three
 * passes in one process), so two passes warm it up and the best of three
 * timed passes is reported, as the end-to-end run is timed warm too.
 */
function warmHold(pending: number): ReturnType<typeof runHold> {
  for (let pass = 0; pass < 2; pass++) runHold(pending, HOLD_EVENTS);
  const timed = [0, 1, 2].map(() => runHold(pending, HOLD_EVENTS));
  return timed.reduce((best, r) => (r.eventsPerSec > best.eventsPerSec ? r : best));
}

async function measure(opts: Options, log: (s: string) => void): Promise<Record<string, unknown>> {
  const machineInfo = machine();
  log('bare kernel: hold model');
  const largeAccounts = loadScenarioFile(LARGE_SCENARIO).accounts;
  const pending = 3 * largeAccounts;
  const kernel = warmHold(pending);
  log(`end to end: target on ${LARGE_SCENARIO}`);
  const e2e = endToEnd();
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  log('SimPy: hold model');
  const simpy = simpyHold(pending, log);
  log('scaling series');
  const scaling = scalingSeries(opts, log);
  log('DuckDB appender');
  const duck = await bestDuckdbRowsPerSec();
  const e2eRate = e2e.events / e2e.seconds;
  return {
    machine: { ...machineInfo, loadAverage1mAtEnd: Number(loadavg()[0]!.toFixed(2)) },
    holdPendingEvents: pending,
    kernelEventsPerSec: kernel.eventsPerSec,
    endToEnd: e2e,
    endToEndEventsPerSec: e2eRate,
    endToEndColdEventsPerSec: coldEventsPerSec(scaling.points),
    ratio: e2eRate / kernel.eventsPerSec,
    accountDaysPerSec: (e2e.accounts * e2e.days) / e2e.seconds,
    peakRssBytes,
    perCpuSecond: {
      kernelEvents: kernel.eventsPerCpuSec,
      endToEndEvents: e2e.events / e2e.cpuSeconds,
      ratio: e2e.events / e2e.cpuSeconds / kernel.eventsPerCpuSec,
    },
    scaling: scaling.points,
    slope: logLogSlope(scaling.points),
    slopeCpu: logLogSlope(scaling.points.map((p) => ({ accounts: p.accounts, seconds: p.cpuSeconds }))),
    sharded: scaling.sharded,
    simpyEventsPerSec: simpy.eventsPerSec,
    simpyRatio: kernel.eventsPerSec / simpy.eventsPerSec,
    duckdbRowsPerSec: duck.rowsPerSec,
    duckdb: duck,
  };
}

function scalingSeries(
  opts: Options,
  log: (s: string) => void,
): { points: ScalePoint[]; sharded: (ScalePoint & { identicalToOneWorker: boolean }) | null } {
  const sizes = opts.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const points = sizes.map((accounts) => {
    log(`  ${accounts} accounts x 90 days, 1 worker`);
    return scalePoint(accounts, 90, 1);
  });
  const biggest = points[points.length - 1]!;
  if (opts.workers <= 1) return { points, sharded: null };
  log(`  ${biggest.accounts} accounts x 90 days, ${opts.workers} workers`);
  const sharded = scalePoint(biggest.accounts, 90, opts.workers);
  return { points, sharded: { ...sharded, identicalToOneWorker: sharded.resultSha256 === biggest.resultSha256 } };
}

function perCpu(p: Record<string, number>): string {
  const n = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits });
  return `kernel ${n(p.kernelEvents!)}, end to end ${n(p.endToEndEvents!)} events/CPU-s, ratio ${n(p.ratio!, 3)}`;
}

function passes(e2e: unknown): string {
  return (e2e as EndToEnd).passesSeconds.map((x) => `${x.toFixed(2)} s`).join(', ');
}

/** The scaling series' point at the large scenario's size: the end-to-end run, cold, in a fresh process; null if not measured. */
function coldPoint(points: readonly ScalePoint[]): ScalePoint | null {
  const accounts = loadScenarioFile(LARGE_SCENARIO).accounts;
  return points.find((x) => x.accounts === accounts && x.workers === 1) ?? null;
}

function coldEventsPerSec(points: readonly ScalePoint[]): number | null {
  const p = coldPoint(points);
  return p === null ? null : p.events / p.seconds;
}

function coldRate(points: readonly ScalePoint[]): string {
  const p = coldPoint(points);
  return p === null
    ? 'not measured'
    : `${Math.round(p.events / p.seconds).toLocaleString('en-US')} events/s (${p.seconds.toFixed(2)} s, the scaling series' point)`;
}

function table(r: Record<string, unknown>): string {
  const n = (x: unknown, digits = 0): string => Number(x).toLocaleString('en-US', { maximumFractionDigits: digits });
  const m = r.machine as Record<string, unknown>;
  const rows: [string, string][] = [
    [
      'machine',
      `${String(m.cpuModel)}, ${String(m.cores)} cores, node ${String(m.node)}, load ${String(m.loadAverage1mAtStart)} -> ${String(m.loadAverage1mAtEnd)}`,
    ],
    ['bare kernel (hold)', `${n(r.kernelEventsPerSec)} events/s at ${n(r.holdPendingEvents)} pending`],
    [
      'end to end (target, large)',
      `${n(r.endToEndEventsPerSec)} events/s, ${n(r.accountDaysPerSec)} account-days/s (best of ${passes(r.endToEnd)})`,
    ],
    ['end to end, cold (fresh process)', coldRate(r.scaling as ScalePoint[])],
    ['ratio end to end / kernel', n(r.ratio, 3)],
    ['per CPU second', perCpu(r.perCpuSecond as Record<string, number>)],
    ['SimPy (hold)', `${n(r.simpyEventsPerSec)} events/s; billsim kernel is ${n(r.simpyRatio, 1)}x`],
    ['DuckDB append', `${n(r.duckdbRowsPerSec)} rows/s`],
    ['peak RSS (this process)', `${n(Number(r.peakRssBytes) / 2 ** 20)} MiB`],
  ];
  for (const p of r.scaling as ScalePoint[])
    rows.push([
      `scale ${n(p.accounts)} x ${p.days}d`,
      `${n(p.seconds, 2)} s (${n(p.cpuSeconds, 2)} CPU-s), ${n(p.events)} events, ${n(p.peakRssBytes / 2 ** 20)} MiB`,
    ]);
  rows.push(['slope log(time)/log(accounts)', `${n(r.slope, 3)} (CPU time: ${n(r.slopeCpu, 3)})`]);
  const s = r.sharded as (ScalePoint & { identicalToOneWorker: boolean }) | null;
  if (s !== null)
    rows.push([
      `sharded ${n(s.accounts)} on ${s.workers} workers`,
      `${n(s.seconds, 2)} s (${n(s.cpuSeconds, 2)} CPU-s), ${n(s.peakRssBytes / 2 ** 20)} MiB, identical to 1 worker: ${String(s.identicalToOneWorker)}`,
    ]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const log = (s: string): void => {
    process.stderr.write(`bench: ${s}\n`);
  };
  const result = await measure(opts, log);
  process.stdout.write(`${opts.json ? JSON.stringify(result) : table(result)}\n`);
}

await main();
