/**
 * The provider's side of a recorded stream, per customer, in memory bounded
 * by the live objects rather than by the file.
 *
 * Pass 1 (`catalog`) keeps only what is fixed for a whole replay: customers,
 * plans, payment methods, each invoice's identity (key, kind, creation,
 * payment intent) and each account's earliest subscription and customer
 * versions; it also measures the stream's lateness horizon (how long after
 * the stream's clock an object may still turn up). Pass 2 (`ingest`) adds the
 * versions (invoice status, amount, attempt count; subscription; default
 * payment method) and charges, reading ahead of the deliveries by the
 * horizon, and drops a version once a newer one was created before any time
 * still to be read (`lowWaterMs`). The provider as it was at time t is then
 * rebuilt from the versions created up to t, whatever order they arrived in
 * (ties within one second: status progress, attempt count, then event id).
 */
import type Stripe from 'stripe';
import {
  cardBrandOf,
  isStripeInvoiceStatus,
  stripeDeclineCode,
  subscriptionStatusOf,
} from '../../../policies/stripe-vocabulary.js';
import {
  ENTITLEMENT_CORE,
  type AttemptRecord,
  type DeclineCode,
  type InvoiceKind,
  type Plan,
  type ProviderInvoiceStatus,
  type SubscriptionStatus,
} from '../../../policies/types.js';
import type { SimInvoice, SimProviderState } from '../../world/model/state.js';
import { chargeOfIntent, idOf, PaymentLinks, paymentObjectKind, refsOf } from './links.js';

/** A version of an object; times in whole seconds as Stripe writes them (small integers, stored unboxed). */
interface Versioned {
  readonly createdS: number;
  /** Breaks ties within one second; forgotten ('') once no version of the same second can still arrive. */
  eventId: string;
}

interface InvoiceVersion extends Versioned {
  readonly rank: number;
  readonly status: ProviderInvoiceStatus;
  readonly amountCents: number;
  readonly attemptCount: number;
  readonly paidAtS: number;
}

interface SubscriptionVersion extends Versioned {
  readonly status: SubscriptionStatus;
  readonly planId: number;
  readonly cancelAtPeriodEnd: boolean;
}

interface CustomerVersion extends Versioned {
  readonly paymentMethodId: number;
  /** When the default payment method last changed; -1: never. */
  changedAtS: number;
}

/** One attempt as the provider recorded it (a charge, or a payment intent's), with its charge id for order and de-duplication. */
interface RecordedAttempt {
  readonly chargeId: string;
  readonly attempt: AttemptRecord;
}

/** A failure the invoice itself reports (`invoice.payment_failed`): its attempt number and time. */
interface ReportedFailure {
  readonly attemptNumber: number;
  readonly atMs: number;
}

/** An event of pass 1 whose customer is not known yet (null `customer`): resolved through its invoice at the end of pass 1. */
interface Deferred {
  readonly type: string;
  readonly createdMs: number;
  readonly refs: NonNullable<ReturnType<typeof refsOf>>;
  readonly paymentMethod: string | null;
}

export interface RecordedInvoice {
  readonly key: string;
  readonly accountIndex: number;
  id: number;
  readonly kind: InvoiceKind;
  readonly createdAtMs: number;
  paymentIntentId: string | null;
  /** Versions still readable, in creation order (superseded ones before the low-water mark are dropped). */
  versions: readonly InvoiceVersion[];
  /** Every charge on the invoice's payment intent, in creation order (kept: they are the attempt history). */
  attempts: readonly RecordedAttempt[];
  /** Failures the invoice reported (`invoice.payment_failed`), by attempt number, in creation order. */
  reported: readonly ReportedFailure[];
}

export class AccountHistory {
  /** Invoices in creation order, once finalized. */
  ordered: RecordedInvoice[] = [];
  subscriptions: readonly SubscriptionVersion[] = [];
  customers: readonly CustomerVersion[] = [];
  /** The earliest versions in the whole stream: what the provider shows before its first version. */
  firstSubscription: SubscriptionVersion | null = null;
  firstCustomer: CustomerVersion | null = null;
  /** The earliest successful charge seen (any invoice or none); +Infinity when none. */
  firstSuccessMs = Number.POSITIVE_INFINITY;
  /** Charges on no known invoice, by id (they count only for "has paid"). */
  orphanCharges: Set<string> | null = null;
  firstCreatedMs = Number.POSITIVE_INFINITY;
  email: string | null = null;
  name: string | null = null;
  deliveries = 0;

