/**
 * `billsim run` and `billsim demo`.
 */
import type { Command } from 'commander';
import type { PolicySet } from '../../../policies/sets.js';
import { runSimulation } from '../../world/engine/run.js';
import { runSharded, runShardedOnTemporal } from './shards.js';
import { checkReachable, DEFAULT_TASK_QUEUE } from '../../hosts/temporal/client.js';
import type { RunResult } from '../../world/result.js';
import { resolveScenario } from '../scenario/load.js';
import type { Scenario } from '../../world/scenario/schema.js';
import { InputError } from '../../lib/errors.js';
import type { Io } from '../../lib/io.js';
import { parseSeed, parseWorkers } from '../../lib/args.js';
import { formatHeader, formatResult, jsonOf } from '../../../reports/text.js';
import { POLICY_SET_HELP, resolvePolicies, resolvePolicy, type ResolvedPolicy } from '../policies/resolve.js';
import { checkOutputs, persistRuns } from '../../../reports/persist.js';
import { checkDistinctOutputs, checkWritableFile, inputFiles } from '../../lib/atomic-write.js';
import { progressBar } from '../../lib/progress.js';
import { EventLog } from '../../world/engine/event-log.js';
import { parametersOf } from '../../world/engine/run.js';
import { runAndExport } from '../replay/export.js';
import { checkDeterminism } from '../verify/determinism.js';
import { EXIT_FAILED } from '../../lib/errors.js';
import { lifecycleSpec } from '../lifecycle/spec.js';

interface RunOptions {
  workers: string;
  seed: string;
  policies: string;
  json?: boolean;
  db?: string;
  report?: string;
  dbEvents?: boolean;
  parquet?: string;
  exportEvents?: string;
  checkDeterminism?: boolean;
  temporal?: string;
  taskQueue: string;
}

/**
 * One worker: in this thread, with progress, the optional event log and event export.
 * More: sharded across worker threads (same result).
 */
async function simulate(
  scenario: Scenario,
  resolved: ResolvedPolicy,
  opts: RunOptions,
  seed: number,
  workers: number,
  command: string,
): Promise<{ result: RunResult; eventLog?: EventLog }> {
  if (opts.temporal !== undefined) {
    const target = { address: opts.temporal, taskQueue: opts.taskQueue };
    return { result: await runShardedOnTemporal(scenario, resolved, seed, workers, lifecycleSpec(), target) };
  }
  if (workers > 1) return { result: await runSharded(scenario, resolved, seed, workers, lifecycleSpec()) };
  const policies = resolved.set;
  const eventLog = opts.dbEvents ? new EventLog(scenario.limits.eventsMax) : undefined;
  const progress = progressBar(!opts.json, `${scenario.name}/${policies.name}`);
  const runOptions = { onProgress: progress.tick, eventLog, lifecycle: lifecycleSpec() };
  const result =
    opts.exportEvents === undefined
      ? runSimulation(scenario, policies, seed, runOptions)
      : runAndExport(scenario, policies, seed, { path: opts.exportEvents, command }, runOptions);
  progress.done();
  return { result, eventLog };
}

export function registerRunCommands(program: Command, io: Io): void {
  registerRunCommand(program, io);
  registerDemoCommand(program, io);
}

function registerRunCommand(program: Command, io: Io): void {
  program
    .command('run')
    .description('simulate a scenario under a policy set and print the KPIs')
    .argument('<scenario>', 'scenario YAML file, or a built-in name (baseline)')
    .option('--seed <n>', 'seed; the same seed reproduces the run byte for byte', '1')
    .option('--policies <set>', POLICY_SET_HELP, 'target')
    .option('--json', 'print exactly one JSON object on stdout (logs go to stderr)')
    .option('--workers <n>', 'worker threads, accounts sharded across them; output identical to 1', '1')
    .option('--db <file>', 'also store the run in this DuckDB file')
    .option('--report <file>', 'also write a self-contained HTML report')
    .option('--db-events', 'also store every kernel event in the `events` table (large)')
    .option('--parquet <dir>', 'also export the store as Parquet files into this folder')
    .option(
      '--export-events <file>',
      'also write the run as a Stripe event stream (JSONL, delivery order) that billsim replay reads',
    )
    .option(
      '--check-determinism',
      'run twice and compare the event-log hash and the final-state hash (exit 1 if they differ)',
    )
    .option(
      '--temporal <address>',
      'run the shards (as many as --workers) as activities on Temporal workers (billsim worker) at host:port',
    )
    .option('--task-queue <name>', 'Temporal task queue of the workers', DEFAULT_TASK_QUEUE)
    .action((scenarioSpec: string, opts: RunOptions) => runCommand(scenarioSpec, opts, io));
}

