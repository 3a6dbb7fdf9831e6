/**
 * PaymentProviderPort on Stripe, through the official `stripe` client.
 *
 * - Writes carry the caller's idempotency key (multi-call writes derive one key
 *   per call from it: `<key>:invoice`, `<key>:item`, `<key>:finalize`).
 * - A subscription is created with `payment_behavior: 'default_incomplete'`
 *   (it stays `incomplete` until its first invoice is paid) and updated with
 *   'pending_if_incomplete' unless the caller's ordering policy says
 *   'default_incomplete' (`PaymentOrdering.updatePaymentBehavior`): Stripe then
 *   holds the change until its invoice is paid, as the simulator does; under
 *   default_incomplete it applies the change at once, paid or not.
 * - A card decline is returned as data: Stripe's `decline_code` / `code` (from
 *   the error or the PaymentIntent's `last_payment_error`) maps to the policies'
 *   DeclineCode vocabulary; unknown codes become 'generic_decline' with
 *   `unmapped: true` and the raw codes kept.
 * Stripe seconds become milliseconds; amounts are already integer minor units.
 */
import Stripe from 'stripe';
import type {
  AttemptOutcome,
  CancelSubscriptionRequest,
  ResumeSubscriptionRequest,
  ChangeSubscriptionRequest,
  CreateInvoiceRequest,
  CreateSubscriptionRequest,
  EventPage,
  InvoiceActionRequest,
  ListEventsRequest,
  MutationResult,
  PaymentMethodBrand,
  PaymentMethodKind,
  PaymentProviderPort,
  PayInvoiceRequest,
  PayInvoiceResult,
  ProviderCustomer,
  ProviderDeclineDetail,
  ProviderEvent,
  ProviderInvoice,
  ProviderPaymentMethod,
  ProviderSubscription,
  ProviderSubscriptionItem,
  ProviderSubscriptionStatus,
} from '../../../policies/ports.js';
import type { ProviderInvoiceStatus } from '../../../policies/types.js';
import {
  cardBrandOf,
  isStripeInvoiceStatus,
  isStripeSubscriptionStatus,
  stripeDeclineCode,
} from '../../../policies/stripe-vocabulary.js';

/** Where to reach Stripe (or stripe-mock). */
export interface StripeConnectionOptions {
  readonly apiKey: string;
  readonly host?: string;
  readonly port?: number;
  readonly protocol?: 'http' | 'https';
  readonly maxNetworkRetries?: number;
  readonly timeoutMs?: number;
}

type StripeInvoice = Stripe.Invoice;
type StripeSubscription = Stripe.Subscription;

