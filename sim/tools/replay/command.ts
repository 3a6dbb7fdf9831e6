/**
 * `billsim replay` and `billsim redact`.
 */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { checkOutputs, persistRuns } from '../../../reports/persist.js';
import { InputError } from '../../lib/errors.js';
import { formatHeader, formatResult } from '../../../reports/text.js';
import { POLICY_SET_HELP, resolvePolicies } from '../policies/resolve.js';
import type { Io } from '../../lib/io.js';
import { parseSeed } from '../../lib/args.js';
import { replayFilesOf } from './format.js';
import { parsePerturb } from './perturb.js';
import { pseudonym } from './pii.js';
import { DEFAULT_REDACT_KEY, redactFile } from './redact.js';
import type { FinalAccount } from './replay.js';
import { NOT_JUDGED_IN_REPLAY, replayAndCheck, type CheckedReplay } from './verdict.js';
import { lifecycleSpec } from '../lifecycle/spec.js';
import { parseAt, timelineLines } from './timeline.js';

interface ReplayCliOptions {
  db?: string;
  report?: string;
  policies: string;
  perturb?: string;
  seed: string;
  settleDays?: string;
  json?: boolean;
  skipBad?: boolean;
  keepPii?: boolean;
  checkOrder?: boolean;
  at: string[];
  timeline?: boolean;
}

function redactKey(): string {
  return process.env.BILLSIM_REDACT_KEY ?? DEFAULT_REDACT_KEY;
}

function parseSettleDays(text: string | undefined): number | null {
  if (text === undefined) return null;
  const days = Number(text);
  if (!(days > 0 && days <= 60)) throw new InputError(`--settle-days: "${text}" is not a number of days from 0 to 60`);
  return Math.round(days * 86_400_000);
}

/** A progress bar on stderr, only for a terminal. */
function progressBar(path: string, enabled: boolean): ((bytes: number) => void) | undefined {
  if (!enabled) return undefined;
  const totalBytes = 2 * replayFilesOf(path).reduce((sum, f) => sum + statSync(f).size, 0);
  let doneBytes = 0,
    shownPercent = -1;
  return (bytes) => {
    doneBytes += bytes;
    const percent = Math.min(100, Math.floor((doneBytes * 100) / Math.max(1, totalBytes)));
    if (percent === shownPercent) return;
    shownPercent = percent;
    const filled = Math.round(percent / 4);
    process.stderr.write(
      `\rreplay [${'#'.repeat(filled)}${'.'.repeat(25 - filled)}] ${percent}%${percent === 100 ? '\n' : ''}`,
    );
  };
}

function redactAccount(a: FinalAccount, keepPii: boolean): FinalAccount {
  if (keepPii) return a;
  const key = redactKey();
  return {
    ...a,
    email: a.email === null ? null : pseudonym(key, 'email', a.email),
    name: a.name === null ? null : pseudonym(key, 'name', a.name),
  };
}

export function replayJson({ outcome, invariants }: CheckedReplay, keepPii: boolean): string {
  const { invoices: _invoices, daily: _daily, ...result } = outcome.result;
  return JSON.stringify({
    ...result,
    accounts: outcome.accounts.map((a) => redactAccount(a, keepPii)),
    ignoredEventTypes: outcome.ignoredEventTypes,
    skippedLines: outcome.skippedLines,
    unlinked: outcome.unlinked,
    timeline: outcome.timeline,
    commandsNotExecuted: outcome.commandsNotExecuted,
    endMs: outcome.endMs,
    invariants: invariants.map((i) => ({
      ...i,
      customer: i.account === null ? null : (outcome.accounts[i.account]?.customer ?? null),
    })),
  });
}

/** The invariants a replay broke, one line each, naming the first account (its customer id). */
function invariantLines({ outcome, invariants }: CheckedReplay): string[] {
  const named = outcome.header?.invariant;
  const verifyCommand = outcome.header?.verifyCommand;
  const unjudged =
    typeof named === 'string' && NOT_JUDGED_IN_REPLAY.includes(named)
      ? [
          `${named} (this counterexample's invariant) is not judged in a replay${typeof verifyCommand === 'string' ? `: reproduce it with ${verifyCommand}` : ''}`,
        ]
      : [];
  return [...unjudged, ...judgedLines(outcome, invariants)];
}

function judgedLines(outcome: CheckedReplay['outcome'], invariants: CheckedReplay['invariants']): string[] {
  const failed = invariants.filter((i) => i.status === 'failed');
  if (failed.length === 0) return [`invariants: all ${invariants.length} hold`];
  return [
    `invariants: ${failed.length} of ${invariants.length} FAILED`,
    ...failed.map(
      (i) =>
        `FAILED  ${i.class.padEnd(11)} ${i.name}  ${outcome.accounts[i.account!]?.customer ?? ''}: ${i.detail ?? ''}`,
    ),
  ];
}

/** What could not be linked; the warning, if any, first and loud. */
function unlinkedLines(u: CheckedReplay['outcome']['unlinked']): string[] {
  const noCustomer = Object.entries(u.eventsWithoutCustomer).map(([type, n]) => `  ${type}: ${n}`);
  return [
    ...(u.warning === null ? [] : [u.warning]),
    `failed invoices: ${u.failedInvoices}, with no charge, payment intent or invoice payment linked: ${u.failedInvoicesWithoutAttempts}`,
    `events with no customer (none named, even through the invoice):${noCustomer.length === 0 ? ' none' : ''}`,
    ...noCustomer,
  ];
}

