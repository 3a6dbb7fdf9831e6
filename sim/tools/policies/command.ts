/**
 * `billsim policies list | show | matrix | import-killbill`, and the policy
 * file loader behind `billsim run --policies my-policy.yaml`.
 */
import { checkDistinctOutputs, writeFileAtomic } from '../../lib/atomic-write.js';
import { schemaComment } from '../scenario/schema-comment.js';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { defaultsOf, LADDERS, RETRY_SCHEDULES } from '../../../policies/catalog.js';
import { DEFAULT_NETWORK_LIMITS } from '../../../policies/network-rules.js';
import { actionsOf } from '../../../policies/consequences/actions.js';
import type { ConsequenceLadder } from '../../../policies/consequences/ladder.js';
import { LIFECYCLE_STATES } from '../../../policies/lifecycle.js';
import { OUTCOME_MATRIX, PAYMENT_OUTCOME_KINDS } from '../../../policies/outcome-matrix.js';
import { BUILT_IN_SETS, type PolicySet } from '../../../policies/sets.js';
import { EXIT_FAILED, InputError } from '../../lib/errors.js';
import { flattenParameters } from '../../../reports/text.js';
import { resolvePolicy } from './resolve.js';
import { checkRules, checkRulesText } from './check-rules.js';
import { stringify } from 'yaml';
import type { Io } from '../../lib/io.js';

export function registerPolicyCommands(program: Command, io: Io): void {
  const policies = program
    .command('policies')
    .description("the policy designer's toolkit: list, show, compare pieces; import Kill Bill");
  policies
    .command('list')
    .description('built-in policy sets, retry schedules and ladders')
    .action(() => io.out(listText()));
  policies
    .command('show')
    .description('a set, schedule or ladder with its parameters (or a policy file)')
    .argument('<name>', 'legacy | target | a schedule | a ladder | a policy YAML file')
    .action(async (name: string) => io.out(await showText(name)));
  policies
    .command('matrix')
    .description('the payment outcome × lifecycle state matrix')
    .action(() => io.out(matrixText()));
  policies
    .command('check-rules')
    .description("the card-network rules a set's retry schedule breaks, each explained (exit 1 if any)")
    .argument('<set|file>', 'legacy | target | a policy YAML file')
    .action(async (spec: string) => {
      const { set } = await resolvePolicy(spec, 'check-rules');
      const violations = checkRules(set);
      io.out(checkRulesText(set.name, violations));
      if (violations.length > 0) process.exitCode = EXIT_FAILED;
    });
  policies
    .command('import-killbill')
    .description('convert a Kill Bill overdue.xml into a billsim policy file')
    .argument('<overdue.xml>', 'Kill Bill overdue configuration')
    .option('--retry-days <list>', 'Kill Bill org.killbill.payment.retry.days', '8,8,8')
    .requiredOption('-o, --output <file>', 'policy YAML to write')
    .action((xmlPath: string, opts: { retryDays: string; output: string }) => importCommand(xmlPath, opts, io));
}

function listText(): string {
  const rows = [
    'policy sets:',
    ...Object.entries(BUILT_IN_SETS).map(([name, make]) => `  ${name.padEnd(16)} ${make().description}`),
    'retry schedules:',
    ...Object.values(RETRY_SCHEDULES).map((e) => `  ${e.name.padEnd(16)} ${e.description}`),
    'ladders:',
    ...Object.values(LADDERS).map((e) => `  ${e.name.padEnd(16)} ${e.description}`),
    '',
    'billsim policies show <name> for parameters; a policy file (docs/policies.md) combines them.',
  ];
  return rows.join('\n');
}

