/**
 * `billsim compare <scenario> --policies a,b[,…] --seeds N`: paired runs on
 * the same seeds, each KPI's and recovery figure's difference with its
 * confidence interval.
 */
import type { Command } from 'commander';
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

/** The seeds `--seeds N --seed-base S` name: S, S+1, …, S+N−1. */
export function seedsFromFlags(count: string, base: string, min = 2): number[] {
  const seeds = seedRange(parseSeedCount(count, min), parseSeed(base, '--seed-base'));
  if (seeds.at(-1)! > 0x7fffffff)
    throw new InputError(`--seed-base: ${base} + ${seeds.length} seeds passes 2147483647`);
  return seeds;
}

interface CompareOptions {
  policies: string;
  seeds: string;
  seedBase: string;
  json?: boolean;
  db?: string;
  report?: string;
}

export function registerCompareCommand(program: Command, io: Io): void {
  program
    .command('compare')
    .description('run policy sets on the same seeds and compare every KPI with a paired confidence interval')
    .argument('<scenario>', 'scenario YAML file, or a built-in name (baseline)')
    .requiredOption('--policies <a,b,...>', 'two or more policy sets (built-in names or policy files), comma-separated')
    .option('--seeds <n>', 'number of seeds (at least 2)', '5')
    .option('--seed-base <s>', 'first seed; the seeds are s, s+1, …', '1')
    .option('--json', 'print exactly one JSON object on stdout')
    .option('--db <file>', 'also store every run in this DuckDB file')
    .option('--report <file>', "also write an HTML report with the comparison (and the first seed's runs)")
    .action(async (scenarioSpec: string, opts: CompareOptions) => {
      const scenario = resolveScenario(scenarioSpec);
      const seeds = seedsFromFlags(opts.seeds, opts.seedBase);
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
