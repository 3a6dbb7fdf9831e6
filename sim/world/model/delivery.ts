/**
 * Webhook delivery: at-least-once and unordered. Each event gets a delay from
 * a body (exponential around the median) or a heavy tail (log-uniform from a
 * minute to the maximum); some are delivered twice, some first deliveries are
 * lost and redelivered later, and now and then one change yields two event
 * objects. No delivery is later than `delayMaxMs` after the event.
 */
import { DECLINE_CODES } from '../../../policies/decline-codes.js';
import { WEBHOOK_TYPES, type WebhookPayload, type WebhookType } from '../../../policies/dunning/webhook.js';
import { SUBSCRIPTION_STATUSES, type DeclineCode, type ProviderInvoiceStatus } from '../../../policies/types.js';
import type { Stream } from '../kernel/rng.js';
import type { Scenario } from '../scenario/schema.js';
import type { AccountState, SimInvoice } from './state.js';
import { COPY_STRIDE, DELIVERY } from '../kernel/slots.js';

const INVOICE_STATUSES: readonly (ProviderInvoiceStatus | null)[] = [
  null,
  'draft',
  'open',
  'paid',
  'uncollectible',
  'void',
];
const DECLINES: readonly (DeclineCode | null)[] = [null, ...DECLINE_CODES];

/**
 * Webhooks in flight, one slot each, as parallel typed arrays: an event's
 * payload is snapshotted when it is emitted and lives until its last delivery,
 * often thousands of events later, so keeping it out of the object heap spares
 * the garbage collector. `payload(slot)` builds the object a platform reads.
 * When nothing will read payloads (an event-blind platform and no event sink),
 * a slot keeps only what a delivery itself reads: type, invoice, deliveries
 * left and the coverage flags.
 */
export class WebhookSlots {
  /** Snapshot whole payloads; set before the first `add` (the simulation clears it for an event-blind platform). */
  snapshotsPayloads = true;
  private capacity = 0;
  private f64 = new Float64Array(0);
  private i32 = new Int32Array(0);
  private u8 = new Uint8Array(0);
  private readonly free: number[] = [];
  private used = 0;

  /** Takes a slot for the event about `a` (and `invoice`), snapshotting its whole payload now if `snapshotsPayloads`; returns the slot. */
  add(
    a: AccountState,
    eventId: number,
    type: WebhookType,
    createdMs: number,
    invoice: SimInvoice | null,
    onSession: boolean,
    deliveries: number,
  ): number {
    const slot = this.free.pop() ?? this.take();
    const i = slot * I32_FIELDS,
      u = slot * U8_FIELDS;
    this.i32[i + 2] = invoice?.id ?? -1;
    this.u8[u] = WEBHOOK_TYPES.indexOf(type);
    this.u8[u + 5] = deliveries;
    this.u8[u + 6] = 0;
    this.u8[u + 7] = 0;
    if (this.snapshotsPayloads) this.snapshot(slot, a, eventId, createdMs, invoice, onSession);
    return slot;
  }

  private snapshot(
    slot: number,
    a: AccountState,
    eventId: number,
    createdMs: number,
    invoice: SimInvoice | null,
    onSession: boolean,
  ): void {
    const last = invoice?.attempts[invoice.attempts.length - 1];
    const f = slot * F64_FIELDS,
      i = slot * I32_FIELDS,
      u = slot * U8_FIELDS;
    this.f64[f] = createdMs;
    this.f64[f + 1] = invoice?.amountCents ?? 0;
    this.i32[i] = eventId;
    this.i32[i + 1] = a.accountId;
    this.i32[i + 3] = invoice?.attempts.length ?? 0;
    this.i32[i + 4] = a.stripe.planId;
    this.i32[i + 5] = a.stripe.defaultPaymentMethodId;
    this.u8[u + 1] = INVOICE_STATUSES.indexOf(invoice?.status ?? null);
    this.u8[u + 2] = DECLINES.indexOf(last?.declineCode ?? null);
    this.u8[u + 3] = onSession ? 1 : 0;
    this.u8[u + 4] = SUBSCRIPTION_STATUSES.indexOf(a.stripe.subscriptionStatus);
  }

  payload(slot: number): WebhookPayload {
    if (!this.snapshotsPayloads)
      throw new Error('WebhookSlots: payloads are not kept (an event-blind platform and no event sink)');
    const f = slot * F64_FIELDS,
      i = slot * I32_FIELDS,
      u = slot * U8_FIELDS;
    return {
      eventId: this.i32[i]!,
      type: this.type(slot),
      createdMs: this.f64[f]!,
      accountId: this.i32[i + 1]!,
      invoiceId: this.i32[i + 2]!,
      invoiceStatus: INVOICE_STATUSES[this.u8[u + 1]!]!,
      attemptCount: this.i32[i + 3]!,
      declineCode: DECLINES[this.u8[u + 2]!]!,
      amountCents: this.f64[f + 1]!,
      onSession: this.u8[u + 3] === 1,
      subscriptionStatus: SUBSCRIPTION_STATUSES[this.u8[u + 4]!]!,
      planId: this.i32[i + 4]!,
      paymentMethodId: this.i32[i + 5]!,
    };
  }

