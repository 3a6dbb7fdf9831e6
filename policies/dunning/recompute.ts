/**
 * The recompute engine. On any event for an account: read all six stores,
 * compute the correct state, return the minimal diff. It reads the provider
 * as it is now and never looks at the event that woke it, so it is blind to
 * event order, lateness and duplicates; computing again after applying its
 * diff yields the empty diff.
 */
import {
  amountDueCents,
  isOwed,
  platformStatusOf,
  type AccountSnapshot,
  type BillingProdRow,
  type CfProdRow,
  type ProviderInvoice,
  type SubsAccountRow,
  type SubsCustomerRow,
  type SubsDunningRow,
} from '../account.js';
import type { ConsequenceLadder, LadderDecision, LadderInput } from '../consequences/ladder.js';
import { entitlementsFor } from '../entitlements.js';
import { networkHistoryOf, type NetworkAttempt } from '../network-rules.js';
import type { RetryDecision, RetryInput, RetrySchedule } from '../retry/schedule.js';
import { severityOf, type AttemptRecord, type DeclineCode, type Plan } from '../types.js';
import { applyProviderCommands } from './apply.js';
import { changedFields, type AccountDiff, type DomainEvent, type ProviderCommand } from './diff.js';

export interface RecomputeConfig {
  readonly plans: readonly Plan[];
  readonly retry: RetrySchedule;
  readonly ladder: ConsequenceLadder;
}

/** The code path name under which the engine's writes are recorded. */
export const RECOMPUTE_CODE_PATH = 'recompute-engine';

interface Truth {
  /** The provider's invoices the billing rows follow (after the engine's own commands). */
  readonly invoices: readonly ProviderInvoice[];
  readonly subsAccount: SubsAccountRow;
  readonly subsCustomer: SubsCustomerRow;
  readonly subsDunning: SubsDunningRow;
  readonly cfProd: CfProdRow;
  readonly commands: readonly ProviderCommand[];
  readonly retryAtMs: number;
  readonly ladderReviewAtMs: number;
}

/**
 * Runs once per account change, so it is written to allocate little: the
 * truth's rows are compared as they are derived, and the lists of a diff
 * that changes nothing are shared empty lists (a settled account's diff is
 * one small object). test/policies/recompute-fast.test.ts checks it against
 * the straightforward version (build every row, then compare).
 */
export function computeDiff(snapshot: AccountSnapshot, nowMs: number, config: RecomputeConfig): AccountDiff {
  const truth = computeTruth(snapshot, nowMs, config);
  return {
    billingProd: billingProdChanges(snapshot.billingProd, truth.invoices),
    subsAccount: changedFields(snapshot.subsAccount, truth.subsAccount),
    subsCustomer: changedFields(snapshot.subsCustomer, truth.subsCustomer),
    subsDunning: changedFields(snapshot.subsDunning, truth.subsDunning),
    cfProd: changedFields(snapshot.cfProd, truth.cfProd),
    commands: truth.commands,
    domainEvents: domainEventsFor(snapshot, truth),
    wakeAtMs: earliestWake(truth.retryAtMs, truth.ladderReviewAtMs),
    retryAtMs: truth.retryAtMs,
    ladderReviewAtMs: truth.ladderReviewAtMs,
  };
}

const NO_ROWS: readonly BillingProdRow[] = Object.freeze([]);
const NO_COMMANDS: readonly ProviderCommand[] = Object.freeze([]);
const NO_EVENTS: readonly DomainEvent[] = Object.freeze([]);

/**
 * The truth as it will be once the engine's own provider commands are carried
 * out: commands first, then the rows derived from the provider after them, so
 * one apply reaches the fixed point.
 */
function computeTruth(snapshot: AccountSnapshot, nowMs: number, config: RecomputeConfig): Truth {
  const first = assess(snapshot, nowMs, config);
  const commands = commandsFor(snapshot, first.decision);
  if (commands.length === 0) return rowsOf(snapshot, first, commands, config);
  const after = { ...snapshot, stripe: applyProviderCommands(snapshot.stripe, commands) };
  return rowsOf(after, assess(after, nowMs, config), commands, config);
}

interface Assessment {
  readonly failing: ProviderInvoice | null;
  readonly retry: RetryDecision | null;
  readonly decision: LadderDecision;
}

/** The consequence state the engine decides for an account at t, by the ladder's own name (Kill Bill's, for an imported one). */
export function consequenceStateAt(snapshot: AccountSnapshot, nowMs: number, config: RecomputeConfig): string {
  return assess(snapshot, nowMs, config).decision.state;
}