  constructor(
    readonly index: number,
    readonly customer: string,
  ) {}
}

/** What a stream's events are about: customers, plans, payment methods, invoices, and their versions. */
export class RecordedWorld {
  readonly accounts: AccountHistory[] = [];
  private readonly byCustomer = new Map<string, AccountHistory>();
  readonly plans: Plan[] = [{ id: 0, name: 'unknown', monthlyPriceCents: 0, entitlements: ENTITLEMENT_CORE }];
  private readonly planByPrice = new Map<string, number>();
  private readonly paymentMethods = new Map<string, number>();
  private readonly invoiceByKey = new Map<string, RecordedInvoice>();
  private readonly links = new PaymentLinks();
  private deferred: Deferred[] = [];
  /** Events about payments whose customer no field names, even through their invoice, by type (after pass 1). */
  readonly noCustomer: Record<string, number> = {};
  /** The stream's clock so far in pass 1: the latest `created` read. */
  private clockMs = Number.NEGATIVE_INFINITY;
  /** How long before the stream's clock an event's object can still become visible (pass 1 measures it). */
  horizonMs = 0;
  /** Pass 2: no query will ask for the provider before this time; older superseded versions go. */
  lowWaterMs = Number.NEGATIVE_INFINITY;

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

  /** The account's invoice an event is about: its own, or the one its payment (charge, intent, invoice payment) pays. */
  invoiceOfEvent(h: AccountHistory, event: Stripe.Event): RecordedInvoice | undefined {
    const refs = refsOf(event);
    const key = refs === null ? null : this.links.invoiceOf(refs);
    const invoice = key === null ? undefined : this.invoiceByKey.get(key);
    return invoice?.accountIndex === h.index ? invoice : undefined;
  }

