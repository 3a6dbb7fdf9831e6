import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { legacyPolicies, targetPolicies } from '../../../policies/sets.js';
import { replay, scratch } from './support.js';

const T0 = 1_750_000_000;
const cus = 'cus_late1',
  inv = 'in_late1',
  pi = 'pi_late1';

function event(id: string, type: string, created: number, object: object): object {
  return {
    id,
    object: 'event',
    created,
    type,
    livemode: false,
    pending_webhooks: 1,
    api_version: '2025-03-31.basil',
    request: null,
    data: { object },
  };
}
function invoice(status: string, attempts: number): object {
  return {
    id: inv,
    object: 'invoice',
    customer: cus,
    status,
    amount_due: 3000,
    attempt_count: attempts,
    billing_reason: 'subscription_cycle',
    created: T0 + 60,
    status_transitions: { paid_at: status === 'paid' ? T0 + 3 * 86400 : null },
    payments: {
      object: 'list',
      data: [{ object: 'invoice_payment', payment: { type: 'payment_intent', payment_intent: pi } }],
    },
  };
}
function charge(id: string, created: number, ok: boolean): object {
  return {
    id,
    object: 'charge',
    customer: cus,
    created,
    payment_intent: pi,
    payment_method: 'pm_1',
    status: ok ? 'succeeded' : 'failed',
    outcome: { reason: ok ? null : 'insufficient_funds' },
    payment_method_details: { type: 'card', card: { brand: 'visa' } },
  };
}

/** Attempt 1 fails at day 0, attempt 2 succeeds at day 3; the platform hears of the failure only after the payment. */
const lines = [
  event('evt_1', 'customer.created', T0, {
    id: cus,
    object: 'customer',
    invoice_settings: { default_payment_method: 'pm_1' },
  }),
  event('evt_2', 'customer.subscription.created', T0, {
    id: 'sub_1',
    object: 'subscription',
    customer: cus,
    status: 'active',
    items: { data: [{ price: { id: 'price_pro', unit_amount: 3000, metadata: { entitlements: '3' } } }] },
  }),
  event('evt_3', 'invoice.finalized', T0 + 60, invoice('open', 0)),
  event('evt_4', 'charge.failed', T0 + 61, charge('ch_1', T0 + 61, false)),
  event('evt_6', 'charge.succeeded', T0 + 3 * 86400, charge('ch_2', T0 + 3 * 86400, true)),
  event('evt_7', 'invoice.paid', T0 + 3 * 86400, invoice('paid', 2)),
  event('evt_5', 'invoice.payment_failed', T0 + 61, invoice('open', 1)),
];
const path = join(scratch, 'late-failure.jsonl');
writeFileSync(path, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

describe('invoice.payment_failed for attempt 1 delivered after invoice.paid', () => {
  it('target: the customer ends paid, not in dunning, not restricted', async () => {
    const [a] = await replay(path, targetPolicies());
    expect(a).toMatchObject({
      customer: cus,
      invoices: [{ id: inv, status: 'paid' }],
      inDunning: false,
      restricted: false,
      subscriptionStatus: 'active',
    });
  });

  it('legacy: the stale failure puts the paid customer back into dunning', async () => {
    const [a] = await replay(path, legacyPolicies());
    expect(a!.inDunning).toBe(true);
    expect(a!.invoices[0]!.status).toBe('open');
  });
});
