/**
 * Contract tests: StripeProvider against stripe-mock (the official Stripe API
 * mock, validating requests against Stripe's OpenAPI spec). stripe-mock is
 * stateless and answers with fixtures, so these check that every request the
 * adapter sends is accepted and every response parses into the port's types;
 * they do not check state transitions.
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ProviderCustomer,
  ProviderInvoice,
  ProviderPaymentMethod,
  ProviderSubscription,
} from '../../../policies/ports.js';
import { StripeProvider, outcomeFromPaymentIntent, outcomeFromStripeError } from '../../../sim/hosts/stripe/adapter.js';
import { declineInfo } from '../../../policies/decline-codes.js';
import { policySetOf } from '../../../policies/document.js';
import { updateAppliedBeforePayment } from '../../../policies/ordering/ordering.js';
import type { PaymentBehavior } from '../../../policies/ports.js';
import { targetPolicies } from '../../../policies/sets.js';
import { parsePolicyDocument } from '../../../sim/tools/policies/load.js';
import type { DeclineCode } from '../../../policies/types.js';
import { startStripeMock, type StripeMock } from '../../support/servers.js';

const INVOICE_STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'];
const SUB_STATUSES = [
  'incomplete',
  'active',
  'past_due',
  'unpaid',
  'canceled',
  'incomplete_expired',
  'trialing',
  'paused',
];

const isInt = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n);
const isMsOrNull = (n: unknown): boolean => n === null || (isInt(n) && (n as number) % 1000 === 0);

function expectInvoiceShape(inv: ProviderInvoice): void {
  expect(inv.id).toMatch(/^in_/);
  expect(INVOICE_STATUSES).toContain(inv.status);
  for (const k of [
    'totalCents',
    'amountDueCents',
    'amountPaidCents',
    'amountRemainingCents',
    'attemptCount',
  ] as const) {
    expect(isInt(inv[k]), k).toBe(true);
  }
  expect(isInt(inv.createdAtMs)).toBe(true);
  expect(inv.createdAtMs % 1000).toBe(0); // seconds converted to ms
  for (const k of [
    'nextPaymentAttemptAtMs',
    'dueAtMs',
    'finalizedAtMs',
    'paidAtMs',
    'voidedAtMs',
    'markedUncollectibleAtMs',
  ] as const) {
    expect(isMsOrNull(inv[k]), k).toBe(true);
  }
  expect(typeof inv.currency).toBe('string');
  expect(typeof inv.metadata).toBe('object');
}

function expectSubscriptionShape(sub: ProviderSubscription): void {
  expect(sub.id).toMatch(/^sub_/);
  expect(typeof sub.customerId).toBe('string');
  expect(SUB_STATUSES).toContain(sub.status);
  expect(Array.isArray(sub.items)).toBe(true);
  for (const item of sub.items) {
    expect(typeof item.id).toBe('string');
    expect(typeof item.priceId).toBe('string');
    expect(isInt(item.quantity)).toBe(true);
    expect(item.unitAmountCents === null || isInt(item.unitAmountCents)).toBe(true);
    expect(isMsOrNull(item.currentPeriodEndMs)).toBe(true);
  }
  expect(typeof sub.hasPendingUpdate).toBe('boolean');
  expect(typeof sub.cancelAtPeriodEnd).toBe('boolean');
  expect(isInt(sub.createdAtMs)).toBe(true);
}

function expectCustomerShape(c: ProviderCustomer): void {
  expect(c.id).toMatch(/^cus_/);
  expect(typeof c.deleted).toBe('boolean');
  expect(typeof c.delinquent).toBe('boolean');
  expect(isInt(c.balanceCents)).toBe(true);
}

function expectPaymentMethodShape(pm: ProviderPaymentMethod): void {
  expect(pm.id).toMatch(/^pm_/);
  expect(['card', 'paypal', 'bank_debit', 'other']).toContain(pm.kind);
  expect(pm.brand === null || ['visa', 'mastercard', 'amex', 'paypal'].includes(pm.brand)).toBe(true);
  expect(isInt(pm.createdAtMs)).toBe(true);
}

let mock: StripeMock;
let provider: StripeProvider;

beforeAll(async () => {
  mock = await startStripeMock();
  provider = new StripeProvider({ apiKey: 'sk_test_billsim', host: mock.host, port: mock.port, protocol: 'http' });
});

afterAll(async () => {
  await mock?.stop();
});

describe('StripeProvider writes against stripe-mock', () => {
  it('also accepts a ready-made Stripe client', async () => {
    const client = new Stripe('sk_test_billsim', { host: mock.host, port: mock.port, protocol: 'http' });
    const p = new StripeProvider(client);
    expect(p.stripe).toBe(client);
    expectInvoiceShape(await p.getInvoice('in_123'));
  });

  it('createSubscription: default_incomplete, idempotent, returns subscription and its invoice', async () => {
    const res = await provider.createSubscription({
      customerId: 'cus_123',
      priceId: 'price_123',
      quantity: 1,
      paymentMethodId: 'pm_123',
      idempotencyKey: 'test-create-sub-1',
      metadata: { accountId: '42' },
    });
    expectSubscriptionShape(res.subscription);
    expect(res.invoice).not.toBeNull();
    expectInvoiceShape(res.invoice as ProviderInvoice);
  });

  it('changeSubscription: default_incomplete and pending_if_incomplete are both accepted', async () => {
    for (const paymentBehavior of ['default_incomplete', 'pending_if_incomplete'] as const) {
      const res = await provider.changeSubscription({
        subscriptionId: 'sub_123',
        itemId: 'si_123',
        newPriceId: 'price_456',
        paymentBehavior,
        idempotencyKey: `test-change-sub-${paymentBehavior}`,
        metadata: { mutation: 'upgrade' },
      });
      expectSubscriptionShape(res.subscription);
      if (res.invoice !== null) expectInvoiceShape(res.invoice);
    }
    const deferred = await provider.changeSubscription({
      subscriptionId: 'sub_123',
      itemId: 'si_123',
      newPriceId: 'price_456',
      invoiceProrationNow: false,
      idempotencyKey: 'test-change-sub-deferred',
    });
    expectSubscriptionShape(deferred.subscription);
  });
});

/** A Stripe client whose requests are recorded (path and form body) on their way to stripe-mock. */
function recordingProvider(): { provider: StripeProvider; sent: { path: string; body: URLSearchParams }[] } {
  const inner = Stripe.createNodeHttpClient();
  const sent: { path: string; body: URLSearchParams }[] = [];
  const httpClient = Object.assign(Object.create(inner) as typeof inner, {
    makeRequest(...args: Parameters<typeof inner.makeRequest>) {
      sent.push({ path: args[2], body: new URLSearchParams(args[5]) });
      return inner.makeRequest(...args);
    },
  });
  const client = new Stripe('sk_test_billsim', { host: mock.host, port: mock.port, protocol: 'http', httpClient });
  return { provider: new StripeProvider(client), sent };
}

