import { fc, test } from '@fast-check/vitest';
import type Stripe from 'stripe';
import { describe, expect } from 'vitest';
import { isDeclineCode } from '../../../policies/decline-codes.js';
import type { AttemptRecord } from '../../../policies/types.js';
import type { ReplayRecord } from '../../../sim/tools/replay/format.js';
import { customerOf, idOf, RecordedWorld } from '../../../sim/tools/replay/history.js';
import { deliveriesOf, maxDelayMs, parsePerturb } from '../../../sim/tools/replay/perturb.js';
import { AheadReader } from '../../../sim/tools/replay/reader.js';
import { drivesReplay } from '../../../sim/tools/replay/replay.js';
import { streamsFor } from '../../../sim/world/kernel/rng.js';
import type { SimInvoice, SimProviderState } from '../../../sim/world/model/state.js';

const T0 = 1_700_000_000;
const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const;
const SUB_STATUSES = ['active', 'past_due', 'unpaid', 'canceled', 'incomplete_expired'] as const;
const RANK: Record<string, number> = { draft: 0, open: 1, paid: 2, uncollectible: 2, void: 2 };

const eventSeed = fc.record({
  customer: fc.nat(2),
  kind: fc.constantFrom('invoice', 'charge', 'sub', 'cust'),
  invoice: fc.nat(2),
  status: fc.nat(4),
  attempt: fc.nat(3),
  amount: fc.nat(3),
  createdS: fc.nat(200),
  earlierS: fc.nat(3),
  pm: fc.nat(2),
  price: fc.nat(2),
  charge: fc.nat(3),
  succeeded: fc.boolean(),
  withIntent: fc.boolean(),
  upgrade: fc.boolean(),
  lateS: fc.nat(40),
  flag: fc.boolean(),
});
type Seed = typeof eventSeed extends fc.Arbitrary<infer T> ? T : never;

/** A small Stripe-shaped event (only the fields the replay reads). */
function eventOf(s: Seed, n: number): Stripe.Event {
  const created = T0 + s.createdS,
    customer = `cus_${s.customer}`,
    pi = `pi_${s.customer}_${s.invoice}`;
  const object: Record<string, unknown> = (() => {
    switch (s.kind) {
      case 'invoice':
        return {
          object: 'invoice',
          id: `in_${s.customer}_${s.invoice}`,
          customer,
          status: INVOICE_STATUSES[s.status],
          amount_due: 1000 * s.amount,
          attempt_count: s.attempt,
          created: created - s.earlierS,
          customer_email: `${customer}@x.test`,
          billing_reason: s.upgrade ? 'subscription_update' : 'subscription_cycle',
          status_transitions: { paid_at: s.flag ? created : null },
          payments: { data: s.withIntent ? [{ payment: { payment_intent: pi } }] : [] },
        };
      case 'charge':
        return {
          object: 'charge',
          id: `ch_${s.customer}_${s.invoice}_${s.charge}${s.withIntent ? '' : 'x'}`,
          customer,
          created: created - s.earlierS,
          payment_intent: s.withIntent ? pi : 'pi_unknown',
          payment_method: `pm_${s.pm}`,
          status: s.succeeded ? 'succeeded' : 'failed',
          failure_code: s.flag ? 'insufficient_funds' : 'expired_card',
          payment_method_details: { type: 'card', card: { brand: s.upgrade ? 'amex' : 'visa' } },
        };
      case 'sub':
        return {
          object: 'subscription',
          id: `sub_${s.customer}`,
          customer,
          status: SUB_STATUSES[s.status],
          cancel_at_period_end: s.flag,
          items: { data: [{ price: { id: `price_${s.price}`, unit_amount: 500 * (s.price + 1) } }] },
        };
      default:
        return {
          object: 'customer',
          id: customer,
          email: `${customer}@x.test`,
          invoice_settings: { default_payment_method: `pm_${s.pm}` },
        };
    }
  })();
  const type = {
    invoice: 'invoice.updated',
    charge: s.succeeded ? 'charge.succeeded' : 'charge.failed',
    sub: 'customer.subscription.updated',
    cust: 'customer.updated',
  }[s.kind];
  // Ids that do not sort by position, so ties within one second are broken by a real comparison.
  return {
    id: `evt_${String.fromCharCode(97 + ((n * 7) % 26))}${n}`,
    object: 'event',
    type,
    created,
    data: { object },
  } as unknown as Stripe.Event;
}

/** File (delivery) order: by creation plus a lateness, so events arrive out of creation order. */
function streamOf(seeds: readonly Seed[]): Stripe.Event[] {
  return seeds
    .map((s, n) => ({ event: eventOf(s, n), at: T0 + s.createdS + s.lateS, n }))
    .sort((x, y) => x.at - y.at || x.n - y.n)
    .map((x) => x.event);
}

