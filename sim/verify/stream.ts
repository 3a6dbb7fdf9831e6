/**
 * Event streams in the provider's shape (Stripe's Event objects, a documented
 * subset; see docs/verification.md), and the provider state they imply: at
 * any moment, each object is as its latest-created event shows it, whatever
 * order the events were delivered in (DOMAIN §5). Invoices carry their
 * attempts (`attempts`, a billsim extension) because the retry schedule needs them.
 */
import { subscriptionStatusFor, type ProviderInvoice, type ProviderState } from '../../policies/account.js';
import type { WebhookType } from '../../policies/dunning/webhook.js';
import type { CardBrand, DeclineCode, ProviderInvoiceStatus, SubscriptionStatus } from '../../policies/types.js';

export interface AttemptObject {
  readonly created: number;
  readonly payment_method: string;
  readonly brand: CardBrand;
  readonly decline_code: DeclineCode | null;
  readonly on_session: boolean;
}

export interface InvoiceObject {
  readonly object: 'invoice';
  readonly id: string;
  readonly customer: string;
  readonly status: ProviderInvoiceStatus;
  readonly amount_due: number;
  readonly billing_reason: 'subscription_cycle' | 'subscription_update';
  readonly created: number;
  readonly attempts: readonly AttemptObject[];
  readonly status_transitions: { readonly paid_at: number | null };
}

export interface CustomerObject {
  readonly object: 'customer';
  readonly id: string;
  readonly invoice_settings: { readonly default_payment_method: string };
}

export interface SubscriptionObject {
  readonly object: 'subscription';
  readonly id: string;
  readonly customer: string;
  readonly status: SubscriptionStatus;
  readonly plan: { readonly id: string };
}

export type StripeObject = InvoiceObject | CustomerObject | SubscriptionObject;

export interface StripeEvent {
  readonly id: string;
  readonly object: 'event';
  readonly type: WebhookType;
  /** Seconds, when it happened at the provider. */
  readonly created: number;
  readonly data: { readonly object: StripeObject };
}

export const S = 1000;

export function numericId(id: string): number {
  const n = Number(id.slice(id.lastIndexOf('_') + 1));
  if (!Number.isInteger(n)) throw new Error(`bad object id ${id}`);
  return n;
}

/** The serial of an event in creation order (its id is evt_<serial>). */
function serialOf(e: StripeEvent): number {
  return numericId(e.id);
}

/** The provider's state at `atMs`: every object as its latest event created by then shows it. */
export function providerStateAt(events: readonly StripeEvent[], atMs: number, initial: ProviderState): ProviderState {
  const latest = new Map<string, StripeEvent>();
  for (const e of events) {
    if (e.created * S > atMs) continue;
    const have = latest.get(e.data.object.id);
    if (have === undefined || serialOf(have) < serialOf(e)) latest.set(e.data.object.id, e);
  }
  let state: ProviderState = initial;
  const invoices: ProviderInvoice[] = [];
  for (const e of [...latest.values()].sort((x, y) => serialOf(x) - serialOf(y))) {
    const o = e.data.object;
    if (o.object === 'invoice') invoices.push(invoiceOf(o));
    else if (o.object === 'customer') {
      state = { ...state, defaultPaymentMethodId: numericId(o.invoice_settings.default_payment_method), paymentMethodUpdatedAtMs: e.created * S };
    } else state = { ...state, subscriptionStatus: o.status, planId: numericId(o.plan.id) };
  }
  invoices.sort((a, b) => a.id - b.id);
  return { ...state, invoices, hasSucceededCharge: initial.hasSucceededCharge || invoices.some((i) => i.status === 'paid') };
}

export function invoiceOf(o: InvoiceObject): ProviderInvoice {
  const failed = o.attempts.find((a) => a.decline_code !== null);
  return {
    id: numericId(o.id), kind: o.billing_reason === 'subscription_cycle' ? 'renewal' : 'upgrade', status: o.status,
    amountCents: o.amount_due, createdAtMs: o.created * S,
    firstFailedAtMs: failed !== undefined && o.billing_reason === 'subscription_cycle' ? failed.created * S : -1,
    paidAtMs: o.status_transitions.paid_at === null ? -1 : o.status_transitions.paid_at * S,
    attempts: o.attempts.map((a) => ({ atMs: a.created * S, paymentMethodId: numericId(a.payment_method), brand: a.brand,
      declineCode: a.decline_code, onSession: a.on_session })),
  };
}

/** The subscription status the provider shows for these invoices (its own rule). */
export function providerSubscriptionStatus(current: SubscriptionStatus, invoices: readonly ProviderInvoice[]): SubscriptionStatus {
  return subscriptionStatusFor(current, invoices);
}

/** The latest created moment in a stream, in ms. */
export function lastCreatedMs(events: readonly StripeEvent[]): number {
  return events.reduce((m, e) => Math.max(m, e.created * S), 0);
}

/** The stream as it happened: creation order (by event serial). */
export function creationOrder(events: readonly StripeEvent[]): StripeEvent[] {
  const unique = new Map(events.map((e) => [e.id, e]));
  return [...unique.values()].sort((a, b) => serialOf(a) - serialOf(b));
}
