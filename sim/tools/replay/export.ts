/**
 * `billsim run --export-events`: a simulated run written as the Stripe event
 * stream a platform would have received, in delivery order. Each event's
 * object is a snapshot taken when the provider emitted it (as Stripe renders
 * `data.object`); duplicates are written as often as they were delivered;
 * events still in flight at the end of the run are appended last. The header
 * carries the settle window that makes a replay end where the run ended.
 */
import type Stripe from 'stripe';
import type { WebhookPayload } from '../../../policies/dunning/webhook.js';
import type { DeclineCode, Plan } from '../../../policies/types.js';
import type { PolicySet } from '../../../policies/sets.js';
import { resultOf, type RunOptions } from '../../world/engine/run.js';
import { Simulation, type EventSink } from '../../world/engine/simulation.js';
import type { RunResult } from '../../world/result.js';
import type { Scenario } from '../../world/scenario/schema.js';
import type { AccountState, SimInvoice } from '../../world/model/state.js';
import { replayHeader, ReplayWriter } from './format.js';
import {
  chargeId,
  customerId,
  epochSeconds,
  eventId,
  invoiceKey,
  paymentIntentId,
  paymentMethodId,
  priceId,
  subscriptionId,
} from './ids.js';
import { syntheticPerson } from './pii.js';
import { finalState, type FinalAccount } from './replay.js';
import { stripeDeclineFields } from '../../../policies/stripe-vocabulary.js';

interface Created {
  readonly event: Stripe.Event;
  readonly createdMs: number;
}

export class EventExporter implements EventSink {
  private readonly inFlight = new Map<WebhookPayload, Created>();
  private lastCreatedMs = 0;
  private readonly writer: ReplayWriter;

  constructor(
    path: string,
    private readonly plans: readonly Plan[],
  ) {
    this.writer = new ReplayWriter(path);
  }

  /** The world as populated: each customer and subscription, created at time 0. */
  start(accounts: readonly AccountState[]): void {
    for (const a of accounts) for (const event of startEvents(a, this.plans)) this.writer.write(event);
  }

  created(a: AccountState, payload: WebhookPayload, invoice: SimInvoice | null): void {
    const event = providerEvent(a, payload, invoice, this.plans);
    this.inFlight.set(payload, { event, createdMs: payload.createdMs });
    this.lastCreatedMs = Math.max(this.lastCreatedMs, payload.createdMs);
  }

  delivered(payload: WebhookPayload, lastDelivery: boolean): void {
    const created = this.inFlight.get(payload);
    if (created === undefined) return;
    this.writer.write(created.event);
    if (lastDelivery) this.inFlight.delete(payload);
  }

  /** Appends the undelivered events (by creation), then moves the file into place with its header. */
  finish(endMs: number, seed: number, command: string): void {
    const left = [...this.inFlight.values()].sort(
      (x, y) => x.createdMs - y.createdMs || x.event.id.localeCompare(y.event.id),
    );
    for (const c of left) this.writer.write(c.event);
    const lastCreatedMs = epochSeconds(this.lastCreatedMs) * 1000;
    this.writer.finish(replayHeader({ seed, command, settleMs: epochSeconds(0) * 1000 + endMs - lastCreatedMs }));
  }

  abort(): void {
    this.writer.abort();
  }
}

/**
 * A Stripe object as billsim writes it: any subset of the fields, each of the
 * type the `stripe` package declares, so the compiler checks every exported
 * field's name and type against Stripe's own API types.
 */
export type StripeShape<T> = T extends readonly (infer U)[]
  ? StripeShape<U>[]
  : T extends object
    ? { [K in keyof T]?: StripeShape<T[K]> }
    : T;

/** An account as populated: its customer and subscription, created at time 0. */
export function startEvents(a: AccountState, plans: readonly Plan[]): Stripe.Event[] {
  return [
    asEvent(eventId(a.accountId, 'c'), 'customer.created', 0, customerObject(a)),
    asEvent(eventId(a.accountId, 's'), 'customer.subscription.created', 0, subscriptionObject(a, plans)),
  ];
}

/** One provider event as Stripe renders it: its object a snapshot of the account (and invoice) now. */
export function providerEvent(
  a: AccountState,
  payload: Pick<WebhookPayload, 'eventId' | 'type' | 'createdMs'>,
  invoice: SimInvoice | null,
  plans: readonly Plan[],
): Stripe.Event {
  return asEvent(
    eventId(a.accountId, payload.eventId),
    payload.type,
    payload.createdMs,
    objectFor(a, payload.type, invoice, plans),
  );
}