  /** The account an event is about: its customer, else its invoice's (an invoice payment names none, a charge may not). */
  accountOf(event: Stripe.Event): AccountHistory | undefined {
    const customer = customerOf(event);
    if (customer !== null) return this.byCustomer.get(customer);
    const refs = refsOf(event);
    const key = refs === null ? null : this.links.invoiceOf(refs);
    const invoice = key === null ? undefined : this.invoiceByKey.get(key);
    return invoice === undefined ? undefined : this.accounts[invoice.accountIndex];
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
      this.plans.push({
        id,
        name: price.nickname ?? price.id,
        monthlyPriceCents: price.unit_amount ?? 0,
        entitlements: Number.isInteger(entitlements) ? entitlements : ENTITLEMENT_CORE,
      });
      this.planByPrice.set(price.id, id);
    }
    return id;
  }

  /**
   * Pass 1: takes what is fixed for the whole replay from one event. An event with no customer is
   * resolved through its invoice once pass 1 has read every link (`finalize`); false when it cannot be.
   */
  catalog(event: Stripe.Event): boolean {
    const createdMs = event.created * 1000;
    this.clockMs = Math.max(this.clockMs, createdMs);
    this.horizonMs = Math.max(this.horizonMs, this.clockMs - visibleFromMs(event));
    const refs = refsOf(event);
    this.links.note(refs);
    const customer = customerOf(event);
    if (customer === null) {
      if (refs === null) return false;
      const o = event.data.object as unknown as { payment_method?: unknown };
      this.deferred.push({ type: event.type, createdMs, refs, paymentMethod: idOf(o.payment_method) });
      return true;
    }
    const h = this.account(customer);
    h.firstCreatedMs = Math.min(h.firstCreatedMs, createdMs);
    const kind = kindOf(event);
    if (kind === 'invoice') this.catalogInvoice(h, event, event.data.object as unknown as Stripe.Invoice);
    else if (kind === 'charge') this.catalogCharge(event.data.object as unknown as Stripe.Charge);
    else if (kind === 'subscription')
      h.firstSubscription = earliest(h.firstSubscription, this.subscriptionVersion(event));
    else if (kind === 'customer') this.catalogCustomer(h, event);
    return true;
  }

  private catalogInvoice(h: AccountHistory, event: Stripe.Event, obj: Stripe.Invoice): void {
    if (typeof obj.id !== 'string' || !isStripeInvoiceStatus(obj.status as string | null | undefined)) return;
    let invoice = this.invoiceByKey.get(obj.id);
    if (invoice === undefined) {
      invoice = {
        key: obj.id,
        accountIndex: h.index,
        id: -1,
        kind: obj.billing_reason === 'subscription_update' ? 'upgrade' : 'renewal',
        createdAtMs: (obj.created ?? event.created) * 1000,
        paymentIntentId: null,
        versions: [],
        attempts: [],
        reported: [],
      };
      this.invoiceByKey.set(obj.id, invoice);
      h.ordered.push(invoice);
    }
    invoice.paymentIntentId ??= refsOf(event)?.intents[0] ?? null;
    if (typeof obj.customer_email === 'string') h.email = obj.customer_email;
    if (typeof obj.customer_name === 'string') h.name = obj.customer_name;
  }

  private catalogCharge(obj: Stripe.Charge): void {
    if (typeof obj.id === 'string' && (obj.status === 'succeeded' || obj.status === 'failed'))
      this.paymentMethod(obj.payment_method);
  }

  private catalogCustomer(h: AccountHistory, event: Stripe.Event): void {
    const obj = event.data.object as unknown as Stripe.Customer;
    const version = this.customerVersion(event);
    if (h.firstCustomer === null || byCreation(version, h.firstCustomer) < 0)
      h.firstCustomer = { ...version, changedAtS: -1 };
    if (typeof obj.email === 'string') h.email = obj.email;
    if (typeof obj.name === 'string') h.name = obj.name;
  }

  /** After pass 1: resolve the events with no customer, order each account's invoices by creation and number them. */
  finalize(): void {
    for (const d of this.deferred) {
      const key = this.links.invoiceOf(d.refs);
      const invoice = key === null ? undefined : this.invoiceByKey.get(key);
      if (invoice === undefined) {
        this.noCustomer[d.type] = (this.noCustomer[d.type] ?? 0) + 1;
        continue;
      }
      const h = this.accounts[invoice.accountIndex]!;
      h.firstCreatedMs = Math.min(h.firstCreatedMs, d.createdMs);
      this.paymentMethod(d.paymentMethod);
    }
    this.deferred = [];
    let nextInvoiceId = 0;
    for (const h of this.accounts) {
      h.ordered = h.ordered.sort((x, y) => x.createdAtMs - y.createdAtMs || x.key.localeCompare(y.key)).slice();
      for (const invoice of h.ordered) invoice.id = nextInvoiceId++;
      // Pass 2 never compares with the earliest versions: they are fallbacks only.
      if (h.firstSubscription !== null) h.firstSubscription.eventId = '';
      if (h.firstCustomer !== null) h.firstCustomer.eventId = '';
    }
  }

  /** The provider as it was at t (t at or after the low-water mark), dropping the account's versions no query can read any more. */
  providerAt(h: AccountHistory, tMs: number): SimProviderState {
    for (const invoice of h.ordered) invoice.versions = readable(invoice.versions, this.lowWaterMs);
    h.subscriptions = readable(h.subscriptions, this.lowWaterMs);
    h.customers = readable(h.customers, this.lowWaterMs);
    return providerAt(h, tMs);
  }

  /**
   * Drops, in every account, the versions no query can read any more and the
   * tie-breaking ids no new version can need (those of versions created at or
   * before the low-water mark: everything still to be read was created later).
   * Queries drop an account's stale versions too; this reaches the quiet ones.
   */
  sweep(): void {
    const low = this.lowWaterMs;
    for (const h of this.accounts) {
      for (const invoice of h.ordered) invoice.versions = settled(invoice.versions, low);
      h.subscriptions = settled(h.subscriptions, low);
      h.customers = settled(h.customers, low);
      // Once a version was created before any time still to be read, the earliest is no longer a fallback.
      if (readFrom(h.subscriptions, low)) h.firstSubscription = null;
      if (readFrom(h.customers, low)) h.firstCustomer = null;
    }
  }

  /** Pass 2: adds the versions and charges one event carries. */
  ingest(event: Stripe.Event): void {
    const h = this.accountOf(event);
    if (h === undefined) return;
    const kind = kindOf(event);
    if (kind === 'invoice') this.ingestInvoice(event);
    else if (kind === 'charge') this.ingestCharge(h, event);
    else if (kind === 'payment_intent') this.ingestIntent(h, event);
    else if (kind === 'subscription')
      h.subscriptions = this.inserted(h.subscriptions, this.subscriptionVersion(event), byCreation).list;
    else if (kind === 'customer') this.ingestCustomer(h, event);
  }

  private ingestInvoice(event: Stripe.Event): void {
    const obj = event.data.object as unknown as Stripe.Invoice;
    const status = obj.status as string | null | undefined;
    const invoice = typeof obj.id === 'string' ? this.invoiceByKey.get(obj.id) : undefined;
    if (invoice === undefined || !isStripeInvoiceStatus(status)) return;
    const paidAt = obj.status_transitions?.paid_at;
    if (event.type === 'invoice.payment_failed') noteReportedFailure(invoice, event.created * 1000, obj.attempt_count);
    invoice.versions = this.inserted(
      invoice.versions,
      {
        createdS: event.created,
        rank: STATUS_RANK[status],
        eventId: event.id,
        status,
        amountCents: obj.amount_due ?? 0,
        attemptCount: obj.attempt_count ?? 0,
        paidAtS: typeof paidAt === 'number' ? paidAt : event.created,
      },
      byVersionOrder,
    ).list;
  }

  private ingestCharge(h: AccountHistory, event: Stripe.Event): void {
    const obj = event.data.object as unknown as Stripe.Charge;
    if (typeof obj.id !== 'string' || (obj.status !== 'succeeded' && obj.status !== 'failed')) return;
    const outcome = obj.outcome as (Stripe.Charge.Outcome & { advice_code?: string | null }) | null | undefined;
    this.ingestAttempt(h, event, {
      chargeId: obj.id,
      createdMs: obj.created * 1000,
      succeeded: obj.status === 'succeeded',
      declineCode: outcome?.reason ?? null,
      code: obj.failure_code ?? null,
      networkDeclineCode: outcome?.network_decline_code ?? null,
      networkAdviceCode: outcome?.network_advice_code ?? null,
      paymentMethod: obj.payment_method ?? null,
      paymentMethodType: obj.payment_method_details?.type ?? null,
      cardBrand: obj.payment_method_details?.card?.brand ?? null,
    });
  }

  /**
   * A payment intent's attempt, for a stream that carries intents but not their charges: keyed by the
   * charge it names, so a charge event for the same attempt is not counted twice.
   */
  private ingestIntent(h: AccountHistory, event: Stripe.Event): void {
    if (event.type !== 'payment_intent.payment_failed' && event.type !== 'payment_intent.succeeded') return;
    const obj = event.data.object as unknown as Record<string, unknown>;
    const error = (obj.last_payment_error ?? null) as Stripe.PaymentIntent.LastPaymentError | null;
    const pm = (error?.payment_method ?? obj.payment_method ?? null) as Stripe.PaymentMethod | string | null;
    this.ingestAttempt(h, event, {
      chargeId: chargeOfIntent(obj) ?? `${String(obj.id)}@${event.created}`,
      createdMs: event.created * 1000,
      succeeded: event.type === 'payment_intent.succeeded',
      declineCode: error?.decline_code ?? null,
      code: error?.code ?? null,
      networkDeclineCode: (error as { network_decline_code?: string } | null)?.network_decline_code ?? null,
      networkAdviceCode: (error as { network_advice_code?: string } | null)?.network_advice_code ?? null,
      paymentMethod: idOf(pm),
      paymentMethodType: typeof pm === 'object' && pm !== null ? pm.type : null,
      cardBrand: typeof pm === 'object' && pm !== null ? (pm.card?.brand ?? null) : null,
    });
  }

  private ingestAttempt(h: AccountHistory, event: Stripe.Event, r: AttemptFacts): void {
    const invoice = this.invoiceOfEvent(h, event);
    if (
      invoice === undefined
        ? !this.newOrphanCharge(h, r.chargeId)
        : invoice.attempts.some((x) => x.chargeId === r.chargeId)
    )
      return;
    if (r.succeeded) h.firstSuccessMs = Math.min(h.firstSuccessMs, r.createdMs);
    if (invoice === undefined) return;
    const declineCode: DeclineCode | null = r.succeeded ? null : stripeDeclineCode(r.declineCode, r.code).declineCode;
    const attempt: AttemptRecord = {
      atMs: r.createdMs,
      paymentMethodId: this.paymentMethod(r.paymentMethod),
      // A card of a brand billsim does not know is checked against Visa's rules, the strictest.
      brand: cardBrandOf(r.paymentMethodType, r.cardBrand) ?? 'visa',
      declineCode,
      onSession: invoice.kind === 'upgrade',
      ...(r.networkDeclineCode === null ? {} : { networkDeclineCode: r.networkDeclineCode }),
      ...(r.networkAdviceCode === null ? {} : { networkAdviceCode: r.networkAdviceCode }),
    };
    const list = invoice.attempts;
    let k = list.length;
    while (k > 0 && byAttemptOrder(list[k - 1]!, r.createdMs, r.chargeId) > 0) k--;
    invoice.attempts = withItemAt(list, k, { chargeId: r.chargeId, attempt });
  }

  private newOrphanCharge(h: AccountHistory, chargeId: string): boolean {
    h.orphanCharges ??= new Set();
    if (h.orphanCharges.has(chargeId)) return false;
    h.orphanCharges.add(chargeId);
    return true;
  }

  private ingestCustomer(h: AccountHistory, event: Stripe.Event): void {
    const { list, at } = this.inserted(h.customers, this.customerVersion(event), byCreation);
    for (let j = at; j < list.length; j++) {
      const prev = list[j - 1],
        cur = list[j]!;
      cur.changedAtS =
        prev === undefined ? -1 : cur.paymentMethodId !== prev.paymentMethodId ? cur.createdS : prev.changedAtS;
    }
    h.customers = list;
  }

  private subscriptionVersion(event: Stripe.Event): SubscriptionVersion {
    const obj = event.data.object as unknown as Stripe.Subscription;
    return {
      createdS: event.created,
      eventId: event.id,
      status: subscriptionStatusOf(obj.status),
      planId: this.plan(obj.items?.data?.[0]?.price),
      cancelAtPeriodEnd: obj.cancel_at_period_end === true,
    };
  }

  private customerVersion(event: Stripe.Event): CustomerVersion {
    const obj = event.data.object as unknown as Stripe.Customer;
    return {
      createdS: event.created,
      eventId: event.id,
      paymentMethodId: this.paymentMethod(idOf(obj.invoice_settings?.default_payment_method ?? null)),
      changedAtS: -1,
    };
  }

  /**
   * A list with a version inserted in creation order, less the versions no
   * query can read any more (see `readable`), and where the new one landed.
   * Lists are copied at their exact length: most hold one to three versions.
   */
  private inserted<T extends Versioned>(
    list: readonly T[],
    version: T,
    order: (x: T, y: T) => number,
  ): { list: T[]; at: number } {
    let k = list.length;
    while (k > 0 && order(list[k - 1]!, version) > 0) k--;
    const next = withItemAt(list, k, version);
    const drop = supersededCount(next, this.lowWaterMs);
    return { list: drop > 0 ? next.slice(drop) : next, at: Math.max(0, k - drop) };
  }
}

