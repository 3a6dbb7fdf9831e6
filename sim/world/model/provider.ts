/**
 * The simulated payment providers: a Stripe-like one and a PayPal-like one
 * behind the same interface. They own the `stripe` store, answer attempts,
 * run commands, and emit an event for every change (delivered later, badly,
 * by the webhook model).
 */
import { subscriptionStatusFor } from '../../../policies/account.js';
import type { WebhookType } from '../../../policies/dunning/webhook.js';
import type { DeclineCode, PaymentOutcome, Plan } from '../../../policies/types.js';
import type { Stream } from '../kernel/rng.js';
import type { Scenario } from '../scenario/schema.js';
import { drawOutcome } from './declines.js';
import { appended, findInvoice, newAttempt, newCard, newInvoice, type AccountState, type SimInvoice } from './state.js';
import { LimitExceeded } from '../kernel/limits.js';

export type Emit = (a: AccountState, type: WebhookType, invoice: SimInvoice | null, onSession: boolean) => void;

export interface AttemptResult {
  /** What really happened at the provider. */
  readonly outcome: PaymentOutcome;
  /** False when the provider refused: the invoice was not open. */
  readonly attempted: boolean;
}

/**
 * Can the provider charge this invoice? Open, or written off: Stripe, like the
 * real provider, takes a payment on an `uncollectible` invoice (it becomes
 * `paid`). The recompute engine never asks it to; a legacy retry still
 * scheduled for a written-off invoice does.
 */
export function chargeable(invoice: SimInvoice): boolean {
  return invoice.status === 'open' || invoice.status === 'uncollectible';
}

export class SimProvider {
  constructor(
    protected readonly scenario: Scenario,
    private readonly declines: Stream,
    private readonly plans: readonly Plan[],
    private readonly emit: Emit,
    private readonly invoicesPerAccountMax: number,
  ) {}

  createInvoice(
    a: AccountState,
    kind: SimInvoice['kind'],
    amountCents: number,
    nowMs: number,
    mutationId: number,
  ): SimInvoice {
    const serial = a.sim.invoiceSerial++;
    if (serial >= this.invoicesPerAccountMax) {
      throw new LimitExceeded(
        'limits.invoicesPerAccountMax',
        `account ${a.accountId} has more than ${this.invoicesPerAccountMax} invoices`,
      );
    }
    const invoice = newInvoice(
      a.accountId * this.invoicesPerAccountMax + serial,
      kind,
      amountCents,
      nowMs,
      a.accountId,
      mutationId,
    );
    a.stripe.invoices = appended(a.stripe.invoices, invoice);
    this.emit(a, 'invoice.created', invoice, false);
    this.emit(a, 'invoice.finalized', invoice, false);
    return invoice;
  }

  /** Charge an invoice with the payment method on file. */
  attempt(
    a: AccountState,
    invoice: SimInvoice,
    nowMs: number,
    onSession: boolean,
    authenticated = false,
  ): AttemptResult {
    if (!chargeable(invoice))
      return { outcome: { kind: 'declined', declineCode: 'generic_decline' }, attempted: false };
    const paymentMethodId = a.stripe.defaultPaymentMethodId;
    const outcome = drawOutcome(this.scenario, this.declines, a, invoice, {
      nowMs,
      onSession,
      paymentMethodId,
      authenticated,
    });
    if (outcome.kind === 'requires_action') {
      this.emit(a, 'payment_intent.requires_action', invoice, onSession);
      this.emit(a, 'invoice.payment_action_required', invoice, onSession);
      return { outcome, attempted: true };
    }
    this.settleAttempt(a, invoice, nowMs, onSession, outcome.kind === 'declined' ? outcome.declineCode : null);
    return { outcome, attempted: true };
  }

  /** An attempt with the card on file whose outcome is known: paid (null) or declined with `declineCode`. */
  settleAttempt(
    a: AccountState,
    invoice: SimInvoice,
    nowMs: number,
    onSession: boolean,
    declineCode: DeclineCode | null,
  ): void {
    const paymentMethodId = a.stripe.defaultPaymentMethodId;
    invoice.attempts = appended(
      invoice.attempts,
      newAttempt(nowMs, paymentMethodId, a.sim.card.brand, declineCode, onSession),
    );
    if (declineCode === null) this.markPaid(a, invoice, nowMs, onSession);
    else this.markFailed(a, invoice, nowMs, onSession);
  }

