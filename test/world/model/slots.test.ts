/**
 * WebhookSlots: a slot keeps what its deliveries read. With whole payloads
 * (a platform or an event sink reads them) the payload comes back as emitted;
 * without, the slot still answers type, invoice, deliveries left and the
 * coverage flags, and refuses to make up a payload.
 */
import { describe, expect, it } from 'vitest';
import { WebhookSlots } from '../../../sim/world/model/delivery.js';
import { newAccount, newCard, newInvoice } from '../../../sim/world/model/state.js';

const plan = { id: 1, name: 'pro', monthlyPriceCents: 3000, entitlements: 3 };

function emitted(slots: WebhookSlots): number {
  const a = newAccount(7, plan, 'stripe', newCard(448, 'visa', Number.POSITIVE_INFINITY), 1, 0, true);
  const invoice = newInvoice(1792, 'renewal', 3000, 5_000, 7, -1);
  return slots.add(a, 3, 'invoice.payment_failed', 5_000, invoice, false, 2);
}

describe('WebhookSlots', () => {
  it('gives back the whole payload when it snapshots payloads', () => {
    const slots = new WebhookSlots();
    const slot = emitted(slots);
    expect(slots.payload(slot)).toMatchObject({
      eventId: 3,
      type: 'invoice.payment_failed',
      createdMs: 5_000,
      accountId: 7,
      invoiceId: 1792,
      invoiceStatus: 'open',
      attemptCount: 0,
      amountCents: 3000,
      onSession: false,
      subscriptionStatus: 'active',
      planId: 1,
      paymentMethodId: 448,
    });
  });

  it('keeps what a delivery reads, and no payload, when nothing reads payloads', () => {
    const slots = new WebhookSlots();
    slots.snapshotsPayloads = false;
    const slot = emitted(slots);
    expect([slots.type(slot), slots.invoiceId(slot), slots.deliveriesLeft(slot)]).toEqual([
      'invoice.payment_failed',
      1792,
      2,
    ]);
    slots.setCoverage(slot, { delivered: true, covered: false });
    expect(slots.readCoverage(slot, { delivered: false, covered: true })).toEqual({ delivered: true, covered: false });
    expect(slots.delivered(slot)).toBe(false);
    expect(slots.delivered(slot)).toBe(true);
    expect(() => slots.payload(slot)).toThrow(/payloads are not kept/);
  });
});
