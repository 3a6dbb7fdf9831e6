/**
 * The reader links attempts to invoices through the fields each Stripe API version writes, resolves
 * events with no customer through their invoice, counts an invoice's own payment_failed as an attempt,
 * and says loudly when a stream's failures cannot be linked.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { targetPolicies } from '../../../policies/sets.js';
import { objectFieldProblem } from '../../../sim/tools/replay/fields.js';
import { replayAndCheck, type CheckedReplay } from '../../../sim/tools/replay/verdict.js';
import { plainReplayOptions } from '../../../sim/tools/replay/replay.js';
import { lifecycleSpec } from '../../../sim/tools/lifecycle/spec.js';
import { scratch } from './support.js';

const T0 = 1_700_000_000;
const DAY = 86_400;

function event(id: string, type: string, created: number, apiVersion: string, object: object): object {
  return { id, object: 'event', api_version: apiVersion, created, type, livemode: false, data: { object } };
}

function invoice(status: string, attempts: number, extra: object = {}): object {
  return {
    id: 'in_1',
    object: 'invoice',
    customer: 'cus_1',
    status,
    amount_due: 2000,
    attempt_count: attempts,
    attempted: attempts > 0,
    billing_reason: 'subscription_cycle',
    created: T0 + DAY,
    status_transitions: { paid_at: status === 'paid' ? T0 + 5 * DAY : null },
    ...extra,
  };
}

function charge(id: string, status: string, created: number, extra: object = {}): object {
  return {
    id,
    object: 'charge',
    customer: null,
    created,
    status,
    payment_method: 'pm_1',
    failure_code: status === 'failed' ? 'card_declined' : null,
    outcome: {
      reason: status === 'failed' ? 'transaction_not_allowed' : null,
      network_decline_code: status === 'failed' ? '57' : null,
      network_advice_code: status === 'failed' ? '03' : null,
      type: status === 'failed' ? 'issuer_declined' : 'authorized',
    },
    payment_method_details: { type: 'card', card: { brand: 'mastercard' } },
    ...extra,
  };
}

const subscription = (v: string, status = 'active'): object =>
  event('evt_sub', 'customer.subscription.created', T0, v, {
    id: 'sub_1',
    object: 'subscription',
    customer: 'cus_1',
    status,
    cancel_at_period_end: false,
    items: { data: [{ price: { id: 'price_1', unit_amount: 2000 } }] },
  });

const OPTIONS = plainReplayOptions(targetPolicies(), lifecycleSpec());

async function judge(stream: readonly object[]): Promise<CheckedReplay> {
  return replayAndCheck(stream, OPTIONS);
}

function failedCodes(r: CheckedReplay): unknown[] {
  return r.outcome.states[0]!.stripe.invoices.flatMap((i) =>
    i.attempts
      .filter((x) => x.declineCode !== null)
      .map((x) => [x.declineCode, x.networkDeclineCode ?? null, x.networkAdviceCode ?? null]),
  );
}

describe('linking attempts to invoices, version by version', () => {
  it('2020-08-27: charge.invoice links a charge whose customer is null', async () => {
    const v = '2020-08-27';
    const r = await judge([
      subscription(v),
      event('evt_f', 'invoice.finalized', T0 + DAY, v, invoice('open', 0)),
      event('evt_c', 'charge.failed', T0 + DAY + 60, v, charge('ch_1', 'failed', T0 + DAY + 60, { invoice: 'in_1' })),
      event('evt_pf', 'invoice.payment_failed', T0 + DAY + 61, v, invoice('open', 1, { charge: 'ch_1' })),
    ]);
    expect(failedCodes(r)).toEqual([['transaction_not_allowed', '57', '03']]);
    expect(r.outcome.unlinked).toMatchObject({ failedInvoices: 1, failedInvoicesWithoutAttempts: 0, warning: null });
    expect(r.outcome.accounts[0]).toMatchObject({ inDunning: true, invoices: [{ id: 'in_1', status: 'open' }] });
    expect(r.exitCode).toBe(0);
  });

  it('2022-11-15: invoice.charge and invoice.payment_intent link a charge that names neither', async () => {
    const v = '2022-11-15';
    const r = await judge([
      subscription(v),
      event('evt_c', 'charge.failed', T0 + DAY + 60, v, charge('ch_1', 'failed', T0 + DAY + 60)),
      event('evt_pf', 'invoice.payment_failed', T0 + DAY + 61, v, invoice('open', 1, { charge: 'ch_1' })),
      event('evt_c2', 'charge.succeeded', T0 + 3 * DAY, v, charge('ch_2', 'succeeded', T0 + 3 * DAY, {})),
      event(
        'evt_p',
        'invoice.paid',
        T0 + 3 * DAY + 1,
        v,
        invoice('paid', 2, { charge: 'ch_2', payment_intent: 'pi_1' }),
      ),
      event('evt_pi', 'payment_intent.succeeded', T0 + 3 * DAY, v, {
        id: 'pi_1',
        object: 'payment_intent',
        customer: null,
        invoice: 'in_1',
        latest_charge: 'ch_2',
      }),
    ]);
    const attempts = r.outcome.states[0]!.stripe.invoices[0]!.attempts;
    expect(attempts.map((x) => x.declineCode)).toEqual(['transaction_not_allowed', null]);
    expect(r.outcome.accounts[0]).toMatchObject({ inDunning: false, invoices: [{ status: 'paid' }] });
    expect(r.exitCode).toBe(0);
  });

  it('2025-03-31.basil: invoice_payment links an intent; a payment intent alone is an attempt', async () => {
    const v = '2025-03-31.basil';
    const r = await judge([
      subscription(v),
      event('evt_f', 'invoice.finalized', T0 + DAY, v, invoice('open', 0)),
      event('evt_pi', 'payment_intent.payment_failed', T0 + DAY + 60, v, {
        id: 'pi_1',
        object: 'payment_intent',
        customer: null,
        latest_charge: 'ch_1',
        last_payment_error: { code: 'card_declined', decline_code: 'insufficient_funds', type: 'card_error' },
      }),
      event('evt_ip', 'invoice_payment.paid', T0 + 4 * DAY, v, {
        id: 'inpay_1',
        object: 'invoice_payment',
        invoice: 'in_1',
        status: 'paid',
        payment: { type: 'payment_intent', payment_intent: 'pi_1' },
      }),
      event('evt_pf', 'invoice.payment_failed', T0 + DAY + 61, v, invoice('open', 1)),
    ]);
    expect(failedCodes(r)).toEqual([['insufficient_funds', null, null]]);
    expect(r.outcome.unlinked.eventsWithoutCustomer).toEqual({});
    expect(r.outcome.accounts[0]!.inDunning).toBe(true);
  });

  it("an invoice's payment_failed with no charge is a failed attempt, and the stream is flagged loudly", async () => {
    const v = '2025-03-31.basil';
    const r = await judge([
      subscription(v),
      event('evt_f', 'invoice.finalized', T0 + DAY, v, invoice('open', 0)),
      event(
        'evt_pf',
        'invoice.payment_failed',
        T0 + DAY + 61,
        v,
        invoice('open', 1, { next_payment_attempt: T0 + 4 * DAY }),
      ),
    ]);
    expect(failedCodes(r)).toEqual([['generic_decline', null, null]]);
    expect(r.outcome.accounts[0]!.inDunning).toBe(true);
    expect(r.outcome.result.recovery.failedInvoices).toBe(1);
    expect(r.outcome.unlinked).toMatchObject({ failedInvoices: 1, failedInvoicesWithoutAttempts: 1 });
    expect(r.outcome.unlinked.warning).toMatch(/WARNING: 1 invoice\(s\) failed and not one charge/);
  });

  it('a written-off invoice with no failed charge passes every invariant under target', async () => {
    const v = '2024-06-20';
    const r = await judge([
      subscription(v),
      event('evt_f', 'invoice.finalized', T0 + DAY, v, invoice('open', 0)),
      event('evt_u', 'invoice.marked_uncollectible', T0 + 20 * DAY, v, invoice('uncollectible', 0)),
    ]);
    expect(r.invariants.filter((i) => i.status === 'failed')).toEqual([]);
    expect(r.outcome.accounts[0]).toMatchObject({ invoices: [{ status: 'resolved' }], restricted: true });
  });

  it('a draft is reported draft, a paused subscription grants no access, unresolvable events are counted', async () => {
    const v = '2025-03-31.basil';
    const r = await judge([
      subscription(v, 'paused'),
      event('evt_d', 'invoice.created', T0 + DAY, v, invoice('draft', 0)),
      event('evt_x', 'charge.failed', T0 + DAY, v, charge('ch_9', 'failed', T0 + DAY)),
    ]);
    expect(r.outcome.accounts[0]).toMatchObject({ invoices: [{ status: 'draft' }], subscriptionStatus: 'paused' });
    expect(r.outcome.states[0]!.subsAccount.entitlements).toBe(0);
    expect(r.outcome.unlinked.eventsWithoutCustomer).toEqual({ 'charge.failed': 1 });
  });

  it('a link field of the wrong type is bad input named by its field', () => {
    expect(objectFieldProblem('charge.failed', { object: 'charge', id: 'ch', created: 1, invoice: 7 })).toBe(
      'data.object.invoice: expected an invoice id (or an object with one), got 7',
    );
    expect(objectFieldProblem('invoice_payment.paid', { object: 'invoice_payment', id: 'inpay' })).toMatch(
      /^data\.object\.invoice: expected an invoice id/,
    );
  });

  it('a stream path longer than 80 characters replays', async () => {
    const dir = join(scratch, 'x'.repeat(90));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'stream.jsonl');
    const v = '2020-03-02';
    writeFileSync(
      path,
      [subscription(v), event('evt_f', 'invoice.finalized', T0 + DAY, v, invoice('open', 0))]
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    const r = await replayAndCheck(path, OPTIONS);
    expect(r.outcome.result.scenario).toBe(path);
    expect(r.exitCode).toBe(0);
  });
});
