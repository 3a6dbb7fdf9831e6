/**
 * The failures and recoveries of a recorded Stripe stream, per payment
 * (a charge's `payment_intent`, or its `invoice`): every charge in time
 * order with its payment method and decline code. A payment still unpaid
 * when the stream ends is censored there. Charges are all this reads: the
 * rest of the stream is for replay, but for when an invoice was voided or
 * written off.
 */
import type Stripe from 'stripe';
import { cardBrandOf, stripeDeclineCode } from '../../../policies/stripe-vocabulary.js';
import type { CardBrand, DeclineCode } from '../../../policies/types.js';
import { InputError } from '../../lib/errors.js';
import { describeBad, readReplayRecords } from '../replay/format.js';

export interface RecordedCharge {
  readonly atMs: number;
  readonly paymentMethod: string;
  /** The card's network (visa when the charge does not say). */
  readonly brand: CardBrand;
  /** null: succeeded. */
  readonly declineCode: DeclineCode | null;
}

export interface RecordedPayment {
  readonly key: string;
  readonly amountCents: number;
  /** In time order; the first failed charge is the first failure. */
  readonly charges: readonly RecordedCharge[];
  /** When the recording voided the invoice or wrote it off; +Infinity if it never did. */
  readonly closedAtMs: number;
}

export interface RecordedFailures {
  /** Payments that failed at least once. */
  readonly payments: readonly RecordedPayment[];
  /** The latest `created` in the stream: payments still unpaid are censored here. */
  readonly endMs: number;
  /** The latest charge: attempts were being made until then (a simulator's export stops them at its workload's end). */
  readonly lastChargeMs: number;
  readonly charges: number;
}

interface ChargeFields {
  readonly key: string;
  readonly amountCents: number;
  readonly charge: RecordedCharge;
}

function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string')
    return (value as { id: string }).id;
  return null;
}

function chargeFieldsOf(event: Stripe.Event): ChargeFields | null {
  if (event.type !== 'charge.failed' && event.type !== 'charge.succeeded') return null;
  const c = event.data.object as Stripe.Charge & { invoice?: unknown };
  const key = idOf(c.payment_intent) ?? idOf(c.invoice);
  if (key === null) return null;
  const failed = event.type === 'charge.failed';
  return {
    key,
    amountCents: c.amount,
    charge: {
      atMs: c.created * 1000,
      paymentMethod: idOf(c.payment_method) ?? '',
      brand: cardBrandOf(c.payment_method_details?.type, c.payment_method_details?.card?.brand) ?? 'visa',
      declineCode: failed ? stripeDeclineCode(c.outcome?.reason, c.failure_code).declineCode : null,
    },
  };
}

/** The payment an invoice event is about: its `payment_intent` (older API) or its first payment's. */
function invoicePaymentKey(event: Stripe.Event): string | null {
  if (event.type !== 'invoice.voided' && event.type !== 'invoice.marked_uncollectible') return null;
  const i = event.data.object as {
    payment_intent?: unknown;
    payments?: { data?: { payment?: { payment_intent?: unknown } }[] };
  };
  return idOf(i.payment_intent) ?? idOf(i.payments?.data?.[0]?.payment?.payment_intent);
}

/** Reads a stream's charges; a bad record is bad input (file:line: problem). */
export async function readRecordedFailures(path: string): Promise<RecordedFailures> {
  const byKey = new Map<string, { amountCents: number; charges: Map<string, RecordedCharge> }>();
  let endMs = Number.NEGATIVE_INFINITY;
  let charges = 0;
  const closedAt = new Map<string, number>();
  for await (const record of readReplayRecords(path)) {
    if (record.kind === 'bad') throw new InputError(describeBad(record));
    if (record.kind !== 'event') continue;
    endMs = Math.max(endMs, record.event.created * 1000);
    const closed = invoicePaymentKey(record.event);
    if (closed !== null) closedAt.set(closed, Math.min(closedAt.get(closed) ?? Infinity, record.event.created * 1000));
    const fields = chargeFieldsOf(record.event);
    if (fields === null) continue;
    const entry = byKey.get(fields.key) ?? { amountCents: fields.amountCents, charges: new Map() };
    byKey.set(fields.key, entry);
    const chargeId = idOf(record.event.data.object) ?? `${fields.charge.atMs}`;
    if (!entry.charges.has(chargeId)) charges++;
    entry.charges.set(chargeId, fields.charge); // a charge redelivered or duplicated counts once
  }
  if (!Number.isFinite(endMs)) throw new InputError(`${path}: no events`);
  const payments = [...byKey.entries()]
    .map(([key, e]) => ({
      key,
      amountCents: e.amountCents,
      charges: [...e.charges.values()].sort(byTime),
      closedAtMs: closedAt.get(key) ?? Number.POSITIVE_INFINITY,
    }))
    .filter((p) => p.charges.some((c) => c.declineCode !== null));
  const lastChargeMs = payments.reduce(
    (max, p) => Math.max(max, ...p.charges.map((c) => c.atMs)),
    Number.NEGATIVE_INFINITY,
  );
  return { payments, endMs, lastChargeMs, charges };
}

function byTime(a: RecordedCharge, b: RecordedCharge): number {
  return a.atMs - b.atMs;
}
