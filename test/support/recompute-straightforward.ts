/**
 * The recompute engine's diff written the straightforward way (as it was
 * before the allocation-light rewrite of policies/dunning/recompute.ts):
 * build the whole truth, then compare. The property test in
 * test/policies/recompute-fast.test.ts checks that the production
 * computeDiff returns exactly what this returns.
 */
import { networkHistoryOf } from '../../policies/network-rules.js';
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
} from '../../policies/account.js';
import type { LadderDecision } from '../../policies/consequences/ladder.js';
import { entitlementsFor } from '../../policies/entitlements.js';
import type { RetryDecision } from '../../policies/retry/schedule.js';
import { severityOf } from '../../policies/types.js';
import { applyProviderCommands } from '../../policies/dunning/apply.js';
import type { AccountDiff, DomainEvent, ProviderCommand } from '../../policies/dunning/diff.js';
import { planById, type RecomputeConfig } from '../../policies/dunning/recompute.js';

interface Truth {
  readonly billingProd: readonly BillingProdRow[];
  readonly subsAccount: SubsAccountRow;
  readonly subsCustomer: SubsCustomerRow;
  readonly subsDunning: SubsDunningRow;
  readonly cfProd: CfProdRow;
  readonly commands: readonly ProviderCommand[];
  readonly retryAtMs: number;
  readonly ladderReviewAtMs: number;
}

export function computeDiffStraightforward(
  snapshot: AccountSnapshot,
  nowMs: number,
  config: RecomputeConfig,
): AccountDiff {
  const truth = computeTruth(snapshot, nowMs, config);
  const billingProd = billingProdChanges(snapshot.billingProd, truth.billingProd);
  const subsDunning = changedFields(snapshot.subsDunning, truth.subsDunning);
  const cfProd = changedFields(snapshot.cfProd, truth.cfProd);
  return {
    billingProd,
    subsAccount: changedFields(snapshot.subsAccount, truth.subsAccount),
    subsCustomer: changedFields(snapshot.subsCustomer, truth.subsCustomer),
    subsDunning,
    cfProd,
    commands: truth.commands,
    domainEvents: domainEventsFor(snapshot, truth),
    wakeAtMs: earliestWake(truth.retryAtMs, truth.ladderReviewAtMs),
    retryAtMs: truth.retryAtMs,
    ladderReviewAtMs: truth.ladderReviewAtMs,
  };
}

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