/** A copy of a list, at its exact length, with an item inserted at k. */
function withItemAt<T>(list: readonly T[], k: number, item: T): T[] {
  const next = new Array<T>(list.length + 1);
  for (let j = 0; j < k; j++) next[j] = list[j]!;
  next[k] = item;
  for (let j = k; j < list.length; j++) next[j + 1] = list[j]!;
  return next;
}

/** The list less its unreadable versions, with the ids of those settled before the low-water mark forgotten. */
function settled<T extends Versioned>(list: readonly T[], lowWaterMs: number): readonly T[] {
  const kept = readable(list, lowWaterMs);
  for (const version of kept) if (version.createdS * 1000 <= lowWaterMs) version.eventId = '';
  return kept;
}

/** Whether every query at or after the low-water mark finds a version in the list. */
function readFrom(list: readonly Versioned[], lowWaterMs: number): boolean {
  return list.length > 0 && list[0]!.createdS * 1000 <= lowWaterMs;
}

/** How many leading versions are superseded by one created at or before the low-water mark. */
function supersededCount(list: readonly Versioned[], lowWaterMs: number): number {
  let drop = 0;
  while (drop + 1 < list.length && list[drop + 1]!.createdS * 1000 <= lowWaterMs) drop++;
  return drop;
}

/** The list less the versions no query at or after the low-water mark can read. */
function readable<T extends Versioned>(list: readonly T[], lowWaterMs: number): readonly T[] {
  const drop = supersededCount(list, lowWaterMs);
  return drop > 0 ? list.slice(drop) : list;
}

