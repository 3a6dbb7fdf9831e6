/**
 * The dunning of one failed invoice as a plain domain object: it holds the
 * account's snapshot and a clock, and asks the policies what to do. It knows
 * nothing of Temporal: the workflow (workflows.ts) wires timers, signals and
 * activities to it, and the pure driver (driver.ts) runs it on virtual time.
 * Workflow code imports this file: no Node built-ins, no I/O, no Date.
 */
import type { AccountSnapshot } from '../../../policies/account.js';
import { applyDiff } from '../../../policies/dunning/apply.js';
import type { AccountDiff } from '../../../policies/dunning/diff.js';
import {
  withAttemptOutcome,
  withPaidOutOfBand,
  withPaymentMethod,
  withVoided,
} from '../../../policies/dunning/facts.js';
import type { RecomputeConfig } from '../../../policies/dunning/recompute.js';
import {
  attemptDueAt,
  recoveryStep,
  SETTLE_ROUNDS_MAX,
  type RecoveryStep,
} from '../../../policies/dunning/recovery.js';
import { policySetOf } from '../../../policies/document.js';
import { BUILT_IN_DOCUMENTS, recomputeConfigOf } from '../../../policies/sets.js';
import type { PaymentOutcome } from '../../../policies/types.js';
import type {
  DunningDecision,
  DunningFinal,
  DunningInput,
  DunningResult,
  DunningSignal,
  DunningView,
  PaymentMethodRef,
} from './types.js';

export function recomputeConfigFor(input: Pick<DunningInput, 'policies' | 'policySet' | 'plans'>): RecomputeConfig {
  const document = input.policies ?? BUILT_IN_DOCUMENTS[input.policySet ?? ''];
  if (document === undefined) {
    throw new Error(
      `dunning: no policies (a document, or a built-in set's name: ${Object.keys(BUILT_IN_DOCUMENTS).join(', ')}; got "${input.policySet}")`,
    );
  }
  return recomputeConfigOf(policySetOf(document), input.plans);
}

export class DunningCase {
  private snapshotNow: AccountSnapshot;
  private clockMs: number;
  private wakeMs = -1;
  private readonly config: RecomputeConfig;
  private readonly methods = new Map<number, PaymentMethodRef>();
  private readonly log: DunningDecision[] = [];

  constructor(readonly input: DunningInput) {
    this.snapshotNow = input.snapshot;
    this.clockMs = input.startMs;
    this.config = recomputeConfigFor(input);
    for (const m of input.provider.paymentMethods) this.methods.set(m.id, m);
  }

  get snapshot(): AccountSnapshot {
    return this.snapshotNow;
  }
  get nowMs(): number {
    return this.clockMs;
  }
  /** When the policies want to be woken with no event; -1 for never (wait for a webhook). */
  get wakeAtMs(): number {
    return this.wakeMs;
  }
  get decisions(): readonly DunningDecision[] {
    return this.log;
  }

  /** The clock never runs backwards: a late event is handled now. */
  advanceTo(atMs: number): void {
    this.clockMs = Math.max(this.clockMs, atMs);
  }

  /** The invoice to charge now, or -1. */
  dueInvoiceId(): number {
    return attemptDueAt(this.snapshotNow, this.clockMs, true);
  }

  /** The payment method a charge now would use. */
  paymentMethodOnFile(): PaymentMethodRef {
    const id = this.snapshotNow.stripe.defaultPaymentMethodId;
    const ref = this.methods.get(id);
    if (ref === undefined) throw new Error(`dunning: payment method ${id} has no provider reference`);
    return ref;
  }

  /** Attempts recorded on an invoice so far (numbers the next attempt's idempotency key). */
  attemptCount(invoiceId: number): number {
    return this.snapshotNow.stripe.invoices.find((i) => i.id === invoiceId)?.attempts.length ?? 0;
  }

  recordAttempt(invoiceId: number, outcome: PaymentOutcome): void {
    const method = this.paymentMethodOnFile();
    const label = outcome.kind === 'declined' ? outcome.declineCode : outcome.kind;
    this.log.push({ kind: 'attempt', atMs: this.clockMs, paymentMethodId: method.id, outcome: label });
    this.snapshotNow = withAttemptOutcome(this.snapshotNow, invoiceId, this.clockMs, method.brand, outcome);
  }