describe('payment_behavior: what the adapter sends is what the simulator does', () => {
  const change = (p: StripeProvider, paymentBehavior?: PaymentBehavior) =>
    p.changeSubscription({
      subscriptionId: 'sub_123',
      itemId: 'si_123',
      newPriceId: 'price_456',
      idempotencyKey: `test-behavior-${paymentBehavior ?? 'default'}`,
      ...(paymentBehavior === undefined ? {} : { paymentBehavior }),
    });

  it('creates with default_incomplete and updates with pending_if_incomplete unless the policy says otherwise', async () => {
    const { provider: p, sent } = recordingProvider();
    await p.createSubscription({ customerId: 'cus_123', priceId: 'price_123', idempotencyKey: 'test-behavior-create' });
    await change(p);
    expect(sent.map((r) => [r.path, r.body.get('payment_behavior')])).toEqual([
      ['/v1/subscriptions', 'default_incomplete'],
      ['/v1/subscriptions/sub_123', 'pending_if_incomplete'],
    ]);
  });

  it("sends each pay-before-commit set's update behavior, and the simulator applies the change before payment exactly when Stripe does", async () => {
    const sets = [
      targetPolicies(),
      policySetOf(parsePolicyDocument('name: di\nupdatePaymentBehavior: default_incomplete\n', 'di.yaml').document),
    ];
    for (const set of sets) {
      const behavior = set.ordering.updatePaymentBehavior as PaymentBehavior;
      const { provider: p, sent } = recordingProvider();
      await change(p, behavior);
      expect(sent[0]!.body.get('payment_behavior'), set.name).toBe(behavior);
      // Stripe: default_incomplete applies the update at once; pending_if_incomplete holds it until paid.
      expect(updateAppliedBeforePayment(behavior), set.name).toBe(behavior === 'default_incomplete');
    }
  });
});