function asEvent(id: string, type: Stripe.Event.Type, createdMs: number, object: object): Stripe.Event {
  return {
    id,
    object: 'event',
    api_version: '2025-03-31.basil',
    created: epochSeconds(createdMs),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  } as unknown as Stripe.Event;
}

function objectFor(
  a: AccountState,
  type: WebhookPayload['type'],
  invoice: SimInvoice | null,
  plans: readonly Plan[],
): object {
  if (type.startsWith('invoice.')) return invoiceObject(a, invoice!);
  if (type.startsWith('charge.')) return chargeObject(a, invoice!);
  if (type.startsWith('payment_intent.')) return paymentIntentObject(a, invoice!, type);
  if (type.startsWith('customer.subscription.')) return subscriptionObject(a, plans);
  if (type === 'payment_method.attached') return paymentMethodObject(a);
  return customerObject(a);
}

function invoiceObject(a: AccountState, i: SimInvoice): StripeShape<Stripe.Invoice> {
  const person = syntheticPerson(a.accountId);
  const at = (ms: number): number | null => (ms < 0 ? null : epochSeconds(ms));
  return {
    id: invoiceKey(i.id),
    object: 'invoice',
    customer: customerId(a.accountId),
    status: i.status,
    amount_due: i.amountCents,
    amount_paid: i.status === 'paid' ? i.amountCents : 0,
    amount_remaining: i.status === 'paid' ? 0 : i.amountCents,
    currency: 'usd',
    attempt_count: i.attempts.length,
    attempted: i.attempts.length > 0,
    billing_reason: i.kind === 'renewal' ? 'subscription_cycle' : 'subscription_update',
    collection_method: 'charge_automatically',
    created: epochSeconds(i.createdAtMs),
    customer_email: person.email,
    customer_name: person.name,
    customer_phone: person.phone,
    customer_address: person.address,
    status_transitions: {
      finalized_at: epochSeconds(i.createdAtMs),
      paid_at: at(i.paidAtMs),
      voided_at: null,
      marked_uncollectible_at: null,
    },
    parent: {
      type: 'subscription_details',
      quote_details: null,
      subscription_details: { subscription: subscriptionId(a.accountId) },
    },
    payments: {
      object: 'list',
      has_more: false,
      url: `/v1/invoices/${invoiceKey(i.id)}/payments`,
      data: [
        {
          object: 'invoice_payment',
          invoice: invoiceKey(i.id),
          is_default: true,
          status: i.status === 'paid' ? 'paid' : 'open',
          payment: { type: 'payment_intent', payment_intent: paymentIntentId(i.id) },
        },
      ],
    },
  };
}

function chargeObject(a: AccountState, i: SimInvoice): StripeShape<Stripe.Charge> {
  const k = i.attempts.length - 1;
  const attempt = i.attempts[k]!;
  const person = syntheticPerson(a.accountId);
  const failed = attempt.declineCode !== null;
  const decline = attempt.declineCode === null ? null : stripeDeclineFields(attempt.declineCode);
  return {
    id: chargeId(i.id, k),
    object: 'charge',
    customer: customerId(a.accountId),
    amount: i.amountCents,
    currency: 'usd',
    created: epochSeconds(attempt.atMs),
    payment_intent: paymentIntentId(i.id),
    payment_method: paymentMethodId(a.accountId, attempt.paymentMethodId),
    status: failed ? 'failed' : 'succeeded',
    paid: !failed,
    failure_code: decline?.code ?? null,
    failure_message: failed ? 'Your card was declined.' : null,
    outcome: {
      type: failed ? 'issuer_declined' : 'authorized',
      reason: decline?.declineCode ?? null,
      network_status: failed ? 'declined_by_network' : 'approved_by_network',
    },
    payment_method_details:
      attempt.brand === 'paypal'
        ? { type: 'paypal', paypal: { payer_email: person.email } }
        : { type: 'card', card: { brand: attempt.brand, last4: person.last4, fingerprint: person.fingerprint } },
    billing_details: { name: person.name, email: person.email, phone: person.phone, address: person.address },
  };
}

