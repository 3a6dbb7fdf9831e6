/**
 * The six stores, as compact per-account records shaped like AccountSnapshot
 * (so a snapshot is the record itself, no copy), plus the simulator's private
 * facts about the customer (card, term, renewal time).
 */
import type {
  AccountSnapshot,
  BillingProdRow,
  CfProdRow,
  ProviderInvoice,
  ProviderState,
  SubsAccountRow,
  SubsCustomerRow,
  SubsDunningRow,
} from '../../../policies/account.js';
import type { AttemptRecord, CardBrand, DeclineCode, Plan, ProviderName } from '../../../policies/types.js';
import { representativeNetworkCodes } from '../../../policies/network-codes.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface SimInvoice extends Mutable<Omit<ProviderInvoice, 'attempts'>> {
  attempts: AttemptRecord[];
  readonly accountId: number;
  /** The on-session mutation this invoice pays for; -1 for renewals. */
  mutationId: number;
}

export interface SimProviderState extends Mutable<Omit<ProviderState, 'invoices'>> {
  invoices: SimInvoice[];
}

export interface Card {
  id: number;
  brand: CardBrand;
  /** When the card stops working; +Infinity for none within the run. */
  expiresAtMs: number;
}

export interface AccountState extends AccountSnapshot {
  readonly accountId: number;
  stripe: SimProviderState;
  billingProd: Mutable<BillingProdRow>[];
  subsAccount: Mutable<SubsAccountRow>;
  subsCustomer: Mutable<SubsCustomerRow>;
  subsDunning: Mutable<SubsDunningRow>;
  cfProd: Mutable<CfProdRow>;
  /** Simulator-private. */
  sim: {
    provider: ProviderName;
    card: Card;
    termMonths: number;
    nextRenewalMs: number;
    /** Serial for this account's provider events and invoices (stable keys for draws). */
    eventSerial: number;
    invoiceSerial: number;
    /** Serials for workload and fault draws, so they stay aligned across policy sets. */
    workloadSerial: number;
    faultSerial: number;
    /** Serial for named fault-site draws (sim/world/faults/sites.ts), apart from faultSerial so plain runs draw as before. */
    buggifySerial: number;
    /** Collection attempts on an invoice already paid, voided or written off. */
    attemptsOnSettled: number;
    lifecycle: number;
    cardSerial: number;
    /** The live wake timer's token; older timers are ignored. */
    wakeToken: number;
    brokenMask: number;
    harmSinceMs: number;
    consequenceLevel: number;
    /** Since when access has been suspended or worse without a break; -1 when it is not. */
    suspendedSinceMs: number;
    /** When the subscriber was lost to failed payment (canceled, or suspended past the bound); -1 if not. */
    lostAtMs: number;
    /** The subscriber's monthly recurring revenue when the measured window opened. */
    windowMrrCents: number;
    /**
     * Bumped on every change to the six stores (a writer write or a provider
     * event), so work that depends only on the stores is redone only when they change.
     */
    version: number;
    /** The version the online checker last saw; -1 before the first check. */
    checkedVersion: number;
    /**
     * The version at which the recompute engine last reached its fixed point; -1 if none. Until
     * `settledUntilMs` (exclusive), with the stores at that version, computing again would find
     * nothing to do and the same wake, `settledWakeAtMs` (-1: none).
     */
    settledVersion: number;
    settledUntilMs: number;
    settledWakeAtMs: number;
  };
}

export function newAccount(
  accountId: number,
  plan: Plan,
  provider: ProviderName,
  card: Card,
  termMonths: number,
  nextRenewalMs: number,
  hasPaid: boolean,
): AccountState {
  return {
    accountId,
    stripe: {
      provider,
      subscriptionStatus: 'active',
      planId: plan.id,
      defaultPaymentMethodId: card.id,
      paymentMethodUpdatedAtMs: -1,
      hasSucceededCharge: hasPaid,
      invoices: [],
    },
    billingProd: [],
    subsAccount: { planId: plan.id, status: 'active', entitlements: plan.entitlements },
    subsCustomer: { defaultPaymentMethodId: card.id, hasNoSuccessfulPayment: !hasPaid, badDebt: false },
    subsDunning: {
      inDunning: false,
      failingInvoiceId: -1,
      failureReason: null,
      retryCount: 0,
      escalationLevel: 'none',
      nextRetryAtMs: -1,
    },
    cfProd: { delinquent: false, restriction: 'none' },
    sim: {
      provider,
      card,
      termMonths,
      nextRenewalMs,
      eventSerial: 0,
      invoiceSerial: 0,
      workloadSerial: 0,
      faultSerial: 0,
      buggifySerial: 0,
      attemptsOnSettled: 0,
      lifecycle: 0,
      cardSerial: 1,
      wakeToken: 0,
      brokenMask: 0,
      harmSinceMs: -1,
      consequenceLevel: 0,
      suspendedSinceMs: -1,
      lostAtMs: -1,
      windowMrrCents: plan.monthlyPriceCents,
      version: 0,
      checkedVersion: -1,
      settledVersion: -1,
      settledUntilMs: -1,
      settledWakeAtMs: -1,
    },
  };
}

