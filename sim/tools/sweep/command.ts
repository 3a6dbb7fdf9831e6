/**
 * `billsim sweep <scenario> --policies <set> --vary path=v1,v2 … [--random K --random-seed S]
 *  [--seeds N] [--workers N] [--db file] [--resume] [--json]`
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_DB_PATH } from '../../../reports/store.js';
import type { Io } from '../../lib/io.js';
import { parseSeed, parseWholeNumber, parseWorkers, WORKERS_MAX } from '../../lib/args.js';
import { resolveScenario } from '../scenario/load.js';
import { firstSeedOptions, seedsFromFlags } from '../compare/command.js';
import { formatStat } from '../../../reports/comparison-text.js';
import { table as textTable } from '../../../reports/text.js';
import { sweepDocumentFor } from './document.js';
import { parseVary } from './grid.js';
import { runSweep, type SweepResult } from './sweep.js';
import { checkReachable } from '../../hosts/temporal/client.js';
import { lifecycleSpec } from '../lifecycle/spec.js';
import { POLICY_SET_HELP } from '../policies/resolve.js';

interface SweepFlags {
  policies: string;
  vary: string[];
  random?: string;
  randomSeed: string;
  seeds: string;
  seed?: string;
  seedBase?: string;
  workers?: string;
  db: string;
  resume?: boolean;
  json?: boolean;
  temporal?: string;
  taskQueue: string;
}

export function registerSweepCommand(program: Command, io: Io): void {
  const [seed, seedBase] = firstSeedOptions();
  program
    .command('sweep')
    .description(
      'run a policy set over a grid (or random sample) of its parameters on several seeds; Pareto front of revenue vs harm vs violations',
    )
    .argument('<scenario>', 'scenario YAML file, or a built-in name (baseline)')
    .requiredOption('--policies <set>', `the policy set whose parameters vary (${POLICY_SET_HELP})`)
    .requiredOption(
      '--vary <path=values>',
      'a parameter and its values, e.g. retry.attemptsPerPaymentMethodMax=4,8 (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--random <k>', 'random search: k distinct points of the grid instead of all of it')
    .option('--random-seed <s>', 'seed of the random search', '1')
    .option('--seeds <n>', 'seeds per point', '3')
    .addOption(seed)
    .addOption(seedBase)
    .option('--workers <n>', 'worker threads (default: available cores)')
    .option('--db <file>', 'DuckDB store for the runs and the sweep_points table', DEFAULT_DB_PATH)
    .option('--resume', 'continue an interrupted sweep from its store, skipping finished points')
    .option('--json', 'print exactly one JSON object on stdout')
    .option('--temporal <address>', 'run the points as activities on Temporal workers (billsim worker) at host:port')
    .option('--task-queue <name>', 'Temporal task queue of the workers', 'billsim')
    .action(async (scenarioSpec: string, opts: SweepFlags) => {
      const scenario = resolveScenario(scenarioSpec);
      const seeds = seedsFromFlags(opts.seeds, opts, 1);
      const varies = opts.vary.map(parseVary);
      const randomSeed = parseSeed(opts.randomSeed, '--random-seed');
      const random =
        opts.random === undefined
          ? undefined
          : { count: parseWholeNumber('--random', opts.random, 1, 100_000), seed: randomSeed };
      const workers =
        opts.workers === undefined ? Math.min(availableParallelism(), WORKERS_MAX) : parseWorkers(opts.workers);
      if (opts.temporal !== undefined) await checkReachable(opts.temporal);
      const spec = {
        scenario,
        base: sweepDocumentFor(opts.policies),
        varies,
        seeds,
        lifecycle: lifecycleSpec(),
        ...(random ? { random } : {}),
      };
      const result = await runSweep(spec, {
        workers,
        dbPath: opts.db,
        resume: opts.resume === true,
        log: io.err,
        ...(opts.temporal !== undefined ? { temporal: { address: opts.temporal, taskQueue: opts.taskQueue } } : {}),
      });
      io.out(opts.json ? JSON.stringify(result) : formatSweep(result));
    });
}

export function formatSweep(result: SweepResult): string {
  const front = new Set(result.paretoFront);
  const paths = Object.keys(result.points[0]?.params ?? {});
  const rows = result.points.map((p) => [
    String(p.index),
    ...paths.map((k) => JSON.stringify(p.params[k])),
    formatStat(p.means.revenueRecoveredCents! / 100),
    formatStat(p.means.customerHarmRestrictionDays!),
    formatStat(p.means.networkRuleViolations!),
    formatStat(p.means.recoveryRate!),
    front.has(p.index) ? '*' : '',
  ]);
  const head = [
    'point',
    ...paths,
    'revenue recovered',
    'harm (restriction-days)',
    'network violations',
    'recovery rate',
    'Pareto',
  ];
  return [
    `sweep ${result.sweepId} · ${result.scenario} · ${result.policies} · seeds ${result.seeds.join(', ')} · means over seeds`,
    '',
    textTable([head, ...rows]),
    '',
    `Pareto front (more revenue, less harm, fewer violations): points ${result.paretoFront.join(', ')}`,
    '',
  ].join('\n');
}
