/**
 * The provider's side of a recorded stream, per customer: every version of
 * every invoice, every charge, subscription and customer object, keyed by
 * when it was created at the provider. The provider as it was at time t is
 * rebuilt from the versions created up to t, whatever order they arrived in
 * (ties within one second: status progress, attempt count, then event id).
 * This is per-account state, compact records only; the file is not held.
 */
import type Stripe from 'stripe';
import { isDeclineCode } from '../../policies/decline-codes.js';
import { ENTITLEMENT_CORE, type AttemptRecord, type CardBrand, type DeclineCode, type InvoiceKind, type Plan,
  type ProviderInvoiceStatus, type SubscriptionStatus } from '../../policies/types.js';
import type { CoverageEntry } from '../engine/checker.js';
import type { SimInvoice, SimProviderState } from '../world/state.js';

interface InvoiceVersion {
  readonly createdMs: number;
  readonly rank: number;
  readonly eventId: string;
  readonly status: ProviderInvoiceStatus;
  readonly amountCents: number;
  readonly attemptCount: number;
  readonly paidAtMs: number;
}

export interface RecordedInvoice {
  readonly key: string;
  id: number;
  readonly kind: InvoiceKind;
  readonly createdAtMs: number;
  paymentIntentId: string | null;
  readonly versions: InvoiceVersion[];
}

interface RecordedCharge {
  readonly id: string;
  readonly createdMs: number;
  readonly paymentIntentId: string | null;
  readonly paymentMethodId: number;
  readonly brand: CardBrand;
  readonly declineCode: DeclineCode | null;
}

interface Versioned {
  readonly createdMs: number;
  readonly eventId: string;
}
interface SubscriptionVersion extends Versioned {
  readonly status: SubscriptionStatus;
  readonly planId: number;
  readonly cancelAtPeriodEnd: boolean;
}
interface CustomerVersion extends Versioned {
  readonly paymentMethodId: number;
  changedAtMs: number;
}

export class AccountHistory {
  readonly invoices = new Map<string, RecordedInvoice>();
  /** Invoices in creation order, once finalized. */
  ordered: RecordedInvoice[] = [];
  readonly charges = new Map<string, RecordedCharge>();
  readonly subscriptions: SubscriptionVersion[] = [];
  readonly customers: CustomerVersion[] = [];
  readonly coverage = new Map<string, CoverageEntry>();
  firstCreatedMs = Number.POSITIVE_INFINITY;
  email: string | null = null;
  name: string | null = null;
  deliveries = 0;

  constructor(readonly index: number, readonly customer: string) {}
}

/** Everything learnt from the stream in the first pass: customers, plans, payment methods. */
export class RecordedWorld {
  readonly accounts: AccountHistory[] = [];
  private readonly byCustomer = new Map<string, AccountHistory>();
  readonly plans: Plan[] = [{ id: 0, name: 'unknown', monthlyPriceCents: 0, entitlements: ENTITLEMENT_CORE }];
  private readonly planByPrice = new Map<string, number>();
  private readonly paymentMethods = new Map<string, number>();
  private readonly invoiceByKey = new Map<string, RecordedInvoice>();

  account(customer: string): AccountHistory {
    let h = this.byCustomer.get(customer);
    if (h === undefined) {
      h = new AccountHistory(this.accounts.length, customer);
      this.accounts.push(h);
      this.byCustomer.set(customer, h);
    }
    return h;
  }

  find(customer: string): AccountHistory | undefined {
    return this.byCustomer.get(customer);
  }

  invoice(key: string): RecordedInvoice | undefined {
    return this.invoiceByKey.get(key);
  }

  paymentMethod(id: string | null | undefined): number {
    if (id === null || id === undefined) return -1;
    let n = this.paymentMethods.get(id);
    if (n === undefined) this.paymentMethods.set(id, (n = this.paymentMethods.size + 1));
    return n;
  }

  plan(price: Stripe.Price | undefined): number {
    if (price === undefined || typeof price.id !== 'string') return 0;
    let id = this.planByPrice.get(price.id);
    if (id === undefined) {
      id = this.plans.length;
      const entitlements = Number(price.metadata?.entitlements ?? ENTITLEMENT_CORE);
      this.plans.push({ id, name: price.nickname ?? price.id, monthlyPriceCents: price.unit_amount ?? 0,
        entitlements: Number.isInteger(entitlements) ? entitlements : ENTITLEMENT_CORE });
      this.planByPrice.set(price.id, id);
    }
    return id;
  }