const obj = (e: Stripe.Event): Record<string, unknown> => e.data.object as unknown as Record<string, unknown>;
const byCreation = (x: Stripe.Event, y: Stripe.Event): number => x.created - y.created || x.id.localeCompare(y.id);

interface Charge {
  readonly id: string;
  readonly e: Stripe.Event;
  readonly pm: number;
}

/** Payment methods and prices numbered in file order (as pass 1 does), and the customer's charges, first seen per id. */
function numbered(
  stream: readonly Stripe.Event[],
  mine: (e: Stripe.Event) => boolean,
): { pms: Map<string, number>; prices: Map<string, number>; charges: Charge[] } {
  const pms = new Map<string, number>(),
    prices = new Map<string, number>();
  const pm = (id: unknown): number =>
    typeof id === 'string' ? (pms.get(id) ?? (pms.set(id, pms.size + 1), pms.size)) : -1;
  const seenCharges = new Set<string>(),
    charges: Charge[] = [];
  for (const e of stream) {
    const o = obj(e);
    if (e.type.startsWith('charge.') && (o.status === 'succeeded' || o.status === 'failed')) {
      const n = pm(o.payment_method);
      if (mine(e) && !seenCharges.has(o.id as string)) {
        charges.push({ id: o.id as string, e, pm: n });
        seenCharges.add(o.id as string);
      }
    }
    if (e.type === 'customer.updated')
      pm(idOf((o.invoice_settings as { default_payment_method: string }).default_payment_method));
    if (e.type.startsWith('customer.subscription.')) {
      const price = (o.items as { data: { price: { id: string } }[] }).data[0]!.price.id;
      if (!prices.has(price)) prices.set(price, prices.size + 1);
    }
  }
  return { pms, prices, charges };
}

/** The provider at t the plain way: every version of everything kept, sorted, the latest at or before t. */
function referenceAt(
  stream: readonly Stripe.Event[],
  customer: string,
  accountIndex: number,
  firstInvoiceId: number,
  tMs: number,
): SimProviderState {
  const mine = (e: Stripe.Event): boolean => customerOf(e) === customer;
  const { pms, prices, charges } = numbered(stream, mine);
  const visible = charges
    .filter((c) => (c.e.data.object as unknown as { created: number }).created * 1000 <= tMs)
    .sort((x, y) => (obj(x.e).created as number) - (obj(y.e).created as number) || x.id.localeCompare(y.id));
  const invoiceEvents = stream.filter((e) => mine(e) && e.type.startsWith('invoice.'));
  const keys = [...new Set(invoiceEvents.map((e) => obj(e).id as string))];
  const firstOf = (key: string): Record<string, unknown> => obj(invoiceEvents.find((e) => obj(e).id === key)!);
  const intentOf = (key: string): string | null =>
    invoiceEvents
      .filter((e) => obj(e).id === key)
      .map((e) =>
        idOf(
          (obj(e).payments as { data: { payment: { payment_intent: string } }[] }).data[0]?.payment.payment_intent ??
            null,
        ),
      )
      .find((x) => x !== null) ?? null;
  keys.sort((x, y) => (firstOf(x).created as number) - (firstOf(y).created as number) || x.localeCompare(y));
  const invoices: SimInvoice[] = [];
  keys.forEach((key, k) => {
    const versions = invoiceEvents
      .filter((e) => obj(e).id === key && e.created * 1000 <= tMs)
      .sort(
        (x, y) =>
          x.created - y.created ||
          RANK[obj(x).status as string]! - RANK[obj(y).status as string]! ||
          (obj(x).attempt_count as number) - (obj(y).attempt_count as number) ||
          x.id.localeCompare(y.id),
      );
    const v = versions[versions.length - 1];
    if (v === undefined) return;
    const first = firstOf(key),
      kind = first.billing_reason === 'subscription_update' ? 'upgrade' : 'renewal',
      intent = intentOf(key);
    const attempts: AttemptRecord[] =
      intent === null
        ? []
        : visible
            .filter((c) => obj(c.e).payment_intent === intent)
            .map((c) => {
              const code = obj(c.e).failure_code as string;
              return {
                atMs: (obj(c.e).created as number) * 1000,
                paymentMethodId: c.pm,
                brand: (obj(c.e).payment_method_details as { card: { brand: 'visa' | 'amex' } }).card.brand,
                declineCode: obj(c.e).status === 'succeeded' ? null : isDeclineCode(code) ? code : 'generic_decline',
                onSession: kind === 'upgrade',
              };
            });
    const failure = attempts.find((x) => x.declineCode !== null),
      paidAt = (obj(v).status_transitions as { paid_at: number | null }).paid_at;
    invoices.push({
      id: firstInvoiceId + k,
      kind,
      status: obj(v).status as SimInvoice['status'],
      amountCents: obj(v).amount_due as number,
      createdAtMs: (first.created as number) * 1000,
      firstFailedAtMs: kind === 'renewal' && failure !== undefined ? failure.atMs : -1,
      paidAtMs: obj(v).status === 'paid' ? (paidAt ?? v.created) * 1000 : -1,
      attempts,
      accountId: accountIndex,
      mutationId: -1,
    });
  });
  const subs = stream.filter((e) => mine(e) && e.type.startsWith('customer.subscription.')).sort(byCreation);
  const sub = subs.filter((e) => e.created * 1000 <= tMs).pop() ?? subs[0];
  const custs = stream.filter((e) => mine(e) && e.type === 'customer.updated').sort(byCreation);
  const pmOf = (e: Stripe.Event): number =>
    pms.get((obj(e).invoice_settings as { default_payment_method: string }).default_payment_method)!;
  let cust: Stripe.Event | undefined = custs[0],
    changedAtMs = -1;
  for (let k = 1; k < custs.length && custs[k]!.created * 1000 <= tMs; k++) {
    if (pmOf(custs[k]!) !== pmOf(custs[k - 1]!)) changedAtMs = custs[k]!.created * 1000;
    cust = custs[k];
  }
  // Stripe's statuses are kept one for one (incomplete_expired included).
  const subStatus = sub === undefined ? 'active' : (obj(sub).status as SimProviderState['subscriptionStatus']);
  return {
    provider: 'stripe',
    subscriptionStatus: subStatus,
    planId:
      sub === undefined ? 0 : prices.get((obj(sub).items as { data: { price: { id: string } }[] }).data[0]!.price.id)!,
    cancelAtPeriodEnd: sub !== undefined && obj(sub).cancel_at_period_end === true,
    defaultPaymentMethodId: cust === undefined ? -1 : pmOf(cust),
    paymentMethodUpdatedAtMs: changedAtMs,
    hasSucceededCharge: visible.some((c) => obj(c.e).status === 'succeeded'),
    invoices,
  };
}