function registerDemoCommand(program: Command, io: Io): void {
  program
    .command('demo')
    .description('run the built-in baseline under legacy and target, store both, and write a report')
    .option('--seed <n>', 'seed', '7')
    .option('--db <file>', 'DuckDB file for the runs', '.billsim/runs.duckdb')
    .option('-o, --output <file>', 'HTML report path', '.billsim/demo-report.html')
    .action(async (opts: { seed: string; db: string; output: string }) => {
      const seed = parseSeed(opts.seed);
      const scenario = resolveScenario('baseline');
      await checkOutputs({ dbPath: opts.db, reportPath: opts.output });
      const results: RunResult[] = [];
      for (const name of ['legacy', 'target']) {
        const policies = await resolvePolicies(name);
        io.out(formatHeader(`demo --policies ${name}`, seed, parametersOf(scenario, policies)));
        const progress = progressBar(true, `baseline/${name}`);
        const result = runSimulation(scenario, policies, seed, {
          onProgress: progress.tick,
          lifecycle: lifecycleSpec(),
        });
        progress.done();
        io.out(formatResult(result));
        results.push(result);
      }
      await persistRuns(results, { dbPath: opts.db, reportPath: opts.output }, io);
    });
}

function determinism(scenario: Scenario, policies: PolicySet, seed: number, io: Io): void {
  const { first, second, same } = checkDeterminism(scenario, policies, seed);
  io.out(
    `run 1: ${first.events} events  event-log hash ${first.eventLogHash}  final-state hash ${first.finalStateHash}`,
  );
  io.out(
    `run 2: ${second.events} events  event-log hash ${second.eventLogHash}  final-state hash ${second.finalStateHash}`,
  );
  io.out(same ? 'deterministic: both runs match' : 'NOT deterministic: the runs differ');
  if (!same) process.exitCode = EXIT_FAILED;
}

async function runCommand(scenarioSpec: string, opts: RunOptions, io: Io): Promise<void> {
  const scenario = resolveScenario(scenarioSpec);
  const seed = parseSeed(opts.seed);
  const workers = parseWorkers(opts.workers, scenario.accounts);
  const sharded = workers > 1 || opts.temporal !== undefined;
  if (sharded && (opts.dbEvents || opts.exportEvents !== undefined || opts.checkDeterminism)) {
    const needs = opts.temporal !== undefined ? 'no --temporal' : '--workers 1';
    throw new InputError(`${oneStreamFlag(opts)}: records one event stream, so it needs ${needs}`);
  }
  if (opts.temporal !== undefined) await checkReachable(opts.temporal);
  const resolved = await resolvePolicy(opts.policies);
  const policies = resolved.set;
  if (opts.checkDeterminism) return determinism(scenario, policies, seed, io);
  const inputs = inputFiles([
    { flag: '<scenario>', path: scenarioSpec },
    { flag: '--policies', path: opts.policies },
  ]);
  const exportEvents = [{ flag: '--export-events', path: opts.exportEvents }];
  const persistOptions = { dbPath: opts.db, reportPath: opts.report, parquetDir: opts.parquet, inputs };
  const persist = opts.db !== undefined || opts.report !== undefined || opts.dbEvents || opts.parquet !== undefined;
  if (persist) await checkOutputs({ ...persistOptions, otherOutputs: exportEvents });
  else checkDistinctOutputs(exportEvents, inputs);
  if (opts.exportEvents !== undefined) checkWritableFile(opts.exportEvents);
  const header = formatHeader(
    `run ${scenarioSpec} --policies ${policies.name}`,
    seed,
    parametersOf(scenario, policies),
  );
  (opts.json ? io.err : io.out)(header);
  const command = `billsim run ${scenarioSpec} --policies ${policies.name} --seed ${seed}`;
  const { result, eventLog } = await simulate(scenario, resolved, opts, seed, workers, command);
  io.out(opts.json ? jsonOf(result) : formatResult(result));
  if (persist) await persistRuns([result], { ...persistOptions, events: eventLog }, io);
}

/** The flag that asks for one recorded event stream. */
function oneStreamFlag(opts: RunOptions): string {
  if (opts.dbEvents) return '--db-events';
  return opts.exportEvents !== undefined ? '--export-events' : '--check-determinism';
}