  /** Takes one event into the history; returns false when it is about no customer. */
  ingest(event: Stripe.Event): boolean {
    const customer = customerOf(event);
    if (customer === null) return false;
    const h = this.account(customer);
    const createdMs = event.created * 1000;
    h.firstCreatedMs = Math.min(h.firstCreatedMs, createdMs);
    const object = event.data.object as unknown as Record<string, unknown>;
    if (event.type.startsWith('invoice.') && object.object === 'invoice') this.ingestInvoice(h, event, object as unknown as Stripe.Invoice);
    else if (event.type.startsWith('charge.') && object.object === 'charge') this.ingestCharge(h, object as unknown as Stripe.Charge);
    else if (event.type.startsWith('customer.subscription.')) this.ingestSubscription(h, event, object as unknown as Stripe.Subscription);
    else if (event.type === 'customer.updated' || event.type === 'customer.created') this.ingestCustomer(h, event, object as unknown as Stripe.Customer);
    return true;
  }

  private ingestInvoice(h: AccountHistory, event: Stripe.Event, obj: Stripe.Invoice): void {
    const status = obj.status as string | null | undefined;
    if (typeof obj.id !== 'string' || !isInvoiceStatus(status)) return;
    let invoice = h.invoices.get(obj.id);
    if (invoice === undefined) {
      invoice = { key: obj.id, id: -1, kind: obj.billing_reason === 'subscription_update' ? 'upgrade' : 'renewal',
        createdAtMs: (obj.created ?? event.created) * 1000, paymentIntentId: null, versions: [] };
      h.invoices.set(obj.id, invoice);
      this.invoiceByKey.set(obj.id, invoice);
    }
    invoice.paymentIntentId ??= paymentIntentOf(obj);
    const paidAt = obj.status_transitions?.paid_at;
    invoice.versions.push({
      createdMs: event.created * 1000, rank: STATUS_RANK[status], eventId: event.id, status,
      amountCents: obj.amount_due ?? 0, attemptCount: obj.attempt_count ?? 0,
      paidAtMs: typeof paidAt === 'number' ? paidAt * 1000 : event.created * 1000,
    });
    if (typeof obj.customer_email === 'string') h.email = obj.customer_email;
    if (typeof obj.customer_name === 'string') h.name = obj.customer_name;
  }

  private ingestCharge(h: AccountHistory, obj: Stripe.Charge): void {
    if (typeof obj.id !== 'string' || h.charges.has(obj.id) || (obj.status !== 'succeeded' && obj.status !== 'failed')) return;
    const details = obj.payment_method_details;
    const brand: CardBrand = details?.type === 'paypal' ? 'paypal' : brandOf(details?.card?.brand);
    const reason = obj.outcome?.reason ?? obj.failure_code ?? 'generic_decline';
    h.charges.set(obj.id, {
      id: obj.id, createdMs: obj.created * 1000, paymentIntentId: idOf(obj.payment_intent),
      paymentMethodId: this.paymentMethod(obj.payment_method), brand,
      declineCode: obj.status === 'succeeded' ? null : isDeclineCode(reason) ? reason : 'generic_decline',
    });
  }

  private ingestSubscription(h: AccountHistory, event: Stripe.Event, obj: Stripe.Subscription): void {
    const price = obj.items?.data?.[0]?.price;
    h.subscriptions.push({ createdMs: event.created * 1000, eventId: event.id, status: subscriptionStatusOf(obj.status), planId: this.plan(price),
      cancelAtPeriodEnd: obj.cancel_at_period_end === true });
  }

  private ingestCustomer(h: AccountHistory, event: Stripe.Event, obj: Stripe.Customer): void {
    const pm = this.paymentMethod(idOf(obj.invoice_settings?.default_payment_method ?? null));
    h.customers.push({ createdMs: event.created * 1000, eventId: event.id, paymentMethodId: pm, changedAtMs: -1 });
    if (typeof obj.email === 'string') h.email = obj.email;
    if (typeof obj.name === 'string') h.name = obj.name;
  }

  /** After the first pass: order every history, number the invoices. */
  finalize(): void {
    let nextInvoiceId = 0;
    for (const h of this.accounts) {
      h.ordered = [...h.invoices.values()].sort((x, y) => x.createdAtMs - y.createdAtMs || x.key.localeCompare(y.key));
      for (const invoice of h.ordered) {
        invoice.id = nextInvoiceId++;
        invoice.versions.sort((x, y) => x.createdMs - y.createdMs || x.rank - y.rank || x.attemptCount - y.attemptCount || x.eventId.localeCompare(y.eventId));
      }
      h.subscriptions.sort(byCreation);
      h.customers.sort(byCreation);
      for (let k = 1; k < h.customers.length; k++) {
        const prev = h.customers[k - 1]!, cur = h.customers[k]!;
        cur.changedAtMs = cur.paymentMethodId !== prev.paymentMethodId ? cur.createdMs : prev.changedAtMs;
      }
    }
  }
}

