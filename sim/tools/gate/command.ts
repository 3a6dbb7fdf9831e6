/**
 * `billsim gate <scenario> --policies <set> (--thresholds <file> | --baseline <file>)`:
 * exit 0 when every metric holds, 1 when one fails or regressed, 2 on bad input.
 */
import type { Command } from 'commander';
import { checkDistinctOutputs, checkWritableFile, inputFiles, writeFileAtomic } from '../../lib/atomic-write.js';
import { EXIT_FAILED, InputError } from '../../lib/errors.js';
import { resolvePolicies } from '../policies/resolve.js';
import type { Io } from '../../lib/io.js';
import { resolveScenario } from '../scenario/load.js';
import { firstSeedOptions, seedsFromFlags } from '../compare/command.js';
import { metricNamed } from '../../../reports/metrics.js';
import { runSimulation } from '../../world/engine/run.js';
import type { Scenario } from '../../world/scenario/schema.js';
import { checkSameWorld, loadBaseline } from './baseline.js';
import { evaluateBaseline, evaluateThresholds, type GateCase, type GateReport, type Tolerance } from './evaluate.js';
import { formatGate, gateJson, gateJUnit, gateMarkdown } from './output.js';
import { loadThresholds } from './thresholds.js';
import { lifecycleSpec } from '../lifecycle/spec.js';

interface GateOptions {
  policies: string;
  thresholds?: string;
  baseline?: string;
  baselinePolicy?: string;
  tolerance: string[];
  seeds: string;
  seed?: string;
  seedBase?: string;
  markdown?: string;
  junit?: string;
  json?: boolean;
}

/** The Markdown and JUnit files can be written and are none of the inputs. */
function checkGateOutputs(scenarioSpec: string, opts: GateOptions): void {
  const outputs = [
    { flag: '--markdown', path: opts.markdown },
    { flag: '--junit', path: opts.junit },
  ];
  checkDistinctOutputs(
    outputs,
    inputFiles([
      { flag: '<scenario>', path: scenarioSpec },
      { flag: '--policies', path: opts.policies },
      { flag: '--thresholds', path: opts.thresholds },
      { flag: '--baseline', path: opts.baseline },
    ]),
  );
  for (const { path } of outputs) if (path !== undefined) checkWritableFile(path);
}

/** `--tolerance name=amount` or `name=percent%`. */
export function parseTolerance(text: string, into: Record<string, Tolerance> = {}): Record<string, Tolerance> {
  const match = /^([A-Za-z]+)=(\d+(?:\.\d+)?)(%?)$/.exec(text);
  if (match === null) throw new InputError(`--tolerance: "${text}" is not metric=amount or metric=percent%`);
  if (metricNamed(match[1]!) === undefined) throw new InputError(`--tolerance: unknown metric "${match[1]}"`);
  if (match[1]! in into) throw new InputError(`--tolerance: ${match[1]} given twice`);
  const relative = match[3] === '%';
  return { ...into, [match[1]!]: { amount: relative ? Number(match[2]) / 100 : Number(match[2]), relative } };
}

export function registerGateCommand(program: Command, io: Io): void {
  const [seed, seedBase] = firstSeedOptions();
  program
    .command('gate')
    .description('fail (exit 1) when a policy set breaks a threshold or regresses against a baseline, across seeds')
    .argument('<scenario>', 'scenario YAML file, or a built-in name (baseline)')
    .requiredOption('--policies <set>', 'the policy set under test: a built-in name or a policy file')
    .option('--thresholds <file>', 'YAML: thresholds: { metric: ["op number", ...] }')
    .option('--baseline <file>', 'a committed billsim compare --json or run --json output')
    .option(
      '--baseline-policy <name>',
      'which policy set of a compare baseline (default: the one named like --policies)',
    )
    .option(
      '--tolerance <metric=amount[%]>',
      'allowed worsening against the baseline (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--seeds <n>', 'number of seeds', '5')
    .addOption(seed)
    .addOption(seedBase)
    .option('--markdown <file>', 'also write a Markdown summary (e.g. for $GITHUB_STEP_SUMMARY)')
    .option('--junit <file>', 'also write JUnit XML, one test case per metric')
    .option('--json', 'stdout is one JSON object: the verdict, every metric per seed, its interval and its checks')
    .action(async (scenarioSpec: string, opts: GateOptions) => {
      if ((opts.thresholds === undefined) === (opts.baseline === undefined))
        throw new InputError('gate: give exactly one of --thresholds <file> and --baseline <file>');
      if (opts.thresholds !== undefined && (opts.tolerance.length > 0 || opts.baselinePolicy !== undefined)) {
        throw new InputError(
          `${opts.tolerance.length > 0 ? '--tolerance' : '--baseline-policy'}: applies only with --baseline, not --thresholds`,
        );
      }
      const scenario = resolveScenario(scenarioSpec);
      const seeds = seedsFromFlags(opts.seeds, opts, opts.baseline === undefined ? 1 : 2);
      const policies = await resolvePolicies(opts.policies);
      const judge = prepareJudge(opts, policies.name, scenario);
      checkGateOutputs(scenarioSpec, opts);
      io.err(`billsim gate ${scenarioSpec} --policies ${policies.name}  seeds=${seeds.join(',')}`);
      const runs = seeds.map((seed) => runSimulation(scenario, policies, seed, { lifecycle: lifecycleSpec() }));
      const cases = judge.evaluate(runs, seeds);
      const report: GateReport = {
        scenario: scenario.name,
        policies: policies.name,
        seeds,
        against: judge.against,
        cases,
        pass: cases.every((c) => c.pass),
      };
      io.out(opts.json === true ? gateJson(report) : formatGate(report));
      if (opts.markdown !== undefined) writeFileAtomic(opts.markdown, gateMarkdown(report));
      if (opts.junit !== undefined) writeFileAtomic(opts.junit, gateJUnit(report));
      if (!report.pass) process.exitCode = EXIT_FAILED;
    });
}

interface Judge {
  readonly against: string;
  evaluate(runs: Parameters<typeof evaluateThresholds>[1], seeds: readonly number[]): GateCase[];
}

/** Reads and checks the thresholds or baseline before anything runs, so bad input costs nothing. */
function prepareJudge(opts: GateOptions, policyName: string, scenario: Scenario): Judge {
  if (opts.thresholds !== undefined) {
    const conditions = loadThresholds(opts.thresholds);
    return { against: `thresholds ${opts.thresholds}`, evaluate: (runs) => evaluateThresholds(conditions, runs) };
  }
  const tolerances = opts.tolerance.reduce<Record<string, Tolerance>>((acc, t) => parseTolerance(t, acc), {});
  const baseline = loadBaseline(opts.baseline!, opts.baselinePolicy ?? policyName);
  checkSameWorld(baseline, scenario);
  return {
    against: `baseline ${opts.baseline} (${baseline.policy})`,
    evaluate: (runs, seeds) => evaluateBaseline(baseline, runs, seeds, tolerances),
  };
}