export function newCard(id: number, brand: CardBrand, expiresAtMs: number): Card {
  return { id, brand, expiresAtMs };
}

/** An open invoice with no attempts; `mutationId` -1 for a renewal. */
export function newInvoice(
  id: number,
  kind: SimInvoice['kind'],
  amountCents: number,
  createdAtMs: number,
  accountId: number,
  mutationId: number,
): SimInvoice {
  return {
    id,
    kind,
    status: 'open',
    amountCents,
    createdAtMs,
    firstFailedAtMs: -1,
    paidAtMs: -1,
    attempts: [],
    accountId,
    mutationId,
  };
}

export function newAttempt(
  atMs: number,
  paymentMethodId: number,
  brand: CardBrand,
  declineCode: DeclineCode | null,
  onSession: boolean,
): AttemptRecord {
  // The network's own codes, as an issuer would send them for this decline (policies/network-codes.ts).
  return { atMs, paymentMethodId, brand, declineCode, onSession, ...representativeNetworkCodes(declineCode, brand) };
}

/**
 * The world's records are built with every time field (a name ending in `Ms`) already a
 * double. V8 gives a field the representation of the first value stored in it, and "none"
 * (-1) or a time in the first 12.4 days is a small integer, a later time a double. The
 * first double then replaces the record's shape, and every record built before it moves to
 * the new shape on its next touch, on the hot path: on the large scenario all 100,000
 * accounts at their first event and every invoice and attempt of the first twelve days,
 * which made a cold run about 20 % slower (docs/scale.md). So one record of each kind is
 * built here, before any real one, and given a double in each time field: the shapes start
 * as they end. test/world/model/record-shapes.test.ts checks that no later double changes a shape.
 */
function settleRecordShapes(): void {
  const card = newCard(0, 'visa', 0);
  const plan: Plan = { id: 0, name: '', monthlyPriceCents: 0, entitlements: 0 };
  const records = [
    card,
    newAccount(0, plan, 'stripe', card, 1, 0, false),
    newInvoice(0, 'renewal', 0, 0, 0, -1),
    newAttempt(0, 0, 'visa', null, false),
  ];
  for (const record of records) giveTimeFieldsDoubles(record);
}

/** Sets every `…Ms` number field of `record` and of the plain records it holds (not arrays) to a double. */
function giveTimeFieldsDoubles(record: object): void {
  const fields = record as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'number' && name.endsWith('Ms')) fields[name] = 0.5;
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) giveTimeFieldsDoubles(value);
  }
}

settleRecordShapes();

export function findInvoice(account: AccountState, invoiceId: number): SimInvoice | undefined {
  const invoices = account.stripe.invoices;
  for (let k = invoices.length - 1; k >= 0; k--) if (invoices[k]!.id === invoiceId) return invoices[k];
  return undefined;
}

/** Records that the account's stores changed (see `sim.version`). */
export function touch(account: AccountState): void {
  account.sim.version++;
}

/**
 * `list` with `item` appended, as a new array of exactly that length. The
 * stores hold many short lists that grow a few times in a run (invoices,
 * attempts, billing rows); push would over-allocate each by about 16 slots,
 * a gigabyte at a million accounts, and so would `[...list, item]`. A copy
 * into an array of the final length is exact and about 7× faster than
 * `concat` (which allocates a second array for the item).
 */
export function appended<T>(list: readonly T[], item: T): T[] {
  const n = list.length;
  const out = new Array<T>(n + 1);
  for (let k = 0; k < n; k++) out[k] = list[k]!;
  out[n] = item;
  return out;
}
