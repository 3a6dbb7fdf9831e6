/**
 * `billsim calibrate <scenario> --observed <kpis.yaml> --policies <set>`.
 */
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { checkWritableFile, writeFileAtomic } from '../../lib/atomic-write.js';
import { schemaComment } from '../scenario/schema-comment.js';
import { InputError } from '../../lib/errors.js';
import { resolvePolicies } from '../policies/resolve.js';
import type { Io } from '../../lib/io.js';
import { parseSeed } from '../../lib/args.js';
import { resolveScenario } from '../scenario/load.js';
import { formatNumber } from '../../../reports/tables.js';
import { ACCOUNTS_MAX, calibrate, type CalibrationResult } from './calibrate.js';
import { observedBounds } from './bounds.js';
import { loadObservedFile } from './observed.js';
import { calibrateRecorded } from './recorded-command.js';

interface CalibrateFlags {
  observed: string;
  recorded?: string;
  bootstrap: string;
  policies: string;
  output?: string;
  seeds: string;
  seed: string;
  fitAccounts?: string;
  evaluations: string;
  json?: boolean;
}

function positiveInt(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max)
    throw new InputError(`${flag}: "${text}" is not an integer from 1 to ${max}`);
  return n;
}

export function registerCalibrateCommands(program: Command, io: Io): void {
  program
    .command('calibrate')
    .description('fit the scenario parameters the seeds leave open so a policy set reproduces observed KPIs')
    .argument('[scenario]', 'base scenario YAML file, or a built-in name (with --recorded: default baseline)')
    .option('--observed <file>', 'observed KPIs YAML: {kpis: {...}, drift: {...}, weights?: {...}}')
    .option(
      '--recorded <stream>',
      "fit the recovery model to a recorded Stripe stream's failures and recoveries instead",
    )
    .option('--bootstrap <n>', 'with --recorded: bootstrap resamples for the intervals', '40')
    .option('--policies <set>', 'policy set the observation was made under', 'legacy')
    .option('-o, --output <file>', 'write the calibrated scenario YAML here (atomically)')
    .option('--seeds <n>', 'seeds per point (common random numbers)', '3')
    .option('--seed <s>', 'first seed; the same seed gives the same fit', '1')
    .option('--fit-accounts <n>', "population simulated during the fit (default: the scenario's, at most 2000)")
    .option(
      '--evaluations <n>',
      'objective evaluation budget: the search stops at the first iteration that reaches it (so at least the fitted parameters + 1, one simplex)',
      '240',
    )
    .option('--json', 'print the result as one JSON object')
    .action(async (scenarioSpec: string | undefined, flags: CalibrateFlags) => {
      if (flags.recorded !== undefined)
        return calibrateRecorded(io, scenarioSpec, { ...flags, recorded: flags.recorded });
      if (scenarioSpec === undefined || flags.observed === undefined)
        throw new InputError('calibrate: give <scenario> --observed <file>, or --recorded <stream>');
      const base = resolveScenario(scenarioSpec);
      const observed = loadObservedFile(flags.observed);
      const policies = await resolvePolicies(flags.policies);
      if (flags.output !== undefined) checkWritableFile(flags.output);
      for (const bound of observedBounds(observed)) io.err(`calibrate: ${flags.observed}: ${bound.message}`);
      const fitAccounts =
        flags.fitAccounts === undefined
          ? Math.min(base.accounts, 2000)
          : positiveInt('--fit-accounts', flags.fitAccounts, ACCOUNTS_MAX);
      const result = calibrate(base, policies, observed, {
        seeds: positiveInt('--seeds', flags.seeds, 64),
        firstSeed: parseSeed(flags.seed),
        fitAccounts,
        evaluationsMax: positiveInt('--evaluations', flags.evaluations, 100_000),
      });
      if (flags.output !== undefined)
        writeFileAtomic(
          flags.output,
          schemaComment('scenario.schema.json', flags.output) + scenarioYaml(result, scenarioSpec, flags),
        );
      io.out(flags.json ? JSON.stringify(result) : formatCalibration(result));
    });
}

export function scenarioYaml(result: CalibrationResult, scenarioSpec: string, flags: CalibrateFlags): string {
  const header = [
    `# Calibrated by: billsim calibrate ${scenarioSpec} --observed ${flags.observed} --policies ${result.policies} --seeds ${result.seeds.length} --seed ${result.seeds[0]} --fit-accounts ${result.fitAccounts} --evaluations ${flags.evaluations}`,
    `# Fit at ${result.fitAccounts} accounts, scaled to ${result.accounts} (x${formatNumber(result.scale, 3)}); loss ${formatNumber(result.loss, 5)}, ${result.evaluations} evaluations${result.converged ? ', converged' : ''}.`,
    ...result.targets.map(
      (t) =>
        `#   ${t.name}: observed ${formatNumber(t.observed, 3)}, fitted ${formatNumber(t.fitted, 3)} (${formatNumber(t.residualPct, 1)} %)`,
    ),
  ];
  return `${header.join('\n')}\n${stringify(result.scenario)}`;
}

/** Targets weighted below the heaviest are secondary: the fit reports them, it does not promise them. */
function secondaryNote(targets: CalibrationResult['targets']): string[] {
  const heaviest = Math.max(...targets.map((t) => t.weight));
  const secondary = targets.filter((t) => t.weight < heaviest);
  if (secondary.length === 0) return [];
  const fits = secondary.map(
    (t) => `${t.name} ${formatNumber(t.residualPct, 1)} % (weight ${formatNumber(t.weight, 2)})`,
  );
  return [
    '',
    `secondary targets (weighted below ${formatNumber(heaviest, 2)}), reported, not matched: ${fits.join(', ')}`,
  ];
}

export function formatCalibration(r: CalibrationResult): string {
  const lines = [
    `calibrate --policies ${r.policies}  seeds=${r.seeds.join(',')}  hold-out seeds=${r.holdOutSeeds.join(',')}`,
    `fit population ${r.fitAccounts} accounts, scaled x${formatNumber(r.scale, 3)} → accounts = ${r.accounts}`,
    `loss ${formatNumber(r.loss, 5)} after ${r.evaluations} evaluations (${r.converged ? 'converged' : 'evaluation budget reached'})`,
    '',
    'fitted parameters:',
    ...r.parameters.map(
      (p) => `  ${p.name.padEnd(36)} ${formatNumber(p.start, 4).padStart(10)} → ${formatNumber(p.fitted, 4)}`,
    ),
    '',
    `  ${'target'.padEnd(40)} ${'observed'.padStart(10)} ${'fitted'.padStart(10)} ${'resid %'.padStart(8)} ${'seed cv %'.padStart(9)} ${'hold-out'.padStart(10)}`,
    ...r.targets.map(
      (t) =>
        `  ${t.name.padEnd(40)} ${formatNumber(t.observed, 3).padStart(10)} ${formatNumber(t.fitted, 3).padStart(10)} ` +
        `${formatNumber(t.residualPct, 1).padStart(8)} ${formatNumber(t.seedCvPct, 1).padStart(9)} ${formatNumber(t.holdOut, 3).padStart(10)}`,
    ),
    ...secondaryNote(r.targets),
    ...(r.observedBounds.length === 0
      ? []
      : ['', 'observed figures no run can match together:', ...r.observedBounds.map((b) => `  ${b.message}`)]),
  ];
  return lines.join('\n');
}
