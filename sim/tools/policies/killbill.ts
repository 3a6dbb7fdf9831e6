/**
 * Importing Kill Bill's overdue.xml as a billsim policy file. Kill Bill's
 * account overdue states become ladder states (same order: most severe first,
 * first match wins); their conditions and blocking flags map onto billsim's
 * conditions and actions. Anything billsim cannot express is named in a
 * warning, never dropped silently.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { stringify } from 'yaml';
import type { LadderAction } from '../../../policies/consequences/actions.js';
import type { DeclineCode } from '../../../policies/types.js';
import { InputError } from '../../lib/errors.js';

export interface KillBillImport {
  /** The policy file, as YAML text. */
  readonly yaml: string;
  /** One line per element that could not be carried over. */
  readonly warnings: readonly string[];
}

export interface KillBillOptions {
  readonly name: string;
  readonly retryDays: readonly number[];
  readonly source: string;
}

type Node = Record<string, unknown>;

interface ImportedState {
  name: string;
  when: Record<string, unknown>;
  actions: LadderAction[];
  message?: string;
}

/** Kill Bill payment responses billsim knows, as decline codes. */
const RESPONSES: Readonly<Record<string, readonly DeclineCode[]>> = {
  INSUFFICIENT_FUNDS: ['insufficient_funds'],
  EXPIRED_CARD: ['expired_card'],
  DO_NOT_HONOR: ['do_not_honor'],
  LOST_OR_STOLEN_CARD: ['lost_card', 'stolen_card'],
  INVALID_CARD: ['invalid_account'],
  DECLINE: ['generic_decline'],
  PROCESSING_ERROR: ['processing_error'],
};

/** Days per Kill Bill time unit, on billsim's calendar (30-day months). */
const UNIT_DAYS: Readonly<Record<string, number>> = { DAYS: 1, WEEKS: 7, MONTHS: 30, YEARS: 360 };

const STATE_ELEMENTS = new Set([
  'condition',
  'externalMessage',
  'blockChanges',
  'disableEntitlementAndChangesBlocked',
  'subscriptionCancellationPolicy',
  'autoReevaluationInterval',
  'isClearState',
  '@_name',
]);

export function importKillBillOverdue(xml: string, options: KillBillOptions): KillBillImport {
  const root = parseXml(xml, options.source);
  const warnings: string[] = [];
  const config = asNode(root.overdueConfig);
  if (config === null)
    throw new InputError(`${options.source}:1: overdueConfig: not a Kill Bill overdue.xml (no <overdueConfig>)`);
  const account = asNode(config.accountOverdueStates);
  if (account === null) throw new InputError(`${options.source}: overdueConfig.accountOverdueStates: missing`);
  for (const key of Object.keys(config))
    if (key !== 'accountOverdueStates') warnings.push(`<${key}> is not supported and was not imported`);
  for (const key of Object.keys(account)) {
    if (key === 'initialReevaluationInterval')
      warnings.push(
        `<initialReevaluationInterval> not imported: billsim evaluates the ladder at every payment event and at each condition's exact threshold`,
      );
    else if (key !== 'state') warnings.push(`accountOverdueStates: <${key}> is not supported and was not imported`);
  }
  const states = toArray(account.state)
    .map((s) => importState(asNode(s) ?? {}, warnings, options.source))
    .filter((s): s is ImportedState => s !== null);
  if (states.length === 0)
    throw new InputError(`${options.source}: accountOverdueStates: no state other than the clear state`);
  return { yaml: policyYaml(states, options), warnings };
}

function parseXml(xml: string, source: string): Node {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new InputError(`${source}:${valid.err.line}: not valid XML: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    trimValues: true,
  });
  return parser.parse(xml) as Node;
}

function importState(node: Node, warnings: string[], source: string): ImportedState | null {
  const name = String(node['@_name'] ?? '');
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    throw new InputError(`${source}: state "${name}": name: letters, digits, _ . - only`);
  if (text(node.isClearState) === 'true') return null;
  for (const key of Object.keys(node))
    if (!STATE_ELEMENTS.has(key)) warnings.push(`state ${name}: <${key}> is not supported and was not imported`);
  const when = importCondition(asNode(node.condition) ?? {}, name, warnings, source);
  const actions = importActions(node, name, warnings);
  const interval = asNode(node.autoReevaluationInterval);
  if (interval !== null) {
    warnings.push(
      `state ${name}: <autoReevaluationInterval> (${text(interval.number)} ${text(interval.unit)}) not imported: billsim re-evaluates at each condition's exact threshold`,
    );
  }
  const message = text(node.externalMessage);
  return { name, when, actions, ...(message !== '' ? { message } : {}) };
}