/** What an attempt's record says, from a charge or a payment intent. */
interface AttemptFacts {
  readonly chargeId: string;
  readonly createdMs: number;
  readonly succeeded: boolean;
  readonly declineCode: string | null;
  readonly code: string | null;
  readonly networkDeclineCode: string | null;
  readonly networkAdviceCode: string | null;
  readonly paymentMethod: string | null;
  readonly paymentMethodType: string | null;
  readonly cardBrand: string | null;
}

/** Notes an invoice's own report of a failed attempt once per attempt number, in creation order. */
function noteReportedFailure(invoice: RecordedInvoice, atMs: number, attemptCount: number | null | undefined): void {
  const attemptNumber = attemptCount ?? 0;
  if (invoice.reported.some((x) => x.attemptNumber === attemptNumber)) return;
  invoice.reported = [...invoice.reported, { attemptNumber, atMs }].sort(
    (x, y) => x.atMs - y.atMs || x.attemptNumber - y.attemptNumber,
  );
}

type EventKind = 'invoice' | 'charge' | 'payment_intent' | 'invoice_payment' | 'subscription' | 'customer' | 'other';

function kindOf(event: Stripe.Event): EventKind {
  const kind = paymentObjectKind(event);
  if (kind !== null) return kind;
  if (event.type.startsWith('customer.subscription.')) return 'subscription';
  if (event.type === 'customer.updated' || event.type === 'customer.created') return 'customer';
  return 'other';
}

