/**
 * `billsim calibrate --recorded <stream> [<scenario>]`: fits the recovery
 * model to a recorded stream's failures and recoveries, prints the fitted
 * parameters with their bootstrap intervals and the stream's Kaplan–Meier
 * recovery curves, and writes the base scenario with the fitted curves.
 */
import { stringify } from 'yaml';
import type { RecoveryCurves, InvoiceRow, RunResult } from '../../world/result.js';
import type { Scenario } from '../../world/scenario/schema.js';
import { recoveryCurvesOf } from '../../world/engine/recovery-curves.js';
import { recoveryCurvesText } from '../../../reports/text.js';
import { formatNumber } from '../../../reports/tables.js';
import { checkWritableFile, writeFileAtomic } from '../../lib/atomic-write.js';
import { InputError } from '../../lib/errors.js';
import type { Io } from '../../lib/io.js';
import { parseSeed } from '../../lib/args.js';
import { resolveScenario } from '../scenario/load.js';
import { FITTED, fitRecovery, retrySequencesOf, type ReasonFit } from './fit-recovery.js';
import { readRecordedFailures, type RecordedFailures } from './recorded.js';

export interface RecordedFlags {
  readonly recorded: string;
  readonly observed?: string;
  readonly output?: string;
  readonly seed: string;
  readonly bootstrap: string;
  readonly json?: boolean;
}

export interface RecordedFit {
  readonly stream: string;
  readonly seed: number;
  readonly bootstrap: number;
  readonly failedPayments: number;
  readonly charges: number;
  readonly endMs: number;
  readonly fits: readonly ReasonFit[];
  readonly recoveryCurves: RecoveryCurves;
  readonly scenario: Scenario;
}

export async function calibrateRecorded(io: Io, scenarioSpec: string | undefined, flags: RecordedFlags): Promise<void> {
  if (flags.observed !== undefined) throw new InputError('calibrate: --recorded and --observed are two fits; give one');
  const bootstrap = Number(flags.bootstrap);
  if (!/^\d+$/.test(flags.bootstrap) || bootstrap < 2 || bootstrap > 1000)
    throw new InputError(`--bootstrap: "${flags.bootstrap}" is not an integer from 2 to 1000`);
  const base = resolveScenario(scenarioSpec ?? 'baseline');
  if (flags.output !== undefined) checkWritableFile(flags.output);
  const recorded = await readRecordedFailures(flags.recorded);
  const fit = fitRecorded(base, recorded, flags.recorded, bootstrap, parseSeed(flags.seed));
  if (recorded.payments.length === 0) io.err(`calibrate: ${flags.recorded}: no payment failed: nothing to fit`);
  for (const f of fit.fits) if (f.warning !== null) io.err(`calibrate: ${flags.recorded}: ${f.warning}`);
  if (flags.output !== undefined) writeFileAtomic(flags.output, scenarioYaml(fit, scenarioSpec));
  io.out(flags.json === true ? JSON.stringify(fit) : formatRecordedFit(fit));
}

/** The fit of `recorded` over the base scenario: fitted reasons replace the base curves, the rest stay. */
export function fitRecorded(
  base: Scenario,
  recorded: RecordedFailures,
  stream: string,
  bootstrap: number,
  seed: number,
): RecordedFit {
  const fits = fitRecovery(base.recovery, retrySequencesOf(recorded.payments, base.recovery), bootstrap, seed);
  const fitted = Object.fromEntries(fits.filter((f) => f.fitted !== null).map((f) => [f.reason, f.fitted]));
  const scenario: Scenario = {
    ...base,
    recovery: { ...base.recovery, model: 'time-aware', reasons: { ...base.recovery.reasons, ...fitted } },
  };
  return {
    stream,
    seed,
    bootstrap,
    failedPayments: recorded.payments.length,
    charges: recorded.charges,
    endMs: recorded.endMs,
    fits,
    recoveryCurves: recoveryCurvesOf(invoiceRowsOf(recorded), recorded.endMs),
    scenario,
  };
}

/** The recorded payments as the invoice rows the recovery curves read. */
function invoiceRowsOf(recorded: RecordedFailures): InvoiceRow[] {
  return recorded.payments.map((p, k) => {
    const first = p.charges.find((c) => c.declineCode !== null)!;
    const paid = p.charges.find((c) => c.declineCode === null && c.atMs >= first.atMs);
    return {
      invoiceId: k,
      accountId: k,
      kind: 'renewal',
      amountCents: p.amountCents,
      status: paid === undefined ? 'open' : 'paid',
      createdAtMs: p.charges[0]!.atMs,
      firstFailedAtMs: first.atMs,
      paidAtMs: paid === undefined ? -1 : paid.atMs,
      attempts: p.charges.length,
      firstDeclineCode: first.declineCode,
    };
  });
}

function scenarioYaml(fit: RecordedFit, scenarioSpec: string | undefined): string {
  const header = [
    `# Calibrated by: billsim calibrate ${scenarioSpec ?? 'baseline'} --recorded ${fit.stream} --seed ${fit.seed} --bootstrap ${fit.bootstrap}`,
    `# Recovery curves fitted to ${fit.failedPayments} failed payments (${fit.charges} charges); see the command's output for the intervals.`,
    ...fit.fits.map((f) => `#   ${f.reason}: ${f.fitted === null ? (f.warning ?? 'not fitted') : fittedText(f)}`),
  ];
  return `${header.join('\n')}\n${stringify(fit.scenario)}`;
}

function fittedText(f: ReasonFit): string {
  return FITTED.map((name) => {
    const [lo, hi] = f.intervals![name];
    return `${name} ${formatNumber(f.fitted![name], 3)} [${formatNumber(lo, 3)}, ${formatNumber(hi, 3)}]`;
  }).join(', ');
}

export function formatRecordedFit(fit: RecordedFit): string {
  const lines = [
    `calibrate --recorded ${fit.stream}  seed=${fit.seed}  bootstrap=${fit.bootstrap}`,
    `${fit.failedPayments} failed payments, ${fit.charges} charges; unpaid at the stream's end are censored`,
    '',
    'fitted recovery curves (maximum likelihood on retries of the card that failed; 95 % bootstrap intervals):',
    ...fit.fits.map(
      (f) =>
        `  ${f.reason.padEnd(24)} ${String(f.payments).padStart(5)} payments  ${f.fitted === null ? 'n/a (too few to fit)' : fittedText(f)}`,
    ),
    '',
    recoveryCurvesText({ recoveryCurves: fit.recoveryCurves } as RunResult),
  ];
  return lines.join('\n');
}