  /** The customer pays an open (or written-off) invoice themselves, on the hosted page. */
  payOutOfBand(a: AccountState, invoice: SimInvoice, nowMs: number): boolean {
    if (!chargeable(invoice)) return false;
    invoice.attempts = appended(invoice.attempts, newAttempt(nowMs, -2, 'visa', null, true));
    this.markPaid(a, invoice, nowMs, true);
    return true;
  }

  /** Writes an open invoice off; false when there was nothing to change. */
  markUncollectible(a: AccountState, invoiceId: number): boolean {
    const invoice = findInvoice(a, invoiceId);
    if (invoice === undefined || invoice.status !== 'open') return false;
    invoice.status = 'uncollectible';
    this.emit(a, 'invoice.marked_uncollectible', invoice, false);
    this.refreshSubscription(a);
    return true;
  }

  voidInvoice(a: AccountState, invoice: SimInvoice): void {
    if (invoice.status !== 'open') return;
    invoice.status = 'void';
    this.emit(a, 'invoice.voided', invoice, false);
  }

  /** Cancels the subscription; false when it already was. */
  cancelSubscription(a: AccountState): boolean {
    if (a.stripe.subscriptionStatus === 'canceled') return false;
    a.stripe.subscriptionStatus = 'canceled';
    this.emit(a, 'customer.subscription.deleted', null, false);
    return true;
  }

  /** Cancel (or stop cancelling) at the end of the current term; the next renewal then cancels instead. */
  /** Schedules (or lifts) cancellation at the end of the term; false when nothing changed. */
  setCancelAtPeriodEnd(a: AccountState, cancel: boolean): boolean {
    if ((a.stripe.cancelAtPeriodEnd === true) === cancel || a.stripe.subscriptionStatus === 'canceled') return false;
    a.stripe.cancelAtPeriodEnd = cancel;
    this.emit(a, 'customer.subscription.updated', null, false);
    return true;
  }

  changePlan(a: AccountState, planId: number): void {
    if (a.stripe.planId === planId) return;
    a.stripe.planId = planId;
    this.emit(a, 'customer.subscription.updated', null, true);
  }

  updatePaymentMethod(a: AccountState, nowMs: number): void {
    const card = a.sim.card;
    a.sim.card = newCard(a.accountId * 64 + (a.sim.cardSerial++ % 64), card.brand, Number.POSITIVE_INFINITY);
    a.stripe.defaultPaymentMethodId = a.sim.card.id;
    a.stripe.paymentMethodUpdatedAtMs = nowMs;
    this.emit(a, 'payment_method.attached', null, true);
    this.emit(a, 'customer.updated', null, true);
  }

  plan(planId: number): Plan {
    return this.plans.find((p) => p.id === planId)!;
  }

  private markPaid(a: AccountState, invoice: SimInvoice, nowMs: number, onSession: boolean): void {
    invoice.status = 'paid';
    invoice.paidAtMs = nowMs;
    a.stripe.hasSucceededCharge = true;
    this.emit(a, 'charge.succeeded', invoice, onSession);
    this.emit(a, 'payment_intent.succeeded', invoice, onSession);
    this.emit(a, 'invoice.paid', invoice, onSession);
    this.emit(a, 'invoice.payment_succeeded', invoice, onSession);
    this.refreshSubscription(a);
  }

  private markFailed(a: AccountState, invoice: SimInvoice, nowMs: number, onSession: boolean): void {
    if (invoice.firstFailedAtMs < 0 && invoice.kind === 'renewal') invoice.firstFailedAtMs = nowMs;
    this.emit(a, 'charge.failed', invoice, onSession);
    this.emit(a, 'payment_intent.payment_failed', invoice, onSession);
    this.emit(a, 'invoice.payment_failed', invoice, onSession);
    this.refreshSubscription(a);
  }

  private refreshSubscription(a: AccountState): void {
    const status = subscriptionStatusFor(a.stripe.subscriptionStatus, a.stripe.invoices, a.stripe.afterFailedPayments);
    if (status === a.stripe.subscriptionStatus) return;
    a.stripe.subscriptionStatus = status;
    this.emit(a, 'customer.subscription.updated', null, false);
  }
}