const secToMs = (s: number): number => s * 1000;
const optSecToMs = (s: number | null | undefined): number | null => (s === null || s === undefined ? null : s * 1000);
const idOf = (v: string | { id: string } | null | undefined): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : v.id;
const nonEmpty = (v: string | null | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : v;
const metadataOf = (m: Stripe.Metadata | null | undefined): Record<string, string> => ({ ...(m ?? {}) });

// ---------------------------------------------------------------------------
// Decline mapping (pure; exported for tests)

/** Stripe's error codes that mean "the customer must act" rather than "declined". */
const REQUIRES_ACTION_CODES = new Set(['invoice_payment_intent_requires_action', 'payment_intent_action_required']);

/** The decline fields of a Stripe error or a PaymentIntent's last_payment_error, empty strings as absent. */
interface StripeDeclineFields {
  readonly code?: string | null;
  readonly decline_code?: string | null;
  readonly advice_code?: string | null;
  readonly network_decline_code?: string | null;
  readonly network_advice_code?: string | null;
  readonly message?: string | null;
}

/** The detail of a decline, read from the first of `sources` that has each field. */
function detailOf(...sources: readonly (StripeDeclineFields | null | undefined)[]): ProviderDeclineDetail {
  const first = (pick: (f: StripeDeclineFields) => string | null | undefined): string | null => {
    for (const s of sources) {
      const value = s === null || s === undefined ? null : nonEmpty(pick(s));
      if (value !== null) return value;
    }
    return null;
  };
  const code = first((f) => f.code);
  const declineCode = first((f) => f.decline_code);
  return {
    code,
    declineCode,
    adviceCode: first((f) => f.advice_code),
    networkDeclineCode: first((f) => f.network_decline_code),
    networkAdviceCode: first((f) => f.network_advice_code),
    message: first((f) => f.message),
    unmapped: stripeDeclineCode(declineCode, code).unmapped,
  };
}

/**
 * The outcome of a failed Stripe payment call, or null when the error is not
 * about the payment (bad request, auth, ...: the caller rethrows those).
 */
export function outcomeFromStripeError(
  err: unknown,
): { readonly outcome: AttemptOutcome; readonly decline: ProviderDeclineDetail | null } | null {
  if (!(err instanceof Stripe.errors.StripeError)) return null;
  if (err instanceof Stripe.errors.StripeConnectionError) {
    // The request may or may not have reached the issuer: an unknown result.
    return { outcome: { kind: 'timeout' }, decline: detailOf({ code: err.code ?? null, message: err.message }) };
  }
  const lpe = err.payment_intent?.last_payment_error ?? null;
  // StripeCardError sets decline_code to '' when Stripe sent none: detailOf treats empty as absent.
  const detail = detailOf(err, lpe);
  const { code, declineCode } = detail;
  if (code !== null && REQUIRES_ACTION_CODES.has(code))
    return { outcome: { kind: 'requires_action' }, decline: detail };
  if (err instanceof Stripe.errors.StripeCardError || declineCode !== null || lpe !== null) {
    return {
      outcome: { kind: 'declined', declineCode: stripeDeclineCode(declineCode, code).declineCode },
      decline: detail,
    };
  }
  return null;
}

/** The outcome a PaymentIntent's state implies (for callers holding one, e.g. from an event). */
export function outcomeFromPaymentIntent(pi: Stripe.PaymentIntent): {
  readonly outcome: AttemptOutcome;
  readonly decline: ProviderDeclineDetail | null;
} {
  const lpe = pi.last_payment_error;
  switch (pi.status) {
    case 'succeeded':
      return { outcome: { kind: 'succeeded' }, decline: null };
    case 'processing':
      return { outcome: { kind: 'pending' }, decline: null };
    case 'requires_action':
    case 'requires_confirmation':
      return { outcome: { kind: 'requires_action' }, decline: null };
    default: {
      if (!lpe) return { outcome: { kind: 'pending' }, decline: null };
      const decline = detailOf(lpe);
      return {
        outcome: { kind: 'declined', declineCode: stripeDeclineCode(decline.declineCode, decline.code).declineCode },
        decline,
      };
    }
  }
}

// ---------------------------------------------------------------------------
// Response mapping (pure; exported for tests)

function invoiceStatusOf(status: string | null): ProviderInvoiceStatus {
  if (status === null) return 'draft';
  if (isStripeInvoiceStatus(status)) return status;
  throw new Error(`Stripe returned an unknown invoice status: ${status}`);
}

export function toProviderInvoice(inv: StripeInvoice): ProviderInvoice {
  const st = inv.status_transitions;
  return {
    id: inv.id,
    customerId: idOf(inv.customer),
    subscriptionId: idOf(inv.parent?.subscription_details?.subscription ?? null),
    status: invoiceStatusOf(inv.status),
    currency: inv.currency,
    totalCents: inv.total,
    amountDueCents: inv.amount_due,
    amountPaidCents: inv.amount_paid,
    amountRemainingCents: inv.amount_remaining,
    attemptCount: inv.attempt_count,
    nextPaymentAttemptAtMs: optSecToMs(inv.next_payment_attempt),
    createdAtMs: secToMs(inv.created),
    dueAtMs: optSecToMs(inv.due_date),
    finalizedAtMs: optSecToMs(st?.finalized_at),
    paidAtMs: optSecToMs(st?.paid_at),
    voidedAtMs: optSecToMs(st?.voided_at),
    markedUncollectibleAtMs: optSecToMs(st?.marked_uncollectible_at),
    billingReason: inv.billing_reason ?? null,
    metadata: metadataOf(inv.metadata),
  };
}

function toItem(item: Stripe.SubscriptionItem): ProviderSubscriptionItem {
  return {
    id: item.id,
    priceId: item.price.id,
    quantity: item.quantity ?? 1,
    unitAmountCents: item.price.unit_amount ?? null,
    currentPeriodStartMs: optSecToMs(item.current_period_start),
    currentPeriodEndMs: optSecToMs(item.current_period_end),
  };
}

export function toProviderSubscription(sub: StripeSubscription): ProviderSubscription {
  if (!isStripeSubscriptionStatus(sub.status))
    throw new Error(`Stripe returned an unknown subscription status: ${sub.status}`);
  const customerId = idOf(sub.customer);
  if (customerId === null) throw new Error(`Stripe subscription ${sub.id} has no customer`);
  return {
    id: sub.id,
    customerId,
    status: sub.status as ProviderSubscriptionStatus,
    items: (sub.items?.data ?? []).map(toItem),
    latestInvoiceId: idOf(sub.latest_invoice),
    defaultPaymentMethodId: idOf(sub.default_payment_method),
    hasPendingUpdate: sub.pending_update !== null && sub.pending_update !== undefined,
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    createdAtMs: secToMs(sub.created),
    canceledAtMs: optSecToMs(sub.canceled_at),
    endedAtMs: optSecToMs(sub.ended_at),
    metadata: metadataOf(sub.metadata),
  };
}

export function toProviderCustomer(c: Stripe.Customer | Stripe.DeletedCustomer): ProviderCustomer {
  if (c.deleted) {
    return {
      id: c.id,
      deleted: true,
      email: null,
      name: null,
      defaultPaymentMethodId: null,
      delinquent: false,
      balanceCents: 0,
      createdAtMs: null,
      metadata: {},
    };
  }
  return {
    id: c.id,
    deleted: false,
    email: c.email,
    name: c.name ?? null,
    defaultPaymentMethodId: idOf(c.invoice_settings?.default_payment_method ?? null),
    delinquent: c.delinquent ?? false,
    balanceCents: c.balance,
    createdAtMs: secToMs(c.created),
    metadata: metadataOf(c.metadata),
  };
}

function kindOf(type: string): PaymentMethodKind {
  if (type === 'card') return 'card';
  if (type === 'paypal') return 'paypal';
  if (type === 'sepa_debit' || type === 'us_bank_account' || type === 'bacs_debit' || type === 'acss_debit')
    return 'bank_debit';
  return 'other';
}

export function toProviderPaymentMethod(pm: Stripe.PaymentMethod): ProviderPaymentMethod {
  const card = pm.type === 'card' ? pm.card : undefined;
  const brand: PaymentMethodBrand | null = cardBrandOf(pm.type, card?.brand);
  return {
    id: pm.id,
    customerId: idOf(pm.customer),
    kind: kindOf(pm.type),
    brand,
    last4: card?.last4 ?? null,
    expMonth: card?.exp_month ?? null,
    expYear: card?.exp_year ?? null,
    createdAtMs: secToMs(pm.created),
  };
}

export function toProviderEvent(ev: Stripe.Event): ProviderEvent {
  const obj = ev.data.object as unknown as { object?: string; id?: string };
  const objectType = typeof obj.object === 'string' ? obj.object : 'unknown';
  let subject: ProviderEvent['subject'];
  if (objectType === 'invoice')
    subject = { kind: 'invoice', invoice: toProviderInvoice(obj as unknown as StripeInvoice) };
  else if (objectType === 'subscription') {
    subject = { kind: 'subscription', subscription: toProviderSubscription(obj as unknown as StripeSubscription) };
  } else subject = { kind: 'other', objectType, objectId: typeof obj.id === 'string' ? obj.id : null };
  return { id: ev.id, type: ev.type, createdAtMs: secToMs(ev.created), subject };
}

// ---------------------------------------------------------------------------

export class StripeProvider implements PaymentProviderPort {
  readonly provider = 'stripe' as const;
  readonly stripe: Stripe;

  constructor(client: Stripe | StripeConnectionOptions) {
    if (client instanceof Stripe) {
      this.stripe = client;
    } else {
      this.stripe = new Stripe(client.apiKey, {
        ...(client.host !== undefined ? { host: client.host } : {}),
        ...(client.port !== undefined ? { port: client.port } : {}),
        ...(client.protocol !== undefined ? { protocol: client.protocol } : {}),
        maxNetworkRetries: client.maxNetworkRetries ?? 0,
        timeout: client.timeoutMs ?? 20_000,
        telemetry: false,
      });
    }
  }

  async createSubscription(req: CreateSubscriptionRequest): Promise<MutationResult> {
    const sub = await this.stripe.subscriptions.create(
      {
        customer: req.customerId,
        items: [{ price: req.priceId, quantity: req.quantity ?? 1 }],
        payment_behavior: 'default_incomplete',
        collection_method: 'charge_automatically',
        ...(req.paymentMethodId !== undefined ? { default_payment_method: req.paymentMethodId } : {}),
        ...(req.metadata !== undefined ? { metadata: { ...req.metadata } } : {}),
        expand: ['latest_invoice'],
      },
      { idempotencyKey: req.idempotencyKey },
    );
    return this.mutationResult(sub);
  }

  async changeSubscription(req: ChangeSubscriptionRequest): Promise<MutationResult> {
    const behavior = req.paymentBehavior ?? 'pending_if_incomplete';
    const sub = await this.stripe.subscriptions.update(
      req.subscriptionId,
      {
        items: [
          { id: req.itemId, price: req.newPriceId, ...(req.quantity !== undefined ? { quantity: req.quantity } : {}) },
        ],
        payment_behavior: behavior,
        proration_behavior: req.invoiceProrationNow === false ? 'create_prorations' : 'always_invoice',
        // Pending updates accept only a subset of parameters; metadata is not one of them.
        ...(req.metadata !== undefined && behavior !== 'pending_if_incomplete'
          ? { metadata: { ...req.metadata } }
          : {}),
        expand: ['latest_invoice'],
      },
      { idempotencyKey: req.idempotencyKey },
    );
    return this.mutationResult(sub);
  }

  async createInvoice(req: CreateInvoiceRequest): Promise<ProviderInvoice> {
    const draft = await this.stripe.invoices.create(
      {
        customer: req.customerId,
        currency: req.currency,
        description: req.description,
        collection_method: 'charge_automatically',
        auto_advance: false,
        pending_invoice_items_behavior: 'exclude',
        ...(req.metadata !== undefined ? { metadata: { ...req.metadata } } : {}),
      },
      { idempotencyKey: `${req.idempotencyKey}:invoice` },
    );
    await this.stripe.invoiceItems.create(
      {
        customer: req.customerId,
        invoice: draft.id,
        amount: req.amountCents,
        currency: req.currency,
        description: req.description,
      },
      { idempotencyKey: `${req.idempotencyKey}:item` },
    );
    const finalized = await this.stripe.invoices.finalizeInvoice(
      draft.id,
      { auto_advance: false },
      { idempotencyKey: `${req.idempotencyKey}:finalize` },
    );
    return toProviderInvoice(finalized);
  }

  async payInvoice(req: PayInvoiceRequest): Promise<PayInvoiceResult> {
    try {
      const inv = await this.stripe.invoices.pay(
        req.invoiceId,
        {
          off_session: req.offSession ?? true,
          ...(req.paymentMethodId !== undefined ? { payment_method: req.paymentMethodId } : {}),
        },
        { idempotencyKey: req.idempotencyKey },
      );
      const invoice = toProviderInvoice(inv);
      const outcome: AttemptOutcome =
        invoice.status === 'paid' || invoice.amountRemainingCents === 0 ? { kind: 'succeeded' } : { kind: 'pending' };
      return { invoiceId: req.invoiceId, outcome, decline: null, invoice };
    } catch (err) {
      const mapped = outcomeFromStripeError(err);
      if (mapped === null) throw err;
      return { invoiceId: req.invoiceId, ...mapped, invoice: await this.tryGetInvoice(req.invoiceId) };
    }
  }

  async getInvoice(invoiceId: string): Promise<ProviderInvoice> {
    return toProviderInvoice(await this.stripe.invoices.retrieve(invoiceId));
  }

  async getSubscription(subscriptionId: string): Promise<ProviderSubscription> {
    return toProviderSubscription(await this.stripe.subscriptions.retrieve(subscriptionId));
  }

  async getCustomer(customerId: string): Promise<ProviderCustomer> {
    return toProviderCustomer(await this.stripe.customers.retrieve(customerId));
  }

  async listPaymentMethods(customerId: string): Promise<readonly ProviderPaymentMethod[]> {
    const out: ProviderPaymentMethod[] = [];
    for await (const pm of this.stripe.customers.listPaymentMethods(customerId, { limit: 100 })) {
      out.push(toProviderPaymentMethod(pm));
      if (out.length >= 1000) break; // a customer with more is a data problem, not a recovery case
    }
    return out;
  }

  async markUncollectible(req: InvoiceActionRequest): Promise<ProviderInvoice> {
    const inv = await this.stripe.invoices.markUncollectible(req.invoiceId, {}, { idempotencyKey: req.idempotencyKey });
    return toProviderInvoice(inv);
  }

  async voidInvoice(req: InvoiceActionRequest): Promise<ProviderInvoice> {
    const inv = await this.stripe.invoices.voidInvoice(req.invoiceId, {}, { idempotencyKey: req.idempotencyKey });
    return toProviderInvoice(inv);
  }

  /**
   * 'immediately' deletes the subscription (Stripe: DELETE /v1/subscriptions/:id); 'end_of_term' sets
   * cancel_at_period_end. Neither prorates or invoices anything: the customer owes what they owed.
   */
  async cancelSubscription(req: CancelSubscriptionRequest): Promise<ProviderSubscription> {
    const options = { idempotencyKey: req.idempotencyKey };
    const sub =
      req.when === 'immediately'
        ? await this.stripe.subscriptions.cancel(req.subscriptionId, { invoice_now: false, prorate: false }, options)
        : await this.stripe.subscriptions.update(req.subscriptionId, { cancel_at_period_end: true }, options);
    return toProviderSubscription(sub);
  }

  /** Clears cancel_at_period_end: the subscription renews as usual. */
  async resumeSubscription(req: ResumeSubscriptionRequest): Promise<ProviderSubscription> {
    const sub = await this.stripe.subscriptions.update(
      req.subscriptionId,
      { cancel_at_period_end: false },
      { idempotencyKey: req.idempotencyKey },
    );
    return toProviderSubscription(sub);
  }

  async listEventsSince(req: ListEventsRequest): Promise<EventPage> {
    // Stripe lists newest first; ending_before=<cursor> gives the page of events
    // immediately newer than the cursor. Reverse it to oldest-first.
    const page = await this.stripe.events.list({
      limit: Math.min(Math.max(req.limit ?? 100, 1), 100),
      ...(req.afterCursor !== null ? { ending_before: req.afterCursor } : {}),
      ...(req.types !== undefined && req.types.length > 0 ? { types: [...req.types] } : {}),
    });
    const events = page.data.map(toProviderEvent).reverse();
    const newest = events[events.length - 1];
    return {
      events,
      nextCursor: newest !== undefined ? newest.id : req.afterCursor,
      // Without a cursor the page is the newest one: nothing newer exists yet.
      hasMore: req.afterCursor !== null && page.has_more,
    };
  }

  private async mutationResult(sub: StripeSubscription): Promise<MutationResult> {
    const latest = sub.latest_invoice;
    let invoice: ProviderInvoice | null = null;
    if (typeof latest === 'string') invoice = await this.getInvoice(latest);
    else if (latest !== null && latest !== undefined) invoice = toProviderInvoice(latest);
    return { subscription: toProviderSubscription(sub), invoice };
  }

  private async tryGetInvoice(invoiceId: string): Promise<ProviderInvoice | null> {
    try {
      return await this.getInvoice(invoiceId);
    } catch {
      return null;
    }
  }
}