  /** A webhook: the provider fact it reports, at its created time (or now, if late). */
  applySignal(signal: DunningSignal): void {
    this.advanceTo(signal.atMs);
    this.log.push({ kind: 'signal', atMs: this.clockMs, signal: signal.kind });
    if (signal.kind === 'invoice_paid')
      this.snapshotNow = withPaidOutOfBand(this.snapshotNow, signal.invoiceId, this.clockMs);
    else if (signal.kind === 'invoice_voided') this.snapshotNow = withVoided(this.snapshotNow, signal.invoiceId);
    else if (signal.paymentMethod.id !== this.snapshotNow.stripe.defaultPaymentMethodId) {
      this.methods.set(signal.paymentMethod.id, signal.paymentMethod);
      this.snapshotNow = withPaymentMethod(this.snapshotNow, signal.paymentMethod.id, this.clockMs);
    }
  }

  /** The next step: the diff to apply now. */
  step(): RecoveryStep {
    return recoveryStep(this.snapshotNow, this.clockMs, this.config, true);
  }

  /** The adapter has applied the step (store writes and provider commands): take it into the snapshot. */
  applied(step: RecoveryStep): void {
    for (const command of step.diff.commands) this.log.push({ kind: 'command', atMs: this.clockMs, command });
    for (const event of step.diff.domainEvents) {
      if (event.type === 'consequence.changed')
        this.log.push({ kind: 'consequence', atMs: this.clockMs, from: event.from, to: event.to });
    }
    this.snapshotNow = applyDiff(this.snapshotNow, step.diff);
    if (step.settled) this.wakeMs = step.wakeAtMs;
  }

  /** Settle without side effects (the pure driver): apply steps until one has no provider command. */
  settleLocally(): void {
    for (let round = 0; round < SETTLE_ROUNDS_MAX; round++) {
      const step = this.step();
      this.applied(step);
      if (step.settled) return;
    }
    throw settleError(this.snapshotNow.accountId);
  }

  /** Nothing is owed on this invoice and no timer is wanted. */
  finished(): boolean {
    const invoice = this.snapshotNow.stripe.invoices.find((i) => i.id === this.input.invoiceId);
    return this.wakeMs < 0 && (invoice === undefined || invoice.status !== 'open');
  }

  result(): DunningResult {
    return { decisions: [...this.log], final: this.final() };
  }

  view(): DunningView {
    return { nowMs: this.clockMs, wakeAtMs: this.wakeMs, snapshot: this.snapshotNow, decisions: [...this.log] };
  }

  private final(): DunningFinal {
    const s = this.snapshotNow;
    const invoice = s.stripe.invoices.find((i) => i.id === this.input.invoiceId);
    if (invoice === undefined) throw new Error(`dunning: invoice ${this.input.invoiceId} is not in the snapshot`);
    return {
      atMs: this.clockMs,
      invoiceStatus: invoice.status,
      billingStatus: s.billingProd.find((r) => r.invoiceId === invoice.id)?.status ?? null,
      subscriptionStatus: s.stripe.subscriptionStatus,
      restriction: s.cfProd.restriction,
      inDunning: s.subsDunning.inDunning,
      entitlements: s.subsAccount.entitlements,
      attempts: invoice.attempts.length,
    };
  }
}

export function settleError(accountId: number): Error {
  return new Error(`dunning: account ${accountId} did not settle in ${SETTLE_ROUNDS_MAX} rounds`);
}

/** The diff's store writes, for the apply activity (no wake times: those stay in the workflow). */
export type StoreWrites = Pick<AccountDiff, 'billingProd' | 'subsAccount' | 'subsCustomer' | 'subsDunning' | 'cfProd'>;

export function storeWritesOf(diff: AccountDiff): StoreWrites {
  return {
    billingProd: diff.billingProd,
    subsAccount: diff.subsAccount,
    subsCustomer: diff.subsCustomer,
    subsDunning: diff.subsDunning,
    cfProd: diff.cfProd,
  };
}