describe('StripeProvider invoice writes against stripe-mock', () => {
  it('createInvoice: draft + item + finalize for a one-off mutation charge', async () => {
    const inv = await provider.createInvoice({
      customerId: 'cus_123',
      amountCents: 1999,
      currency: 'usd',
      description: 'Add-on: extra seats',
      idempotencyKey: 'test-create-invoice-1',
      metadata: { mutation: 'addon' },
    });
    expectInvoiceShape(inv);
  });

  it('payInvoice: off-session, with and without an explicit payment method', async () => {
    const a = await provider.payInvoice({ invoiceId: 'in_123', idempotencyKey: 'test-pay-1' });
    expect(a.invoiceId).toBe('in_123');
    expect(['succeeded', 'pending']).toContain(a.outcome.kind);
    expect(a.decline).toBeNull();
    expectInvoiceShape(a.invoice as ProviderInvoice);
    const b = await provider.payInvoice({
      invoiceId: 'in_123',
      paymentMethodId: 'pm_123',
      offSession: true,
      idempotencyKey: 'test-pay-2',
    });
    expectInvoiceShape(b.invoice as ProviderInvoice);
  });

  it('markUncollectible and voidInvoice are accepted with idempotency keys', async () => {
    expectInvoiceShape(
      await provider.markUncollectible({ invoiceId: 'in_123', idempotencyKey: 'test-uncollectible-1' }),
    );
    expectInvoiceShape(await provider.voidInvoice({ invoiceId: 'in_123', idempotencyKey: 'test-void-1' }));
  });

  it('cancelSubscription (immediately, at term end) and resumeSubscription are accepted', async () => {
    const now = await provider.cancelSubscription({
      subscriptionId: 'sub_123',
      when: 'immediately',
      idempotencyKey: 'test-cancel-1',
    });
    expectSubscriptionShape(now);
    const later = await provider.cancelSubscription({
      subscriptionId: 'sub_123',
      when: 'end_of_term',
      idempotencyKey: 'test-cancel-2',
    });
    expectSubscriptionShape(later);
    expectSubscriptionShape(
      await provider.resumeSubscription({ subscriptionId: 'sub_123', idempotencyKey: 'test-resume-1' }),
    );
  });
});

describe('StripeProvider reads against stripe-mock', () => {
  it('getInvoice / getSubscription / getCustomer parse into port types', async () => {
    expectInvoiceShape(await provider.getInvoice('in_123'));
    expectSubscriptionShape(await provider.getSubscription('sub_123'));
    expectCustomerShape(await provider.getCustomer('cus_123'));
  });

  it('listPaymentMethods returns port payment methods', async () => {
    const pms = await provider.listPaymentMethods('cus_123');
    expect(Array.isArray(pms)).toBe(true);
    pms.forEach(expectPaymentMethodShape);
  });

  it('listEventsSince: with and without a cursor, with a type filter', async () => {
    const first = await provider.listEventsSince({ afterCursor: null, limit: 10 });
    expect(Array.isArray(first.events)).toBe(true);
    expect(first.hasMore).toBe(false);
    for (const ev of first.events) {
      expect(ev.id).toMatch(/^evt_/);
      expect(typeof ev.type).toBe('string');
      expect(isInt(ev.createdAtMs)).toBe(true);
      expect(['invoice', 'subscription', 'other']).toContain(ev.subject.kind);
    }
    const next = await provider.listEventsSince({
      afterCursor: 'evt_123',
      types: ['invoice.payment_failed', 'invoice.paid'],
      limit: 100,
    });
    expect(Array.isArray(next.events)).toBe(true);
    expect(typeof next.hasMore).toBe('boolean');
    expect(next.nextCursor === null || typeof next.nextCursor === 'string').toBe(true);
  });

  it('a request stripe-mock rejects surfaces as an exception, not as a decline', async () => {
    await expect(
      provider.createInvoice({
        customerId: 'cus_123',
        amountCents: 1.5,
        currency: 'usd',
        description: 'x',
        idempotencyKey: 'bad-amount',
      }),
    ).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });
});

/**
 * Stripe decline codes whose network equivalent is a never-retry answer: Visa category 1 (04 pickup, 14
 * invalid account, 41 lost, 43 stolen, 46 closed, 57 not permitted, R0/R1/R3 stop payment and revocations;
 * docs/network-rules.md) or Stripe's own do_not_try_again. None may become a code billsim would retry.
 */