/** When what an event carries becomes visible at the provider: its creation, or a charge's own if earlier. */
function visibleFromMs(event: Stripe.Event): number {
  const createdMs = event.created * 1000;
  const object = event.data.object as unknown as { object?: unknown; created?: unknown };
  return kindOf(event) === 'charge' && typeof object.created === 'number'
    ? Math.min(createdMs, object.created * 1000)
    : createdMs;
}

const STATUS_RANK: Readonly<Record<ProviderInvoiceStatus, number>> = {
  draft: 0,
  open: 1,
  paid: 2,
  uncollectible: 2,
  void: 2,
};

function byCreation(x: Versioned, y: Versioned): number {
  return x.createdS - y.createdS || x.eventId.localeCompare(y.eventId);
}

function byVersionOrder(x: InvoiceVersion, y: InvoiceVersion): number {
  return (
    x.createdS - y.createdS || x.rank - y.rank || x.attemptCount - y.attemptCount || x.eventId.localeCompare(y.eventId)
  );
}

function byAttemptOrder(x: RecordedAttempt, createdMs: number, chargeId: string): number {
  return x.attempt.atMs - createdMs || x.chargeId.localeCompare(chargeId);
}

function earliest<T extends Versioned>(current: T | null, candidate: T): T {
  return current === null || byCreation(candidate, current) < 0 ? candidate : current;
}

/** The latest entry created at or before t in a creation-ordered list. */
function latestAt<T extends Versioned>(list: readonly T[], tMs: number): T | undefined {
  let found: T | undefined;
  for (const item of list) {
    if (item.createdS * 1000 > tMs) break;
    found = item;
  }
  return found;
}