/** What the retry schedule is asked; the card's history across invoices is built only if the schedule reads it. */
function retryInputOf(stripe: AccountSnapshot['stripe'], failing: ProviderInvoice, nowMs: number): RetryInput {
  let cardHistory: readonly NetworkAttempt[] | undefined;
  return {
    nowMs,
    amountCents: failing.amountCents,
    firstFailedAtMs: failing.firstFailedAtMs,
    attempts: failing.attempts,
    paymentMethodId: stripe.defaultPaymentMethodId,
    paymentMethodUpdatedAtMs: stripe.paymentMethodUpdatedAtMs,
    get cardHistory() {
      cardHistory ??= networkHistoryOf(stripe.invoices);
      return cardHistory;
    },
  };
}

function assess(snapshot: AccountSnapshot, nowMs: number, config: RecomputeConfig): Assessment {
  const stripe = snapshot.stripe;
  const failing = oldestFailing(stripe.invoices);
  const retry = failing === null ? null : config.retry.next(retryInputOf(stripe, failing, nowMs));
  const decision = config.ladder.evaluate(ladderInput(snapshot, nowMs, failing, retry));
  return { failing, retry, decision };
}

function rowsOf(
  snapshot: AccountSnapshot,
  assessment: Assessment,
  commands: readonly ProviderCommand[],
  config: RecomputeConfig,
): Truth {
  const { failing, retry, decision } = assessment;
  const stripe = snapshot.stripe;
  const plan = planById(config.plans, stripe.planId);
  return {
    invoices: stripe.invoices,
    subsAccount: {
      planId: stripe.planId,
      status: stripe.subscriptionStatus,
      entitlements: entitlementsFor(plan, stripe.subscriptionStatus, decision.level),
    },
    subsCustomer: {
      defaultPaymentMethodId: stripe.defaultPaymentMethodId,
      hasNoSuccessfulPayment: !stripe.hasSucceededCharge,
      badDebt: stripe.invoices.some((i) => i.status === 'uncollectible'),
    },
    subsDunning: dunningRow(failing, retry, decision),
    cfProd: { delinquent: severityOf(decision.level) >= severityOf('suspend'), restriction: decision.level },
    commands,
    retryAtMs: retry?.kind === 'retry_at' ? retry.atMs : -1,
    ladderReviewAtMs: decision.nextEvaluationAtMs,
  };
}

/** The invoice dunning is about: the oldest one that is open and has failed. */
export function oldestFailing(invoices: readonly ProviderInvoice[]): ProviderInvoice | null {
  let best: ProviderInvoice | null = null;
  for (const i of invoices) {
    if (i.status !== 'open' || i.firstFailedAtMs < 0) continue;
    if (best === null || i.firstFailedAtMs < best.firstFailedAtMs) best = i;
  }
  return best;
}

/** What the ladder reads: the owed invoices (open and failed, or written off) summed in one pass. */
function ladderInput(
  snapshot: AccountSnapshot,
  nowMs: number,
  failing: ProviderInvoice | null,
  retry: RetryDecision | null,
): LadderInput {
  let oldestOwedSinceMs = -1,
    owedCents = 0,
    owedInvoices = 0,
    writtenOff = false;
  for (const i of snapshot.stripe.invoices) {
    if (!isOwed(i)) continue;
    const sinceMs = owedSinceMs(i);
    if (owedInvoices === 0 || sinceMs < oldestOwedSinceMs) oldestOwedSinceMs = sinceMs;
    owedInvoices++;
    owedCents += amountDueCents(i);
    if (i.status === 'uncollectible') writtenOff = true;
  }
  const last = failing?.attempts[failing.attempts.length - 1];
  return {
    nowMs,
    oldestOwedSinceMs,
    owedCents,
    owedInvoices,
    lastDecline: last?.declineCode ?? null,
    retriesExhausted: retry?.kind === 'exhausted',
    writtenOff,
  };
}

function owedSinceMs(i: ProviderInvoice): number {
  return i.firstFailedAtMs >= 0 ? i.firstFailedAtMs : i.createdAtMs;
}

function dunningRow(
  failing: ProviderInvoice | null,
  retry: RetryDecision | null,
  decision: LadderDecision,
): SubsDunningRow {
  if (failing === null) {
    return {
      inDunning: false,
      failingInvoiceId: -1,
      failureReason: null,
      retryCount: 0,
      escalationLevel: decision.level,
      nextRetryAtMs: -1,
    };
  }
  return {
    inDunning: true,
    failingInvoiceId: failing.id,
    failureReason: lastDeclineCode(failing.attempts),
    retryCount: Math.max(0, failing.attempts.length - 1),
    escalationLevel: decision.level,
    nextRetryAtMs: retry?.kind === 'retry_at' ? retry.atMs : -1,
  };
}