function importCondition(node: Node, state: string, warnings: string[], source: string): Record<string, unknown> {
  const when: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'timeSinceEarliestUnpaidInvoiceEqualsOrExceeds')
      when.daysOverdueMin = durationDays(asNode(value) ?? {}, state, source);
    else if (key === 'totalUnpaidInvoiceBalanceEqualsOrExceeds')
      when.owedCentsMin = Math.round(numberIn(value, state, key, source) * 100);
    else if (key === 'numberOfUnpaidInvoicesEqualsOrExceeds')
      when.owedInvoicesMin = Math.max(1, Math.round(numberIn(value, state, key, source)));
    else if (key === 'responseForLastFailedPaymentIn') importResponses(asNode(value) ?? {}, state, warnings, when);
    else
      warnings.push(
        `state ${state}: condition <${key}>${tagOf(value)} is not supported and was dropped: the state may match accounts Kill Bill would not put in it`,
      );
  }
  return when;
}

function importResponses(node: Node, state: string, warnings: string[], when: Record<string, unknown>): void {
  const codes: DeclineCode[] = [];
  for (const response of toArray(node.response).map(text)) {
    const mapped = RESPONSES[response];
    if (mapped === undefined)
      warnings.push(`state ${state}: payment response ${response} has no billsim decline code and was dropped`);
    else codes.push(...mapped);
  }
  if (codes.length > 0) when.lastDeclineIn = codes;
  else warnings.push(`state ${state}: condition <responseForLastFailedPaymentIn> kept no response and was dropped`);
}

function importActions(node: Node, state: string, warnings: string[]): LadderAction[] {
  const actions: LadderAction[] = ['notify'];
  if (text(node.blockChanges) === 'true') actions.push('block_plan_changes');
  if (text(node.disableEntitlementAndChangesBlocked) === 'true')
    actions.push('block_plan_changes', 'disable_entitlements');
  const policy = text(node.subscriptionCancellationPolicy);
  if (policy === 'IMMEDIATE') actions.push('cancel_immediately');
  else if (policy === 'END_OF_TERM') actions.push('cancel_at_term_end');
  else if (policy !== '' && policy !== 'NONE')
    warnings.push(`state ${state}: subscriptionCancellationPolicy ${policy} is not supported and was not imported`);
  return [...new Set(actions)];
}

function durationDays(node: Node, state: string, source: string): number {
  const unit = text(node.unit) || 'DAYS';
  const perUnit = UNIT_DAYS[unit];
  if (perUnit === undefined)
    throw new InputError(
      `${source}: state ${state}: timeSinceEarliestUnpaidInvoiceEqualsOrExceeds.unit: unknown unit ${unit} (DAYS, WEEKS, MONTHS, YEARS)`,
    );
  return numberIn(node.number, state, 'timeSinceEarliestUnpaidInvoiceEqualsOrExceeds.number', source) * perUnit;
}

function numberIn(value: unknown, state: string, field: string, source: string): number {
  const n = Number(text(value));
  if (text(value) === '' || !Number.isFinite(n) || n < 0)
    throw new InputError(`${source}: state ${state}: ${field}: "${text(value)}" is not a non-negative number`);
  return n;
}

function policyYaml(states: readonly ImportedState[], options: KillBillOptions): string {
  const header = [
    `# Imported from ${options.source} by billsim policies import-killbill.`,
    "# Kill Bill's clear state is billsim's implicit `clear`; days overdue count from the invoice's first failed payment.",
    '',
  ].join('\n');
  const file = {
    name: options.name,
    description: `Kill Bill overdue states from ${options.source}, retries every ${options.retryDays.join(',')} days`,
    ordering: 'pay-before-commit',
    dunning: 'recompute',
    retry: { schedule: 'killbill-days', days: [...options.retryDays] },
    ladder: { name: options.name, states },
  };
  return header + stringify(file, { flowCollectionPadding: false, lineWidth: 0 });
}

function asNode(value: unknown): Node | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : null;
}

function toArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return String((value as Node)['#text'] ?? '');
  return String(value).trim();
}

function tagOf(value: unknown): string {
  const t = text(value);
  return t === '' ? '' : ` (${t})`;
}
