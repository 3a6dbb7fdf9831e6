/**
 * `billsim whatif <stream> --policies <set|file> [--seeds N]`: a candidate
 * retry schedule on a recorded failure population, against what was
 * recorded, with paired intervals over seeds (sim/tools/whatif/whatif.ts).
 */
import type { Command } from 'commander';
import { DEFAULT_NETWORK_LIMITS } from '../../../policies/network-rules.js';
import { formatNumber } from '../../../reports/tables.js';
import { parseSeed } from '../../lib/args.js';
import { InputError } from '../../lib/errors.js';
import type { Io } from '../../lib/io.js';
import { pairedInterval, type MeanInterval } from '../../lib/stats/interval.js';
import { fitRecorded } from '../calibrate/recorded-command.js';
import { readRecordedFailures } from '../calibrate/recorded.js';
import { resolvePolicy } from '../policies/resolve.js';
import { resolveScenario } from '../scenario/load.js';
import { recordedSummary, totalsOf, whatIfRun, type WhatIfTotals } from './whatif.js';

interface WhatIfFlags {
  readonly policies: string;
  readonly seeds: string;
  readonly seed: string;
  readonly scenario?: string;
  readonly json?: boolean;
}

const FIGURES = ['recoveryRate', 'revenueRecoveredCents', 'retries', 'networkRuleViolations'] as const;

export interface WhatIfReport {
  readonly stream: string;
  readonly policies: string;
  readonly seeds: readonly number[];
  readonly failedPayments: number;
  readonly recorded: WhatIfTotals;
  readonly candidate: readonly WhatIfTotals[];
  /** Candidate minus recorded, paired per seed (95 % t interval). */
  readonly differences: Readonly<Record<(typeof FIGURES)[number], MeanInterval>>;
  /** Restriction-days need the platform's ladder, which this offline replay does not run. */
  readonly customerHarmRestrictionDays: null;
}

export async function whatIf(streamPath: string, flags: WhatIfFlags): Promise<WhatIfReport> {
  const seedsN = Number(flags.seeds);
  if (!/^\d+$/.test(flags.seeds) || seedsN < 2 || seedsN > 1000)
    throw new InputError(`--seeds: "${flags.seeds}" is not an integer from 2 to 1000`);
  const first = parseSeed(flags.seed);
  const seeds = Array.from({ length: seedsN }, (_, k) => first + k);
  const policy = await resolvePolicy(flags.policies);
  const recorded = await readRecordedFailures(streamPath);
  if (recorded.payments.length === 0) throw new InputError(`${streamPath}: no payment failed: nothing to replay`);
  const model =
    flags.scenario === undefined
      ? fitRecorded(resolveScenario('baseline'), recorded, streamPath, 20, first).scenario
      : resolveScenario(flags.scenario);
  const limits = policy.set.networkLimits ?? DEFAULT_NETWORK_LIMITS;
  const baseline = totalsOf(recorded.payments.map((p) => recordedSummary(p, limits)));
  const candidate = seeds.map((seed) =>
    whatIfRun(model, policy.set.retry, limits, recorded.payments, seed, recorded.lastChargeMs),
  );
  const differences = Object.fromEntries(
    FIGURES.map((f) => [
      f,
      pairedInterval(
        seeds.map(() => baseline[f]),
        candidate.map((c) => c[f]),
      ),
    ]),
  ) as WhatIfReport['differences'];
  return {
    stream: streamPath,
    policies: policy.set.name,
    seeds,
    failedPayments: recorded.payments.length,
    recorded: baseline,
    candidate,
    differences,
    customerHarmRestrictionDays: null,
  };
}

export function formatWhatIf(r: WhatIfReport): string {
  const mean = (f: (typeof FIGURES)[number]): number => r.candidate.reduce((n, c) => n + c[f], 0) / r.candidate.length;
  const shown = (f: (typeof FIGURES)[number], v: number): string =>
    f === 'recoveryRate'
      ? `${formatNumber(v * 100, 1)} %`
      : f === 'revenueRecoveredCents'
        ? formatNumber(v / 100, 2)
        : formatNumber(v, 1);
  const rows = FIGURES.map((f) => {
    const d = r.differences[f];
    return `  ${f.padEnd(24)} ${shown(f, r.recorded[f]).padStart(12)} ${shown(f, mean(f)).padStart(12)}   [${shown(f, d.ciLow)}, ${shown(f, d.ciHigh)}]`;
  });
  const drawn = r.candidate.reduce((n, c) => n + c.recordedOutcomeShare, 0) / r.candidate.length;
  return [
    `whatif ${r.stream} --policies ${r.policies}  seeds=${r.seeds.join(',')}  ${r.failedPayments} failed payments`,
    `  ${'figure'.padEnd(24)} ${'recorded'.padStart(12)} ${'candidate'.padStart(12)}   candidate − recorded, 95 % paired interval`,
    ...rows,
    `  customer harm (restriction-days): n/a (needs the platform's ladder; this replay runs the retry schedule only)`,
    `  ${formatNumber(drawn * 100, 1)} % of the candidate's attempts kept a recorded outcome; the rest were drawn from the fitted model`,
  ].join('\n');
}

export function registerWhatIfCommand(program: Command, io: Io): void {
  program
    .command('whatif')
    .description("a candidate retry schedule on a recorded stream's failures, against what was recorded")
    .argument('<stream>', 'recorded Stripe events (a file or a directory, as billsim replay reads)')
    .requiredOption('--policies <set>', 'the candidate: a built-in set or a policy file (its retry schedule runs)')
    .option('--seeds <n>', 'seeds (common random numbers for the outcomes the recording lacks)', '5')
    .option('--seed <s>', 'first seed', '1')
    .option(
      '--scenario <file>',
      'the recovery model to draw from (default: fitted to the stream, as calibrate --recorded)',
    )
    .option('--json', 'print the result as one JSON object')
    .action(async (stream: string, flags: WhatIfFlags) => {
      const report = await whatIf(stream, flags);
      io.out(flags.json === true ? JSON.stringify(report) : formatWhatIf(report));
    });
}