const NEVER_RETRY_STRIPE_CODES = [
  'pickup_card',
  'lost_card',
  'stolen_card',
  'incorrect_number',
  'invalid_number',
  'invalid_account',
  'account_closed',
  'transaction_not_allowed',
  'not_permitted',
  'restricted_card',
  'service_not_allowed',
  'card_not_supported',
  'stop_payment_order',
  'revocation_of_authorization',
  'revocation_of_all_authorizations',
  'do_not_try_again',
];

describe('Stripe declines through the adapter (no server)', () => {
  it('never maps a never-retry code to one billsim would retry', () => {
    for (const declineCode of NEVER_RETRY_STRIPE_CODES) {
      const err = new Stripe.errors.StripeCardError({
        type: 'card_error',
        code: 'card_declined',
        decline_code: declineCode,
      });
      const r = outcomeFromStripeError(err);
      expect(r?.outcome.kind, declineCode).toBe('declined');
      const mapped = (r?.outcome as { declineCode: DeclineCode }).declineCode;
      expect(declineInfo(mapped).permanent, `${declineCode} -> ${mapped}`).toBe(true);
      expect(r?.decline?.unmapped, declineCode).toBe(false);
    }
  });

  it("keeps the network's own decline and advice codes apart from Stripe's advice", () => {
    const err = new Stripe.errors.StripeCardError({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      advice_code: 'try_again_later',
      network_decline_code: '51',
      network_advice_code: '25',
    } as ConstructorParameters<typeof Stripe.errors.StripeCardError>[0]);
    expect(outcomeFromStripeError(err)?.decline).toMatchObject({
      declineCode: 'insufficient_funds',
      adviceCode: 'try_again_later',
      networkDeclineCode: '51',
      networkAdviceCode: '25',
    });
  });

  it('turns a StripeCardError into a declined outcome with the raw codes kept', () => {
    const err = new Stripe.errors.StripeCardError({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'do_not_honor',
      message: 'Your card was declined.',
    });
    const r = outcomeFromStripeError(err);
    expect(r?.outcome).toEqual({ kind: 'declined', declineCode: 'do_not_honor' });
    expect(r?.decline).toMatchObject({ code: 'card_declined', declineCode: 'do_not_honor', unmapped: false });
  });

  it('reads last_payment_error from the PaymentIntent when the error has no decline_code', () => {
    const err = new Stripe.errors.StripeCardError({
      type: 'card_error',
      code: 'card_declined',
      message: 'declined',
      payment_intent: {
        last_payment_error: { code: 'card_declined', decline_code: 'lost_card' },
      } as unknown as Stripe.PaymentIntent,
    });
    expect(outcomeFromStripeError(err)?.outcome).toEqual({ kind: 'declined', declineCode: 'lost_card' });
  });

  it('maps requires-action, connection errors, and ignores non-payment errors', () => {
    const action = new Stripe.errors.StripeInvalidRequestError({
      type: 'invalid_request_error',
      code: 'invoice_payment_intent_requires_action',
      message: 'needs auth',
    });
    expect(outcomeFromStripeError(action)?.outcome).toEqual({ kind: 'requires_action' });
    const conn = new Stripe.errors.StripeConnectionError({ type: 'api_error', message: 'socket hang up' });
    expect(outcomeFromStripeError(conn)?.outcome).toEqual({ kind: 'timeout' });
    const bad = new Stripe.errors.StripeInvalidRequestError({
      type: 'invalid_request_error',
      message: 'No such invoice',
    });
    expect(outcomeFromStripeError(bad)).toBeNull();
    expect(outcomeFromStripeError(new Error('boom'))).toBeNull();
  });

  it('derives outcomes from PaymentIntent states', () => {
    const pi = (o: object): Stripe.PaymentIntent => o as unknown as Stripe.PaymentIntent;
    expect(outcomeFromPaymentIntent(pi({ status: 'succeeded', last_payment_error: null })).outcome.kind).toBe(
      'succeeded',
    );
    expect(outcomeFromPaymentIntent(pi({ status: 'processing', last_payment_error: null })).outcome.kind).toBe(
      'pending',
    );
    expect(outcomeFromPaymentIntent(pi({ status: 'requires_action', last_payment_error: null })).outcome.kind).toBe(
      'requires_action',
    );
    expect(
      outcomeFromPaymentIntent(
        pi({
          status: 'requires_payment_method',
          last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds', message: 'nsf' },
        }),
      ).outcome,
    ).toEqual({ kind: 'declined', declineCode: 'insufficient_funds' });
  });
});
