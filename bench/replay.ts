/**
 * `npm run bench:replay [-- --accounts N] [-- --days N] [-- --heap-mb N] [-- --stream file] [-- --keep] [-- --json]`:
 * the scale figure of docs/replay.md. Exports a target run (default 48,000
 * accounts x 90 days, about 1 GB of JSONL) to a temporary directory, then
 * replays it in a child process under `--max-old-space-size` (default 256 MB)
 * and prints size, events, seconds, MB/s and peak RSS. `--stream` replays an
 * existing file instead of exporting one. Timing lives here, never in tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplayPoint } from './replay-point.js';

interface Options {
  readonly accounts: number;
  readonly days: number;
  readonly heapMb: number;
  readonly stream: string | null;
  readonly keep: boolean;
  readonly json: boolean;
}

function valueOf(argv: readonly string[], flag: string): string | undefined {
  const at = argv.indexOf(flag);
  return at >= 0 ? argv[at + 1] : undefined;
}

function positive(argv: readonly string[], flag: string, fallback: number): number {
  const text = valueOf(argv, flag);
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer, got ${String(text)}`);
  return n;
}

function parseOptions(argv: readonly string[]): Options {
  return {
    accounts: positive(argv, '--accounts', 48_000),
    days: positive(argv, '--days', 90),
    heapMb: positive(argv, '--heap-mb', 256),
    stream: valueOf(argv, '--stream') ?? null,
    keep: argv.includes('--keep'),
    json: argv.includes('--json'),
  };
}

/** Exports a target run of the given size as a stream; returns its path and how long the export took. */
function exportStream(dir: string, opts: Options): { path: string; seconds: number } {
  const scenario = join(dir, 'replay-bench.yaml'),
    path = join(dir, 'replay-bench.jsonl');
  writeFileSync(scenario, `name: replay-bench\naccounts: ${opts.accounts}\ndays: ${opts.days}\n`);
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    ['bin/billsim.js', 'run', scenario, '--policies', 'target', '--seed', '7', '--export-events', path],
    { stdio: 'ignore' },
  );
  return { path, seconds: (performance.now() - t0) / 1000 };
}

function replayPoint(path: string, heapMb: number): ReplayPoint {
  try {
    const out = execFileSync(process.execPath, [`--max-old-space-size=${heapMb}`, 'dist/bench/replay-point.js', path], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out) as ReplayPoint;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    const why = stderr.includes('heap out of memory') ? 'ran out of memory' : 'failed';
    throw new Error(`the replay ${why} under --max-old-space-size=${heapMb}${why === 'failed' ? `:\n${stderr}` : ''}`, {
      cause: error,
    });
  }
}

function table(r: Record<string, unknown>, p: ReplayPoint): string {
  const n = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits });
  const mb = (bytes: number): string => n(bytes / 2 ** 20);
  const m = r.machine as Record<string, unknown>;
  const rows: [string, string][] = [
    [
      'machine',
      `${String(m.cpuModel)}, ${String(m.cores)} cores, node ${String(m.node)}, load ${String(m.loadAverage1mAtStart)} -> ${String(m.loadAverage1mAtEnd)}`,
    ],
    ['stream', `${String(r.stream)}: ${mb(p.bytes)} MiB, ${n(p.events)} events, ${n(p.accounts)} accounts`],
    [
      'replay (target)',
      `${n(p.seconds, 1)} s (${n(p.cpuSeconds, 1)} CPU-s), ${n(p.bytes / 2 ** 20 / p.seconds, 1)} MiB/s, ${n(p.events / p.seconds)} events/s`,
    ],
    [
      'memory',
      `peak RSS ${mb(p.peakRssBytes)} MiB under a ${mb(p.heapLimitBytes)} MiB heap limit (--max-old-space-size=${String(r.heapMb)})`,
    ],
    ['result sha256', p.resultSha256],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

function main(): void {
  const opts = parseOptions(process.argv.slice(2));
  const log = (s: string): void => {
    process.stderr.write(`bench: ${s}\n`);
  };
  const dir = mkdtempSync(join(tmpdir(), 'billsim-replay-bench-'));
  try {
    const machine = {
      cpuModel: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      loadAverage1mAtStart: Number(loadavg()[0]!.toFixed(2)),
    };
    let path = opts.stream,
      exportSeconds: number | null = null;
    if (path === null) {
      log(`exporting a target run, ${opts.accounts} accounts x ${opts.days} days, to ${dir}`);
      ({ path, seconds: exportSeconds } = exportStream(dir, opts));
    }
    log(`replaying ${path} under --max-old-space-size=${opts.heapMb}`);
    const point = replayPoint(path, opts.heapMb);
    const result = {
      machine: { ...machine, loadAverage1mAtEnd: Number(loadavg()[0]!.toFixed(2)) },
      stream: path,
      exportSeconds,
      heapMb: opts.heapMb,
      ...point,
    };
    process.stdout.write(`${opts.json ? JSON.stringify(result) : table(result, point)}\n`);
  } finally {
    if (opts.keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main();