async function showText(name: string): Promise<string> {
  const schedule = RETRY_SCHEDULES[name];
  if (schedule !== undefined)
    return pieceText('retry schedule', schedule.name, schedule.description, defaultsOf(schedule));
  const ladder = LADDERS[name];
  if (ladder !== undefined && name !== 'states') {
    return `${pieceText('ladder', ladder.name, ladder.description, defaultsOf(ladder))}\n${ladderText(ladder.create({}, { networkLimits: DEFAULT_NETWORK_LIMITS }))}`;
  }
  if (name === 'states')
    return (
      pieceText('ladder', 'states', LADDERS.states!.description, {}) +
      '\n  (write states: in a policy file; see docs/policies.md)'
    );
  if (BUILT_IN_SETS[name] === undefined && !/\.(ya?ml|json)$/.test(name)) {
    throw new InputError(
      `policies show: unknown name "${name}" (sets: ${Object.keys(BUILT_IN_SETS).join(', ')}; schedules: ${Object.keys(RETRY_SCHEDULES).join(', ')}; ` +
        `ladders: ${Object.keys(LADDERS).join(', ')}; or a policy file)`,
    );
  }
  const { set, document } = await resolvePolicy(name);
  const { source: _source, ...written } = document;
  return `${setText(set)}\nas a policy file (its policy document):\n${stringify(written, { indent: 2 }).trimEnd()}`;
}

function pieceText(kind: string, name: string, description: string, defaults: Record<string, unknown>): string {
  const params =
    Object.keys(defaults).length === 0 ? ['  (no parameters)'] : flattenParameters(defaults).map((l) => `  ${l}`);
  return [`${kind} ${name}: ${description}`, 'parameters (defaults):', ...params].join('\n');
}

function ladderText(ladder: ConsequenceLadder): string {
  const rows = ladder.states.map(
    (s, k) =>
      `  ${String(k + 1).padStart(2)}. ${s.name.padEnd(20)} when ${JSON.stringify(s.when)}  → ${actionsOf(s).join(', ')}  (level ${s.level})`,
  );
  return [`ladder ${ladder.name} (most severe first; first match wins; otherwise clear):`, ...rows].join('\n');
}

function setText(set: PolicySet): string {
  return [
    `policy set ${set.name}: ${set.description}`,
    `  ordering: ${set.ordering.name}`,
    `  dunning:  ${set.dunning.kind}`,
    `  retry:    ${set.retry.name}`,
    ...flattenParameters(set.retry.params).map((l) => `    ${l}`),
    ...(set.networkLimits !== undefined ? [`  networkRules: ${JSON.stringify(set.networkLimits)}`] : []),
    ladderText(set.ladder),
  ].join('\n');
}

export function matrixText(): string {
  const header = ['outcome \\ state', ...LIFECYCLE_STATES];
  const rows = PAYMENT_OUTCOME_KINDS.map((o) => [
    o,
    ...LIFECYCLE_STATES.map((s) => `${OUTCOME_MATRIX[o][s].action} → ${OUTCOME_MATRIX[o][s].next}`),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  return all
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function parseRetryDays(text: string): number[] {
  const days = text.split(',').map((d) => Number(d.trim()));
  if (text.trim() === '' || days.some((d) => !(d > 0) || !Number.isFinite(d))) {
    throw new InputError(`--retry-days: "${text}" is not a comma-separated list of positive days (e.g. 8,8,8)`);
  }
  return days;
}

async function importCommand(xmlPath: string, opts: { retryDays: string; output: string }, io: Io): Promise<void> {
  const retryDays = parseRetryDays(opts.retryDays);
  checkDistinctOutputs([{ flag: '-o', path: opts.output }], [{ flag: '<overdue.xml>', path: xmlPath }]);
  let xml: string;
  try {
    xml = readFileSync(xmlPath, 'utf8');
  } catch {
    throw new InputError(`${xmlPath}: cannot read the overdue file`);
  }
  const name = basename(opts.output, extname(opts.output)).replace(/[^A-Za-z0-9_.-]/g, '-') || 'killbill';
  const { importKillBillOverdue } = await import('./killbill.js'); // its XML parser loads only for this command
  const result = importKillBillOverdue(xml, { name, retryDays, source: xmlPath });
  for (const warning of result.warnings) io.err(`warning: ${xmlPath}: ${warning}`);
  writeFileAtomic(opts.output, schemaComment('policy.schema.json', opts.output) + result.yaml);
  io.out(
    `wrote ${opts.output} (${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}); run it: billsim run baseline --policies ${opts.output}`,
  );
}
