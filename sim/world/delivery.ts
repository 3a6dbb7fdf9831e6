/**
 * Webhook delivery: at-least-once and unordered. Each event gets a delay from
 * a body (exponential around the median) or a heavy tail (log-uniform from a
 * minute to the maximum); some are delivered twice, some first deliveries are
 * lost and redelivered later, and now and then one change yields two event
 * objects. No delivery is later than `delayMaxMs` after the event.
 */
import type { WebhookPayload } from '../../policies/dunning/webhook.js';
import type { Stream } from '../kernel/rng.js';
import type { Scenario } from '../scenario/schema.js';

export interface InFlight {
  readonly payload: WebhookPayload;
  deliveriesLeft: number;
  covered: boolean;
  delivered: boolean;
}

export class WebhookSlots {
  private readonly slots: (InFlight | null)[] = [];
  private readonly free: number[] = [];

  add(payload: WebhookPayload, deliveries: number): number {
    const entry: InFlight = { payload, deliveriesLeft: deliveries, covered: false, delivered: false };
    const slot = this.free.pop();
    if (slot !== undefined) {
      this.slots[slot] = entry;
      return slot;
    }
    this.slots.push(entry);
    return this.slots.length - 1;
  }

  get(slot: number): InFlight {
    return this.slots[slot]!;
  }

  release(slot: number): void {
    this.slots[slot] = null;
    this.free.push(slot);
  }
}

export type DeliveryFault = 'webhook.delay_tail' | 'webhook.duplicate' | 'webhook.drop';

/** Delivery delays (ms after creation) for one event: one or two entries. `note` hears of each delivery fault. */
export function deliveryDelaysMs(s: Scenario, stream: Stream, accountId: number, serial: number, note?: (fault: DeliveryFault) => void): number[] {
  const w = s.webhooks;
  const first = baseDelayMs(s, stream, accountId, serial, 0, note);
  const delays: number[] = [];
  if (stream.chance(w.dropRate, accountId, serial, 2)) {
    note?.('webhook.drop');
    const backoffMs = Math.round(3_600_000 * (1 + 23 * stream.u01(accountId, serial, 3)));
    delays.push(Math.min(w.delayMaxMs, first + backoffMs));
  } else {
    delays.push(first);
  }
  if (stream.chance(w.duplicateRate, accountId, serial, 4)) {
    note?.('webhook.duplicate');
    delays.push(Math.min(w.delayMaxMs, delays[0]! + Math.round(600_000 * stream.u01(accountId, serial, 5))));
  }
  return delays;
}

function baseDelayMs(s: Scenario, stream: Stream, accountId: number, serial: number, slot: number, note?: (fault: DeliveryFault) => void): number {
  const w = s.webhooks;
  const u = stream.u01(accountId, serial, slot * 16 + 6);
  if (stream.chance(w.tailShare, accountId, serial, slot * 16 + 7)) {
    note?.('webhook.delay_tail');
    const lo = Math.log(60_000), hi = Math.log(Math.max(60_001, w.delayMaxMs));
    return Math.min(w.delayMaxMs, Math.round(Math.exp(lo + u * (hi - lo))));
  }
  return Math.min(w.delayMaxMs, Math.round(w.delayMedianMs * (-Math.log(1 - u) / Math.LN2)));
}