/** The decline code of the last failed attempt, or null when none failed. */
function lastDeclineCode(attempts: readonly AttemptRecord[]): DeclineCode | null {
  for (let k = attempts.length - 1; k >= 0; k--) {
    const code = attempts[k]!.declineCode;
    if (code !== null) return code;
  }
  return null;
}

function commandsFor(snapshot: AccountSnapshot, decision: LadderDecision): readonly ProviderCommand[] {
  const commands: ProviderCommand[] = [];
  if (decision.writeOff) {
    for (const i of snapshot.stripe.invoices) {
      if (i.status === 'open' && i.firstFailedAtMs >= 0) commands.push({ kind: 'mark_uncollectible', invoiceId: i.id });
    }
  }
  const stripe = snapshot.stripe;
  if (stripe.subscriptionStatus !== 'canceled') {
    const scheduled = stripe.cancelAtPeriodEnd === true;
    if (decision.cancel === 'immediately' || (decision.cancel === 'end_of_term' && !scheduled)) {
      commands.push({ kind: 'cancel_subscription', when: decision.cancel });
    } else if (decision.cancel === null && scheduled) {
      commands.push({ kind: 'resume_subscription' });
    }
  }
  return commands.length === 0 ? NO_COMMANDS : commands;
}

function earliestWake(retryMs: number, ladderWakeMs: number): number {
  if (retryMs < 0) return ladderWakeMs;
  if (ladderWakeMs < 0) return retryMs;
  return Math.min(retryMs, ladderWakeMs);
}

/**
 * The billing rows the provider's invoices call for that `have` lacks or shows
 * differently, in invoice order (rows are few per account: scan, no index).
 */
function billingProdChanges(
  have: readonly BillingProdRow[],
  invoices: readonly ProviderInvoice[],
): readonly BillingProdRow[] {
  let changes: BillingProdRow[] | null = null;
  for (const i of invoices) {
    if (i.status === 'draft') continue;
    const status = platformStatusOf(i.status);
    if (currentStatus(have, i.id) !== status) (changes ??= []).push({ invoiceId: i.id, status });
  }
  return changes ?? NO_ROWS;
}

/** The status `have` shows for an invoice (its last row for it), or undefined. */
function currentStatus(have: readonly BillingProdRow[], invoiceId: number): BillingProdRow['status'] | undefined {
  for (let k = have.length - 1; k >= 0; k--) if (have[k]!.invoiceId === invoiceId) return have[k]!.status;
  return undefined;
}

function domainEventsFor(snapshot: AccountSnapshot, truth: Truth): readonly DomainEvent[] {
  const before = snapshot.subsDunning,
    after = truth.subsDunning;
  const changed = before.inDunning !== after.inDunning || snapshot.cfProd.restriction !== truth.cfProd.restriction;
  if (!changed && truth.commands.length === 0) return NO_EVENTS;
  const events: DomainEvent[] = [];
  if (!before.inDunning && after.inDunning) events.push({ type: 'dunning.started', invoiceId: after.failingInvoiceId });
  if (before.inDunning && !after.inDunning) events.push({ type: 'dunning.ended', invoiceId: before.failingInvoiceId });
  if (snapshot.cfProd.restriction !== truth.cfProd.restriction) {
    events.push({ type: 'consequence.changed', from: snapshot.cfProd.restriction, to: truth.cfProd.restriction });
  }
  for (const c of truth.commands)
    if (c.kind === 'mark_uncollectible') events.push({ type: 'invoice.written_off', invoiceId: c.invoiceId });
  return events;
}

export function planById(plans: readonly Plan[], planId: number): Plan {
  const plan = plans.find((p) => p.id === planId);
  if (plan === undefined) throw new Error(`recompute: unknown plan id ${planId}`);
  return plan;
}

/** The attempt that falls due now, if any: the failing invoice, when its retry time has come. */
export function dueAttemptInvoiceId(snapshot: AccountSnapshot, nowMs: number): number {
  const dunning = snapshot.subsDunning;
  if (!dunning.inDunning || dunning.nextRetryAtMs < 0 || dunning.nextRetryAtMs > nowMs) return -1;
  const invoice = snapshot.stripe.invoices.find((i) => i.id === dunning.failingInvoiceId);
  return invoice !== undefined && invoice.status === 'open' ? invoice.id : -1;
}