function paymentIntentObject(a: AccountState, i: SimInvoice, type: string): StripeShape<Stripe.PaymentIntent> {
  const last = i.attempts[i.attempts.length - 1];
  const status =
    type === 'payment_intent.succeeded'
      ? 'succeeded'
      : type === 'payment_intent.requires_action'
        ? 'requires_action'
        : 'requires_payment_method';
  return {
    id: paymentIntentId(i.id),
    object: 'payment_intent',
    customer: customerId(a.accountId),
    amount: i.amountCents,
    currency: 'usd',
    status,
    payment_method: paymentMethodId(a.accountId, a.stripe.defaultPaymentMethodId),
    last_payment_error: last?.declineCode ? { type: 'card_error', ...lastPaymentError(last.declineCode) } : null,
  };
}

function lastPaymentError(declineCode: DeclineCode): { code: string; decline_code: string } {
  const fields = stripeDeclineFields(declineCode);
  return { code: fields.code, decline_code: fields.declineCode };
}

function subscriptionObject(a: AccountState, plans: readonly Plan[]): StripeShape<Stripe.Subscription> {
  const plan = plans.find((p) => p.id === a.stripe.planId)!;
  return {
    id: subscriptionId(a.accountId),
    object: 'subscription',
    customer: customerId(a.accountId),
    status: a.stripe.subscriptionStatus,
    cancel_at_period_end: a.stripe.cancelAtPeriodEnd === true,
    items: {
      object: 'list',
      data: [
        {
          object: 'subscription_item',
          quantity: 1,
          price: {
            id: priceId(plan.id),
            object: 'price',
            unit_amount: plan.monthlyPriceCents,
            currency: 'usd',
            nickname: plan.name,
            metadata: { entitlements: String(plan.entitlements) },
          },
        },
      ],
    },
  };
}

function customerObject(a: AccountState): StripeShape<Stripe.Customer> {
  const person = syntheticPerson(a.accountId);
  return {
    id: customerId(a.accountId),
    object: 'customer',
    email: person.email,
    name: person.name,
    phone: person.phone,
    address: person.address,
    invoice_settings: { default_payment_method: paymentMethodId(a.accountId, a.stripe.defaultPaymentMethodId) },
  };
}

function paymentMethodObject(a: AccountState): StripeShape<Stripe.PaymentMethod> {
  const person = syntheticPerson(a.accountId);
  const card = a.sim.card;
  return {
    id: paymentMethodId(a.accountId, card.id),
    object: 'payment_method',
    customer: customerId(a.accountId),
    type: card.brand === 'paypal' ? 'paypal' : 'card',
    ...(card.brand === 'paypal'
      ? { paypal: { payer_email: person.email } }
      : {
          card: {
            brand: card.brand,
            last4: person.last4,
            fingerprint: person.fingerprint,
            exp_month: 12,
            exp_year: 2030,
          },
        }),
    billing_details: { name: person.name, email: person.email, phone: person.phone, address: person.address },
  };
}

/** Runs a scenario and writes its event stream to `path` (atomically); returns the run's result. */
export function runAndExport(
  scenario: Scenario,
  policies: PolicySet,
  seed: number,
  to: { readonly path: string; readonly command: string },
  options: RunOptions = {},
): RunResult {
  const sim = new Simulation(
    scenario,
    policies,
    seed,
    options.lifecycle === undefined ? {} : { lifecycle: options.lifecycle },
  );
  const exporter = new EventExporter(to.path, sim.ctx.plans);
  const { onProgress } = options;
  try {
    sim.observeEvents(exporter);
    sim.run(onProgress && ((events, nowMs) => onProgress(events, nowMs, sim.ctx.endMs)), options.eventLog);
    exporter.finish(sim.ctx.endMs, seed, to.command);
  } catch (error) {
    exporter.abort();
    throw error;
  }
  return resultOf(sim);
}

/** The simulated run's final per-account states, in the shape `billsim replay --json` reports them. */
export function simulatedFinalStates(sim: Simulation): FinalAccount[] {
  return sim.ctx.accounts.map((a) => {
    const person = syntheticPerson(a.accountId);
    return finalState(
      a,
      customerId(a.accountId),
      person.email,
      person.name,
      new Map(a.stripe.invoices.map((i) => [i.id, invoiceKey(i.id)])),
    );
  });
}
