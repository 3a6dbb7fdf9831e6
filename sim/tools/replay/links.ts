/**
 * Which invoice a payment belongs to, and which customer an event is about,
 * read the way each Stripe API version writes it (docs/replay.md, "Linking
 * payments to invoices"):
 *
 * - before basil (2025-03-31): `invoice.charge`, `invoice.payment_intent`,
 *   `charge.invoice`, `payment_intent.invoice`;
 * - basil and later: the `invoice_payment` object (`invoice`,
 *   `payment.payment_intent`, `payment.charge`) and its events
 *   (`invoice_payment.paid`), and `invoice.payments` when it is included;
 * - always: `charge.payment_intent`, and a payment intent's charge
 *   (`latest_charge` from 2022-11-15, `charges.data` before,
 *   `last_payment_error.charge`).
 *
 * Pass 1 notes every link any event carries, so pass 2 finds a charge's
 * invoice whichever event named it and in whatever order they arrive.
 */
import type Stripe from 'stripe';

/** The ids an object names: its invoice, payment intents and charges. */
export interface PaymentRefs {
  readonly invoice: string | null;
  readonly intents: readonly string[];
  readonly charges: readonly string[];
}

type Obj = Record<string, unknown>;

export function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string')
    return (value as { id: string }).id;
  return null;
}

function ids(...values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const id = idOf(v);
    if (id !== null && !out.includes(id)) out.push(id);
  }
  return out;
}

function listOf(value: unknown): Obj[] {
  const data = (value as { data?: unknown } | null | undefined)?.data;
  return Array.isArray(data) ? (data.filter((x) => x !== null && typeof x === 'object') as Obj[]) : [];
}

/** The kinds of object that carry payment links. */
export type PaymentObjectKind = 'invoice' | 'charge' | 'payment_intent' | 'invoice_payment';

export function paymentObjectKind(event: Stripe.Event): PaymentObjectKind | null {
  const object = (event.data.object as unknown as Obj).object;
  for (const kind of ['invoice', 'charge', 'payment_intent', 'invoice_payment'] as const)
    if (object === kind && event.type.startsWith(`${kind}.`)) return kind;
  return null;
}

/** The charge a payment intent made, in any version's field. */
export function chargeOfIntent(o: Obj): string | null {
  const error = o.last_payment_error as Obj | null | undefined;
  return ids(o.latest_charge, listOf(o.charges)[0], error?.charge)[0] ?? null;
}

export function refsOf(event: Stripe.Event): PaymentRefs | null {
  const o = event.data.object as unknown as Obj;
  switch (paymentObjectKind(event)) {
    case 'invoice': {
      const payments = listOf(o.payments).map((p) => (p.payment ?? {}) as Obj);
      return {
        invoice: idOf(o.id),
        intents: ids(o.payment_intent, ...payments.map((p) => p.payment_intent)),
        charges: ids(o.charge, ...payments.map((p) => p.charge)),
      };
    }
    case 'charge':
      return { invoice: idOf(o.invoice), intents: ids(o.payment_intent), charges: ids(o.id) };
    case 'payment_intent':
      return { invoice: idOf(o.invoice), intents: ids(o.id), charges: ids(chargeOfIntent(o)) };
    case 'invoice_payment': {
      const payment = (o.payment ?? {}) as Obj;
      return { invoice: idOf(o.invoice), intents: ids(payment.payment_intent), charges: ids(payment.charge) };
    }
    default:
      return null;
  }
}

/** Every payment-to-invoice link a stream carries (pass 1), by intent and by charge. */
export class PaymentLinks {
  private readonly byIntent = new Map<string, string>();
  private readonly byCharge = new Map<string, string>();

  note(refs: PaymentRefs | null): void {
    if (refs === null) return;
    const invoice = refs.invoice ?? this.invoiceOf({ invoice: null, intents: refs.intents, charges: refs.charges });
    if (invoice === null) return;
    for (const id of refs.intents) if (!this.byIntent.has(id)) this.byIntent.set(id, invoice);
    for (const id of refs.charges) if (!this.byCharge.has(id)) this.byCharge.set(id, invoice);
  }

  /** The invoice key a payment belongs to: named directly, else through its charge, else its intent. */
  invoiceOf(refs: PaymentRefs): string | null {
    if (refs.invoice !== null) return refs.invoice;
    for (const id of refs.charges) {
      const key = this.byCharge.get(id);
      if (key !== undefined) return key;
    }
    for (const id of refs.intents) {
      const key = this.byIntent.get(id);
      if (key !== undefined) return key;
    }
    return null;
  }
}
