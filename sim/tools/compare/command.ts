/**
 * `billsim compare <scenario> --policies a,b[,…] --seeds N`: paired runs on
 * the same seeds, each KPI's and recovery figure's difference with its
 * confidence interval.
 */
import { Option, type Command } from 'commander';
import { renderReport } from '../../../reports/html.js';
import { checkWritableFile, writeFileAtomic } from '../../lib/atomic-write.js';
import { InputError } from '../../lib/errors.js';
import { checkOutputs, persistRuns } from '../../../reports/persist.js';
import { resolvePolicyList } from '../policies/resolve.js';
import type { Io } from '../../lib/io.js';
import { parseSeed, parseWholeNumber } from '../../lib/args.js';
import { resolveScenario } from '../scenario/load.js';
import { comparePolicies, seedRange, type CompareResult } from './compare.js';
import { formatComparison } from '../../../reports/comparison-text.js';

export const SEEDS_MAX = 1000;

/** `--seeds N`: how many seeds, at least `min`. */
export function parseSeedCount(text: string, min = 2): number {
  return parseWholeNumber('--seeds', text, min, SEEDS_MAX);
}

/** The first-seed flags of a multi-seed command: `--seed S` (as every command says it) or its older name `--seed-base S`. */
export interface FirstSeedFlags {
  seed?: string;
  seedBase?: string;
}

/** `--seed <s>`, the first seed (default 1), and its hidden older name `--seed-base <s>`: add both. */
export function firstSeedOptions(): [Option, Option] {
  return [
    new Option('--seed <s>', 'first seed; the seeds are s, s+1, … (default: 1)'),
    new Option('--seed-base <s>', 'the older name of --seed').hideHelp(),
  ];
}

/** The seeds `--seeds N --seed S` name: S, S+1, …, S+N−1. */
export function seedsFromFlags(count: string, flags: FirstSeedFlags, min = 2): number[] {
  if (flags.seed !== undefined && flags.seedBase !== undefined)
    throw new InputError('--seed-base: the older name of --seed; give one of them');
  const [flag, base] = flags.seedBase !== undefined ? ['--seed-base', flags.seedBase] : ['--seed', flags.seed ?? '1'];
  const seeds = seedRange(parseSeedCount(count, min), parseSeed(base, flag));
  if (seeds.at(-1)! > 0x7fffffff) throw new InputError(`${flag}: ${base} + ${seeds.length} seeds passes 2147483647`);
  return seeds;
}

interface CompareOptions extends FirstSeedFlags {
  policies: string;
  seeds: string;
  json?: boolean;
  db?: string;
  report?: string;
}

export function registerCompareCommand(program: Command, io: Io): void {
  const [seed, seedBase] = firstSeedOptions();
  program
    .command('compare')
    .description('run policy sets on the same seeds and compare every KPI with a paired confidence interval')
    .argument('<scenario>', 'scenario YAML file, or a built-in name (baseline)')
    .requiredOption('--policies <a,b,...>', 'two or more policy sets (built-in names or policy files), comma-separated')
    .option('--seeds <n>', 'number of seeds (at least 2)', '5')
    .addOption(seed)
    .addOption(seedBase)
    .option('--json', 'print exactly one JSON object on stdout')
    .option('--db <file>', 'also store every run in this DuckDB file')
    .option('--report <file>', "also write an HTML report with the comparison (and the first seed's runs)")
    .action(async (scenarioSpec: string, opts: CompareOptions) => {
      const scenario = resolveScenario(scenarioSpec);
      const seeds = seedsFromFlags(opts.seeds, opts);
      const sets = await resolvePolicyList('--policies', opts.policies, 2);
      if (opts.db !== undefined) await checkOutputs({ dbPath: opts.db });
      if (opts.report !== undefined) checkWritableFile(opts.report);
      io.err(
        `billsim compare ${scenarioSpec} --policies ${sets.map((s) => s.name).join(',')}  seeds=${seeds.join(',')}`,
      );
      const { result, runs } = comparePolicies(scenario, sets, seeds);
      io.out(opts.json ? JSON.stringify(result) : formatComparison(result));
      if (opts.db !== undefined) await persistRuns(runs, { dbPath: opts.db }, io);
      if (opts.report !== undefined)
        writeComparisonReport(
          opts.report,
          result,
          runs.filter((r) => r.seed === seeds[0]),
          opts.json ? io.err : io.out,
        );
    });
}

function writeComparisonReport(
  path: string,
  result: CompareResult,
  firstSeedRuns: Parameters<typeof renderReport>[0],
  log: (line: string) => void,
): void {
  const labels = result.policies.map((p) => `${p} seed ${result.seeds[0]}`);
  writeFileAtomic(
    path,
    renderReport(firstSeedRuns, {
      labels,
      comparison: result,
      title: `billsim compare: ${result.policies.join(' vs ')}`,
    }),
  );
  log(`report: ${path}`);
}