/** The provider (store `stripe`) as it was at time t (t at or after the world's low-water mark). */
export function providerAt(h: AccountHistory, tMs: number): SimProviderState {
  let visible = 0;
  for (const recorded of h.ordered) if (latestAt(recorded.versions, tMs) !== undefined) visible++;
  const invoices = new Array<SimInvoice>(visible); // exact length: the state is kept per account
  let k = 0;
  for (const recorded of h.ordered) {
    const invoice = invoiceAt(h, recorded, tMs);
    if (invoice !== null) invoices[k++] = invoice;
  }
  const sub = latestAt(h.subscriptions, tMs) ?? h.firstSubscription;
  const customer = latestAt(h.customers, tMs) ?? h.firstCustomer;
  return {
    provider: 'stripe',
    subscriptionStatus: sub?.status ?? 'active',
    planId: sub?.planId ?? 0,
    cancelAtPeriodEnd: sub?.cancelAtPeriodEnd === true,
    defaultPaymentMethodId: customer?.paymentMethodId ?? -1,
    paymentMethodUpdatedAtMs: msOf(customer?.changedAtS ?? -1),
    hasSucceededCharge: h.firstSuccessMs <= tMs,
    invoices,
  };
}

function invoiceAt(h: AccountHistory, recorded: RecordedInvoice, tMs: number): SimInvoice | null {
  const version = latestAt(recorded.versions, tMs);
  if (version === undefined) return null;
  const attempts = attemptsAt(recorded, tMs);
  const firstFailure = attempts.find((x) => x.declineCode !== null);
  return {
    id: recorded.id,
    kind: recorded.kind,
    status: version.status,
    amountCents: version.amountCents,
    createdAtMs: recorded.createdAtMs,
    firstFailedAtMs: recorded.kind === 'renewal' && firstFailure !== undefined ? firstFailure.atMs : -1,
    paidAtMs: version.status === 'paid' ? version.paidAtS * 1000 : -1,
    attempts,
    accountId: h.index,
    mutationId: -1,
  };
}

/**
 * The attempts on an invoice by t: the recorded charges (and intents), plus a failed attempt for each
 * failure the invoice reported beyond the failed charges linked to it (an `invoice.payment_failed`
 * with no payment method on file, or whose charge was never delivered). Its reason is unknown:
 * `generic_decline`, on no payment method (-1).
 */
function attemptsAt(recorded: RecordedInvoice, tMs: number): AttemptRecord[] {
  let made = 0,
    failed = 0;
  while (made < recorded.attempts.length && recorded.attempts[made]!.attempt.atMs <= tMs)
    if (recorded.attempts[made++]!.attempt.declineCode !== null) failed++;
  let reported = 0;
  while (reported < recorded.reported.length && recorded.reported[reported]!.atMs <= tMs) reported++;
  const attempts: AttemptRecord[] = made === 0 ? [] : recorded.attempts.slice(0, made).map((x) => x.attempt);
  if (reported <= failed) return attempts;
  for (const r of recorded.reported.slice(failed, reported))
    attempts.push({
      atMs: r.atMs,
      paymentMethodId: -1,
      brand: 'visa',
      declineCode: 'generic_decline',
      onSession: recorded.kind === 'upgrade',
    });
  return attempts.sort((x, y) => x.atMs - y.atMs);
}

/** Whether an invoice's failures are known only from the invoice (no charge or intent linked to it). */
export function failureLinks(recorded: RecordedInvoice): { failed: boolean; linked: boolean } {
  const failedCharge = recorded.attempts.some((x) => x.attempt.declineCode !== null);
  return { failed: failedCharge || recorded.reported.length > 0, linked: recorded.attempts.length > 0 };
}

function msOf(seconds: number): number {
  return seconds < 0 ? -1 : seconds * 1000;
}

/** The customer an event is about: the object's customer, or the customer object itself. */
export function customerOf(event: Stripe.Event): string | null {
  const object = event.data.object as unknown as {
    object?: string;
    id?: unknown;
    customer?: string | { id: string } | null;
  };
  if (object.object === 'customer') return typeof object.id === 'string' ? object.id : null;
  return idOf(object.customer ?? null);
}

export { idOf };
