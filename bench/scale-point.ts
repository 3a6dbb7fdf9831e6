/**
 * One point of the scaling series, in its own process so its peak memory is
 * its own: `node dist/bench/scale-point.js <accounts> <days> <workers>` runs
 * scenarios/large.yaml resized, under target, seed 7, and prints one JSON line.
 */
import { createHash } from 'node:crypto';
import { BUILT_IN_DOCUMENTS, targetPolicies } from '../policies/sets.js';
import { lifecycleSpec } from '../sim/tools/lifecycle/spec.js';
import { jsonOf } from '../reports/text.js';
import { runSharded } from '../sim/tools/run/shards.js';
import { loadScenarioFile } from '../sim/tools/scenario/load.js';
import { cpuSecondsSince, LARGE_SCENARIO, type ScalePoint } from './points.js';

async function main(): Promise<void> {
  const [accounts, days, workers] = process.argv.slice(2).map(Number) as [number, number, number];
  const scenario = { ...loadScenarioFile(LARGE_SCENARIO), accounts, days };
  const t0 = performance.now(),
    cpu0 = process.cpuUsage();
  const result = await runSharded(
    scenario,
    { set: targetPolicies(), document: BUILT_IN_DOCUMENTS.target! },
    7,
    workers,
    lifecycleSpec(),
  );
  const seconds = (performance.now() - t0) / 1000;
  const point: ScalePoint = {
    accounts,
    days,
    workers,
    seconds,
    cpuSeconds: cpuSecondsSince(cpu0),
    events: result.events,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    resultSha256: createHash('sha256').update(jsonOf(result)).digest('hex'),
  };
  process.stdout.write(`${JSON.stringify(point)}\n`);
}

await main();
