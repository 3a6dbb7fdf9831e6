/**
 * One replay measurement, in its own process so its peak memory and heap
 * limit are its own: `node --max-old-space-size=N dist/bench/replay-point.js
 * <stream>` replays and judges the stream under target (seed 1, as recorded)
 * as `billsim replay --json` does, and prints one JSON line.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { targetPolicies } from '../policies/sets.js';
import { replayJson } from '../sim/tools/replay/command.js';
import { plainReplayOptions } from '../sim/tools/replay/replay.js';
import { replayAndCheck } from '../sim/tools/replay/verdict.js';
import { cpuSecondsSince } from './points.js';
import { lifecycleSpec } from '../sim/tools/lifecycle/spec.js';

export interface ReplayPoint {
  readonly bytes: number;
  readonly events: number;
  readonly accounts: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  readonly heapLimitBytes: number;
  /** SHA-256 of what `billsim replay --json` prints: compare before and after a change. */
  readonly resultSha256: string;
}

async function main(): Promise<void> {
  const path = process.argv[2]!;
  const t0 = performance.now(),
    cpu0 = process.cpuUsage();
  const checked = await replayAndCheck(path, plainReplayOptions(targetPolicies(), lifecycleSpec()));
  const { outcome } = checked;
  const seconds = (performance.now() - t0) / 1000;
  const point: ReplayPoint = {
    bytes: statSync(path).size,
    events: outcome.events,
    accounts: outcome.accounts.length,
    seconds,
    cpuSeconds: cpuSecondsSince(cpu0),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    resultSha256: createHash('sha256').update(replayJson(checked, false)).digest('hex'),
  };
  process.stdout.write(`${JSON.stringify(point)}\n`);
}

await main();
