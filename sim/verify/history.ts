/**
 * A tiny provider for generated histories: one customer, actions in time
 * order, each change published as a Stripe-shaped event carrying the object
 * as it now is. The property tests generate actions, build the history, then
 * deliver its events in other orders, with duplicates and delays.
 */
import type { ProviderState } from '../../policies/account.js';
import type { WebhookType } from '../../policies/dunning/webhook.js';
import type { DeclineCode, SubscriptionStatus } from '../../policies/types.js';
import { invoiceOf, providerSubscriptionStatus, S, type InvoiceObject, type StripeEvent, type StripeObject } from './stream.js';

export type Action =
  | { readonly kind: 'renew'; readonly amountCents: number }
  | { readonly kind: 'fail'; readonly code: DeclineCode }
  | { readonly kind: 'pay' }
  | { readonly kind: 'newCard' }
  | { readonly kind: 'advance'; readonly hours: number };

export const CUSTOMER = 'cus_0';
export const START_PLAN_ID = 1;

/** The customer before the history starts: active, on plan 1, card pm_0, has paid before. */
export const INITIAL_PROVIDER: ProviderState = {
  provider: 'stripe', subscriptionStatus: 'active', planId: START_PLAN_ID, defaultPaymentMethodId: 0,
  paymentMethodUpdatedAtMs: -1, hasSucceededCharge: true, invoices: [],
};

export class History {
  readonly events: StripeEvent[] = [];
  private clockS = 86_400;
  private invoiceSerial = 0;
  private paymentMethod = 0;
  private status: SubscriptionStatus = 'active';
  private readonly invoices: InvoiceObject[] = [];

  get nowMs(): number {
    return this.clockS * S;
  }

  apply(action: Action): void {
    this.clockS += 1;
    switch (action.kind) {
      case 'advance': this.clockS += action.hours * 3600; return;
      case 'renew': return this.renew(action.amountCents);
      case 'fail': return this.attempt(action.code);
      case 'pay': return this.attempt(null);
      case 'newCard': return this.newCard();
    }
  }

  private publish(type: WebhookType, object: StripeObject): void {
    this.events.push({ id: `evt_${this.events.length}`, object: 'event', type, created: this.clockS, data: { object } });
  }

  private renew(amountCents: number): void {
    const invoice: InvoiceObject = { object: 'invoice', id: `in_${this.invoiceSerial++}`, customer: CUSTOMER, status: 'open',
      amount_due: amountCents, billing_reason: 'subscription_cycle', created: this.clockS, attempts: [], status_transitions: { paid_at: null } };
    this.invoices.push(invoice);
    this.publish('invoice.finalized', invoice);
  }

  private attempt(code: DeclineCode | null): void {
    const k = this.invoices.findIndex((i) => i.status === 'open');
    if (k < 0 || this.status === 'canceled') return;
    const before = this.invoices[k]!;
    const attempts = [...before.attempts, { created: this.clockS, payment_method: `pm_${this.paymentMethod}`, brand: 'visa' as const,
      decline_code: code, on_session: false }];
    const after: InvoiceObject = code === null
      ? { ...before, attempts, status: 'paid', status_transitions: { paid_at: this.clockS } }
      : { ...before, attempts };
    this.invoices[k] = after;
    this.publish(code === null ? 'invoice.paid' : 'invoice.payment_failed', after);
    this.refreshSubscription();
  }

  private newCard(): void {
    this.paymentMethod++;
    this.publish('customer.updated', { object: 'customer', id: CUSTOMER, invoice_settings: { default_payment_method: `pm_${this.paymentMethod}` } });
  }

  private refreshSubscription(): void {
    const status = providerSubscriptionStatus(this.status, this.invoices.map(invoiceOf));
    if (status === this.status) return;
    this.status = status;
    this.publish('customer.subscription.updated', { object: 'subscription', id: 'sub_0', customer: CUSTOMER, status, plan: { id: `plan_${START_PLAN_ID}` } });
  }
}

export function historyOf(actions: readonly Action[]): History {
  const h = new History();
  for (const a of actions) h.apply(a);
  return h;
}