async function* recordsOf(stream: readonly Stripe.Event[]): AsyncGenerator<ReplayRecord> {
  for (let k = 0; k < stream.length; k++) yield { kind: 'event', event: stream[k]!, file: 'generated', line: k + 1 };
  await Promise.resolve();
}

describe('the compact provider history', () => {
  // As recorded, and re-delivered late or reordered (the low-water mark then lags by the longest delay too).
  const perturbations = [null, parsePerturb('late=0.5:20s'), parsePerturb('reorder=0.4,dup=0.2')];
  test.prop(
    [
      fc.array(eventSeed, { minLength: 1, maxLength: 40 }),
      fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
      fc.nat(5),
      fc.nat(2),
    ],
    { numRuns: 150 },
  )(
    'gives the provider at every time the replay asks for what keeping every version gives, read ahead, pruned and swept',
    async (seeds, picks, sweepEvery, perturbation) => {
      const stream = streamOf(seeds);
      const world = new RecordedWorld();
      for (const e of stream) if (drivesReplay(e.type)) world.catalog(e);
      world.finalize();
      const firstIds = world.accounts.map((h) => h.ordered[0]?.id ?? 0);
      const check = (index: number, tMs: number): void => {
        const h = world.accounts[index]!;
        expect(world.providerAt(h, tMs), `${h.customer} at ${tMs}`).toEqual(
          referenceAt(stream, h.customer, index, firstIds[index]!, tMs),
        );
      };
      const spec = perturbations[perturbation]!;
      const reader = new AheadReader(world, recordsOf(stream)[Symbol.asyncIterator](), drivesReplay);
      const begun = new Set<number>();
      // As the replay does: the clock starts at the first creation; no query before it less the horizon, the longest delay and 1 ms.
      let nowMs = Math.min(...world.accounts.map((h) => h.firstCreatedMs)),
        n = 0;
      const lagMs = world.horizonMs + maxDelayMs(spec) + 1;
      for await (const d of deliveriesOf(reader.received(), spec, streamsFor(picks[0]!).delivery)) {
        world.lowWaterMs = nowMs - lagMs;
        if (sweepEvery > 0 && ++n % sweepEvery === 0) world.sweep();
        await reader.readAhead(d.atMs);
        const previousMs = nowMs;
        nowMs = Math.max(nowMs, d.atMs);
        if (!begun.has(d.accountIndex)) check(d.accountIndex, world.accounts[d.accountIndex]!.firstCreatedMs);
        begun.add(d.accountIndex);
        check(d.accountIndex, nowMs);
        check(d.accountIndex, d.event.created * 1000);
        const other = picks[(n + 1) % 4]! % world.accounts.length;
        if (begun.has(other)) check(other, previousMs + (picks[n % 4]! % (nowMs - previousMs + 1)));
      }
      await reader.readAhead(Number.POSITIVE_INFINITY);
      for (let k = 0; k < world.accounts.length; k++) check(k, (T0 + 100_000) * 1000);
    },
  );
});