const STATUS_RANK: Readonly<Record<ProviderInvoiceStatus, number>> = { draft: 0, open: 1, paid: 2, uncollectible: 2, void: 2 };

function isInvoiceStatus(status: string | null | undefined): status is ProviderInvoiceStatus {
  return status !== null && status !== undefined && status in STATUS_RANK;
}

function byCreation(x: Versioned, y: Versioned): number {
  return x.createdMs - y.createdMs || x.eventId.localeCompare(y.eventId);
}

/** The latest entry created at or before t in a creation-ordered list. */
function latestAt<T extends { createdMs: number }>(list: readonly T[], tMs: number): T | undefined {
  let found: T | undefined;
  for (const item of list) {
    if (item.createdMs > tMs) break;
    found = item;
  }
  return found;
}

/** The provider (store `stripe`) as it was at time t. */
export function providerAt(h: AccountHistory, tMs: number): SimProviderState {
  const charges = [...h.charges.values()].filter((c) => c.createdMs <= tMs).sort((x, y) => x.createdMs - y.createdMs || x.id.localeCompare(y.id));
  const invoices: SimInvoice[] = [];
  for (const recorded of h.ordered) {
    const invoice = invoiceAt(h, recorded, charges, tMs);
    if (invoice !== null) invoices.push(invoice);
  }
  const sub = latestAt(h.subscriptions, tMs) ?? h.subscriptions[0];
  const customer = latestAt(h.customers, tMs) ?? h.customers[0];
  return {
    provider: 'stripe', subscriptionStatus: sub?.status ?? 'active', planId: sub?.planId ?? 0, cancelAtPeriodEnd: sub?.cancelAtPeriodEnd === true,
    defaultPaymentMethodId: customer?.paymentMethodId ?? -1, paymentMethodUpdatedAtMs: customer?.changedAtMs ?? -1,
    hasSucceededCharge: charges.some((c) => c.declineCode === null), invoices,
  };
}

function invoiceAt(h: AccountHistory, recorded: RecordedInvoice, charges: readonly RecordedCharge[], tMs: number): SimInvoice | null {
  const version = latestAt(recorded.versions, tMs);
  if (version === undefined) return null;
  const attempts: AttemptRecord[] = recorded.paymentIntentId === null ? [] : charges
    .filter((c) => c.paymentIntentId === recorded.paymentIntentId)
    .map((c) => ({ atMs: c.createdMs, paymentMethodId: c.paymentMethodId, brand: c.brand, declineCode: c.declineCode, onSession: recorded.kind === 'upgrade' }));
  const firstFailure = attempts.find((x) => x.declineCode !== null);
  return {
    id: recorded.id, kind: recorded.kind, status: version.status, amountCents: version.amountCents, createdAtMs: recorded.createdAtMs,
    firstFailedAtMs: recorded.kind === 'renewal' && firstFailure !== undefined ? firstFailure.atMs : -1,
    paidAtMs: version.status === 'paid' ? version.paidAtMs : -1, attempts, accountId: h.index, mutationId: -1,
  };
}

export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : typeof value.id === 'string' ? value.id : null;
}

/** The customer an event is about: the object's customer, or the customer object itself. */
export function customerOf(event: Stripe.Event): string | null {
  const object = event.data.object as unknown as { object?: string; id?: unknown; customer?: string | { id: string } | null };
  if (object.object === 'customer') return typeof object.id === 'string' ? object.id : null;
  return idOf(object.customer ?? null);
}

function paymentIntentOf(obj: Stripe.Invoice): string | null {
  for (const p of obj.payments?.data ?? []) {
    const id = idOf(p.payment?.payment_intent ?? null);
    if (id !== null) return id;
  }
  return null;
}

function brandOf(brand: string | undefined | null): CardBrand {
  return brand === 'mastercard' || brand === 'amex' ? brand : 'visa';
}

function subscriptionStatusOf(status: string | undefined): SubscriptionStatus {
  switch (status) {
    case 'past_due': case 'unpaid': case 'canceled': case 'incomplete': return status;
    case 'incomplete_expired': return 'canceled';
    default: return 'active';
  }
}