  type(slot: number): WebhookType {
    return WEBHOOK_TYPES[this.u8[slot * U8_FIELDS]!]!;
  }

  invoiceId(slot: number): number {
    return this.i32[slot * I32_FIELDS + 2]!;
  }

  /** Counts one delivery; true when it was the last (the slot is then free). */
  delivered(slot: number): boolean {
    const at = slot * U8_FIELDS + 5;
    if (--this.u8[at]! > 0) return false;
    this.free.push(slot);
    return true;
  }

  deliveriesLeft(slot: number): number {
    return this.u8[slot * U8_FIELDS + 5]!;
  }

  /** Invoice coverage flags of the event in this slot (see checker.ts countCoverage), into `entry`. */
  readCoverage(slot: number, entry: { covered: boolean; delivered: boolean }): typeof entry {
    const u = slot * U8_FIELDS;
    entry.delivered = this.u8[u + 6] === 1;
    entry.covered = this.u8[u + 7] === 1;
    return entry;
  }

  setCoverage(slot: number, entry: { readonly covered: boolean; readonly delivered: boolean }): void {
    const u = slot * U8_FIELDS;
    this.u8[u + 6] = entry.delivered ? 1 : 0;
    this.u8[u + 7] = entry.covered ? 1 : 0;
  }

  private take(): number {
    if (this.used === this.capacity) this.grow();
    return this.used++;
  }

  private grow(): void {
    this.capacity = Math.max(1024, this.capacity * 2);
    this.f64 = grown(new Float64Array(this.capacity * F64_FIELDS), this.f64);
    this.i32 = grown(new Int32Array(this.capacity * I32_FIELDS), this.i32);
    this.u8 = grown(new Uint8Array(this.capacity * U8_FIELDS), this.u8);
  }
}

/** Per slot: createdMs, amountCents | eventId, accountId, invoiceId, attemptCount, planId, paymentMethodId |
 * type, invoiceStatus, declineCode, onSession, subscriptionStatus, deliveriesLeft, delivered, covered. */
const F64_FIELDS = 2,
  I32_FIELDS = 6,
  U8_FIELDS = 8;

function grown<T extends Float64Array | Int32Array | Uint8Array>(next: T, previous: T): T {
  next.set(previous as never);
  return next;
}

export type DeliveryFault = 'webhook.delay_tail' | 'webhook.duplicate' | 'webhook.drop';

/**
 * Delivery delays (ms after creation) for one event, into `delaysMs`: one or
 * two entries; returns how many. `note` hears of each delivery fault.
 */
export function deliveryDelaysMs(
  s: Scenario,
  stream: Stream,
  accountId: number,
  serial: number,
  delaysMs: Float64Array,
  note?: (fault: DeliveryFault) => void,
): 1 | 2 {
  const w = s.webhooks;
  let firstMs = baseDelayMs(s, stream, accountId, serial, 0, note);
  if (stream.chance(w.dropRate, accountId, serial, DELIVERY.dropped)) {
    note?.('webhook.drop');
    const backoffMs = Math.round(3_600_000 * (1 + 23 * stream.u01(accountId, serial, DELIVERY.dropBackoff)));
    firstMs = Math.min(w.delayMaxMs, firstMs + backoffMs);
  }
  delaysMs[0] = firstMs;
  if (!stream.chance(w.duplicateRate, accountId, serial, DELIVERY.duplicated)) return 1;
  note?.('webhook.duplicate');
  delaysMs[1] = Math.min(
    w.delayMaxMs,
    firstMs + Math.round(600_000 * stream.u01(accountId, serial, DELIVERY.duplicateDelay)),
  );
  return 2;
}

function baseDelayMs(
  s: Scenario,
  stream: Stream,
  accountId: number,
  serial: number,
  slot: number,
  note?: (fault: DeliveryFault) => void,
): number {
  const w = s.webhooks;
  const u = stream.u01(accountId, serial, slot * COPY_STRIDE + DELIVERY.delay);
  if (stream.chance(w.tailShare, accountId, serial, slot * COPY_STRIDE + DELIVERY.tail)) {
    note?.('webhook.delay_tail');
    const lo = Math.log(60_000),
      hi = Math.log(Math.max(60_001, w.delayMaxMs));
    return Math.min(w.delayMaxMs, Math.round(Math.exp(lo + u * (hi - lo))));
  }
  return Math.min(w.delayMaxMs, Math.round(w.delayMedianMs * (-Math.log(1 - u) / Math.LN2)));
}