function replayText(checked: CheckedReplay): string {
  const { outcome } = checked;
  const ignored = Object.entries(outcome.ignoredEventTypes).map(([type, n]) => `  ${type}: ${n}`);
  const c = outcome.commandsNotExecuted;
  return [
    formatResult(outcome.result),
    `ignored event types:${ignored.length === 0 ? ' none' : ''}`,
    ...ignored,
    `skipped bad lines: ${outcome.skippedLines}`,
    ...unlinkedLines(outcome.unlinked),
    `provider commands decided, not carried out (the recording has the provider's own): write-offs ${c.writeOffs}, cancellations ${c.cancellations}`,
    ...timelineLines(outcome.timeline),
    ...invariantLines(checked),
    '',
  ].join('\n');
}

export function registerReplayCommands(program: Command, io: Io): void {
  registerReplayCommand(program, io);
  registerRedactCommand(program, io);
}

function registerReplayCommand(program: Command, io: Io): void {
  program
    .command('replay')
    .description(
      'replay a recorded Stripe event stream through a policy set, print the KPIs and the invariants it broke; exit 0 all hold, 1 safety/convergence failed, 3 liveness failed',
    )
    .argument('<stream>', 'JSONL of Stripe events (or a JSON array, a list object, a directory of such files)')
    .option('--policies <set>', POLICY_SET_HELP, 'target')
    .option(
      '--perturb <spec>',
      're-deliver badly: late=P:MAXDELAY,dup=P,reorder=P,drop=P (creation times never change)',
    )
    .option('--seed <n>', 'seed for --perturb', '1')
    .option('--settle-days <n>', "settle window after the latest created (default: the header's, else 5)")
    .option('--json', 'print exactly one JSON object on stdout')
    .option('--skip-bad', 'count and skip bad lines instead of stopping with exit 2')
    .option('--keep-pii', 'do not redact emails and names in the output')
    .option(
      '--check-order',
      'also replay the events once each in creation order: the final stores must match (orderIndependent); on by default for a counterexample of an order invariant',
    )
    .option(
      '--at <date>',
      "each customer's state at this date (its end, UTC) or date-time; repeatable",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--timeline', "each customer's state at the end of every day of the replay")
    .option('--db <file>', 'also store the replay as a run in this DuckDB file (no personal data is stored)')
    .option('--report <file>', 'also write a self-contained HTML report')
    .action((path: string, opts: ReplayCliOptions) => replayCommand(path, opts, io));
}

function registerRedactCommand(program: Command, io: Io): void {
  program
    .command('redact')
    .description(
      'replace emails, names, addresses, phone numbers and card fingerprints in a recorded stream with stable pseudonyms',
    )
    .argument('<in>', 'recorded stream (JSONL, JSON array, list object or directory)')
    .argument('<out>', 'redacted JSONL file (written atomically)')
    .action(async (inPath: string, outPath: string) => {
      if (!existsSync(inPath)) throw new InputError(`${inPath}: no such file or directory`);
      const events = await redactFile(inPath, outPath, redactKey());
      io.err(`redacted ${events} events into ${outPath}`);
    });
}

function samplesOf(opts: ReplayCliOptions): { samples?: readonly number[] | 'daily' } {
  if (opts.timeline === true) {
    if (opts.at.length > 0) throw new InputError('--at and --timeline: give one or the other');
    return { samples: 'daily' };
  }
  return opts.at.length === 0 ? {} : { samples: opts.at.map(parseAt) };
}

async function replayCommand(path: string, opts: ReplayCliOptions, io: Io): Promise<void> {
  if (!existsSync(path)) throw new InputError(`${path}: no such file or directory`);
  const seed = parseSeed(opts.seed);
  const policies = await resolvePolicies(opts.policies);
  const perturb = opts.perturb === undefined ? null : parsePerturb(opts.perturb);
  const settleMs = parseSettleDays(opts.settleDays);
  const persist = opts.db !== undefined || opts.report !== undefined;
  if (persist) await checkOutputs({ dbPath: opts.db, reportPath: opts.report, inputs: [{ flag: '<stream>', path }] });
  const onBytes = progressBar(path, process.stderr.isTTY === true && opts.json !== true);
  const options = {
    policies,
    lifecycle: lifecycleSpec(),
    seed,
    perturb,
    skipBad: opts.skipBad === true,
    settleMs,
    ...samplesOf(opts),
    ...(onBytes ? { onBytes } : {}),
  };
  const checked = await replayAndCheck(path, options, opts.checkOrder === true ? true : 'auto');
  const { outcome } = checked;
  const header = formatHeader(
    `replay ${path} --policies ${policies.name}${opts.perturb ? ` --perturb ${opts.perturb}` : ''}`,
    seed,
    outcome.result.parameters,
  );
  (opts.json ? io.err : io.out)(header);
  if (opts.json && outcome.unlinked.warning !== null) io.err(outcome.unlinked.warning);
  io.out(opts.json ? replayJson(checked, opts.keepPii === true) : replayText(checked));
  if (persist) await persistRuns([outcome.result], { dbPath: opts.db, reportPath: opts.report }, io);
  process.exitCode = checked.exitCode;
}