function assess(snapshot: AccountSnapshot, nowMs: number, config: RecomputeConfig): Assessment {
  const stripe = snapshot.stripe;
  const failing = oldestFailing(stripe.invoices);
  const retry =
    failing === null
      ? null
      : config.retry.next({
          nowMs,
          amountCents: failing.amountCents,
          firstFailedAtMs: failing.firstFailedAtMs,
          attempts: failing.attempts,
          paymentMethodId: stripe.defaultPaymentMethodId,
          paymentMethodUpdatedAtMs: stripe.paymentMethodUpdatedAtMs,
          cardHistory: networkHistoryOf(stripe.invoices),
        });
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
    billingProd: stripe.invoices
      .filter((i) => i.status !== 'draft')
      .map((i) => ({ invoiceId: i.id, status: platformStatusOf(i.status) })),
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
function oldestFailing(invoices: readonly ProviderInvoice[]): ProviderInvoice | null {
  let best: ProviderInvoice | null = null;
  for (const i of invoices) {
    if (i.status !== 'open' || i.firstFailedAtMs < 0) continue;
    if (best === null || i.firstFailedAtMs < best.firstFailedAtMs) best = i;
  }
  return best;
}

function ladderInput(
  snapshot: AccountSnapshot,
  nowMs: number,
  failing: ProviderInvoice | null,
  retry: RetryDecision | null,
) {
  const owed = snapshot.stripe.invoices.filter(isOwed);
  const last = failing?.attempts[failing.attempts.length - 1];
  return {
    nowMs,
    oldestOwedSinceMs: owed.length === 0 ? -1 : Math.min(...owed.map(owedSinceMs)),
    owedCents: owed.reduce((sum, i) => sum + amountDueCents(i), 0),
    owedInvoices: owed.length,
    lastDecline: last?.declineCode ?? null,
    retriesExhausted: retry?.kind === 'exhausted',
    writtenOff: owed.some((i) => i.status === 'uncollectible'),
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
  const failures = failing.attempts.filter((a) => a.declineCode !== null);
  return {
    inDunning: true,
    failingInvoiceId: failing.id,
    failureReason: failures[failures.length - 1]?.declineCode ?? null,
    retryCount: Math.max(0, failing.attempts.length - 1),
    escalationLevel: decision.level,
    nextRetryAtMs: retry?.kind === 'retry_at' ? retry.atMs : -1,
  };
}

function commandsFor(snapshot: AccountSnapshot, decision: LadderDecision): ProviderCommand[] {
  const commands: ProviderCommand[] = [];
  if (decision.writeOff) {
    for (const i of snapshot.stripe.invoices) {
      if (i.status === 'open' && i.firstFailedAtMs >= 0) commands.push({ kind: 'mark_uncollectible', invoiceId: i.id });
    }
  }
  const stripe = snapshot.stripe;
  if (stripe.subscriptionStatus === 'canceled') return commands;
  const scheduled = stripe.cancelAtPeriodEnd === true;
  if (decision.cancel === 'immediately' || (decision.cancel === 'end_of_term' && !scheduled)) {
    commands.push({ kind: 'cancel_subscription', when: decision.cancel });
  } else if (decision.cancel === null && scheduled) {
    commands.push({ kind: 'resume_subscription' });
  }
  return commands;
}

function earliestWake(retryMs: number, ladderWakeMs: number): number {
  if (retryMs < 0) return ladderWakeMs;
  if (ladderWakeMs < 0) return retryMs;
  return Math.min(retryMs, ladderWakeMs);
}

/** The rows of `want` that `have` lacks or shows differently (rows are few per account: scan, no index). */
function billingProdChanges(have: readonly BillingProdRow[], want: readonly BillingProdRow[]): BillingProdRow[] {
  return want.filter((row) => currentStatus(have, row.invoiceId) !== row.status);
}

/** The status `have` shows for an invoice (its last row for it), or undefined. */
function currentStatus(have: readonly BillingProdRow[], invoiceId: number): BillingProdRow['status'] | undefined {
  for (let k = have.length - 1; k >= 0; k--) if (have[k]!.invoiceId === invoiceId) return have[k]!.status;
  return undefined;
}

function domainEventsFor(snapshot: AccountSnapshot, truth: Truth): DomainEvent[] {
  const events: DomainEvent[] = [];
  const before = snapshot.subsDunning,
    after = truth.subsDunning;
  if (!before.inDunning && after.inDunning) events.push({ type: 'dunning.started', invoiceId: after.failingInvoiceId });
  if (before.inDunning && !after.inDunning) events.push({ type: 'dunning.ended', invoiceId: before.failingInvoiceId });
  if (snapshot.cfProd.restriction !== truth.cfProd.restriction) {
    events.push({ type: 'consequence.changed', from: snapshot.cfProd.restriction, to: truth.cfProd.restriction });
  }
  for (const c of truth.commands)
    if (c.kind === 'mark_uncollectible') events.push({ type: 'invoice.written_off', invoiceId: c.invoiceId });
  return events;
}

/** The fields of `want` that differ from `have`, or null when none do. */
function changedFields<T extends object>(have: T, want: T): Partial<T> | null {
  let changed: Partial<T> | null = null;
  for (const key of Object.keys(want) as (keyof T)[]) {
    if (have[key] !== want[key]) {
      changed ??= {};
      changed[key] = want[key];
    }
  }
  return changed;
}
