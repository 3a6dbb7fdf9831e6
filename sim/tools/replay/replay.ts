/**
 * `billsim replay`: drive a policy set's platform with a recorded stream.
 *
 * Pass 1 reads the stream once, validates every line and catalogues what is
 * fixed (customers, plans, invoices; sim/tools/replay/history.ts). Pass 2 reads it
 * again, ahead of the deliveries by the stream's lateness horizon
 * (sim/tools/replay/reader.ts), and delivers the events in file order (or
 * perturbed): at each delivery the provider is what it was at that moment,
 * rebuilt from the events created up to then; the platform (recompute engine
 * or legacy processors) does the rest exactly as in a simulated run. Attempts and outcomes are the recorded ones:
 * in a replay the platform is always "settling", so it makes no attempts of
 * its own, and its provider commands are noted (what it would have done), not
 * carried out.
 */
import { platformStatusOf } from '../../../policies/account.js';
import {
  isInvoiceEvent,
  WEBHOOK_TYPES,
  type WebhookPayload,
  type WebhookType,
} from '../../../policies/dunning/webhook.js';
import type { LifecycleSpec } from '../../../policies/lifecycle.js';
import type { PolicySet } from '../../../policies/sets.js';
import { MS_PER_DAY, severityOf } from '../../../policies/types.js';
import { InputError } from '../../lib/errors.js';
import { checkAccount, closeHarm, countCoverage } from '../../world/engine/checker.js';
import { closeChurn } from '../../world/engine/churn.js';
import type { SimContext } from '../../world/engine/context.js';
import * as K from '../../world/engine/kinds.js';
import type { Platform } from '../../world/engine/platform.js';
import { buildSystem } from '../../world/engine/system.js';
import { resultOf } from '../../world/engine/run.js';
import { EventQueue } from '../../world/kernel/heap.js';
import { streamsFor } from '../../world/kernel/rng.js';
import type { RunResult } from '../../world/result.js';
import { scenarioSchema, type Scenario } from '../../world/scenario/schema.js';
import { SimProvider } from '../../world/model/provider.js';
import {
  newAccount,
  touch,
  type AccountState,
  type SimInvoice,
  type SimProviderState,
} from '../../world/model/state.js';
import { OnlineChecker, type Violation } from '../../world/check/online.js';
import { LIFECYCLE_STATES } from '../../world/engine/lifecycle-state.js';
import { describeBad, readReplayRecords, recordsOfValues, type ReplayHeader, type ReplayRecord } from './format.js';
import { AccountHistory, failureLinks, providerAt, RecordedWorld } from './history.js';
import { EventMarks, hash53 } from './marks.js';
import { deliveriesOf, maxDelayMs, type PerturbSpec, type Recorded } from './perturb.js';
import { AheadReader, type Received } from './reader.js';
import { customerAt, dailySamples, type TimelinePoint } from './timeline.js';

export const DEFAULT_SETTLE_MS = 5 * MS_PER_DAY;
/** Deliveries between sweeps of the history (dropping versions of quiet accounts no query can read). */
const SWEEP_EVERY = 1 << 16;

/**
 * An account's provider store between its events: the replay rebuilds the
 * store from the recording before every event of the account, so holding the
 * last one (every invoice, every attempt) for each quiet account would only
 * cost memory. Frozen, so a read-modify of a stale store fails loudly.
 */
const BETWEEN_EVENTS: SimProviderState = Object.freeze({
  provider: 'stripe',
  subscriptionStatus: 'active',
  planId: 0,
  cancelAtPeriodEnd: false,
  defaultPaymentMethodId: -1,
  paymentMethodUpdatedAtMs: -1,
  hasSucceededCharge: false,
  invoices: Object.freeze([]) as unknown as SimInvoice[],
});

export interface ReplayOptions {
  readonly policies: PolicySet;
  /** The lifecycle spec the policies' transitions are checked against. */
  readonly lifecycle: LifecycleSpec;
  readonly seed: number;
  readonly perturb: PerturbSpec | null;
  readonly skipBad: boolean;
  /** Settle window after the latest `created`; null: the header's, else five days. */
  readonly settleMs: number | null;
  readonly onBytes?: (bytes: number) => void;
  /** Deliver each event once, in creation order (`created`, then id), instead of file order: the order check of sim/tools/replay/verdict.ts. */
  readonly creationOrder?: boolean;
  /** Times to record every known customer's state at (`--at`), or 'daily' (`--timeline`: the end of each UTC day). */
  readonly samples?: readonly number[] | 'daily';
}

/** A plain replay of a stream under `policies`: recorded order, no perturbation, seed 1, the stream's own settle window. */
export function plainReplayOptions(
  policies: PolicySet,
  lifecycle: LifecycleSpec,
  overrides: Partial<ReplayOptions> = {},
): ReplayOptions {
  return { policies, lifecycle, seed: 1, perturb: null, skipBad: false, settleMs: null, ...overrides };
}

export interface FinalAccount {
  readonly customer: string;
  readonly email: string | null;
  readonly name: string | null;
  readonly invoices: readonly { readonly id: string; readonly status: string }[];
  readonly inDunning: boolean;
  readonly restricted: boolean;
  readonly subscriptionStatus: string;
}

/** A file or directory path, or the objects of a stream already in memory (a generated one). */
export type ReplaySource = string | readonly unknown[];

function sourceName(source: ReplaySource): string {
  return typeof source === 'string' ? source : '(generated stream)';
}

function recordsOf(
  source: ReplaySource,
  onBytes?: (bytes: number) => void,
): AsyncIterable<ReplayRecord> | Iterable<ReplayRecord> {
  return typeof source === 'string' ? readReplayRecords(source, onBytes) : recordsOfValues(source, sourceName(source));
}

async function* asyncRecordsOf(source: ReplaySource, onBytes?: (bytes: number) => void): AsyncGenerator<ReplayRecord> {
  yield* recordsOf(source, onBytes);
}

export interface ReplayOutcome {
  readonly result: RunResult;
  readonly accounts: readonly FinalAccount[];
  readonly ignoredEventTypes: Readonly<Record<string, number>>;
  readonly skippedLines: number;
  /** Stream events read (every type, good lines only). */
  readonly events: number;
  readonly header: ReplayHeader | null;
  readonly endMs: number;
  /** Provider commands the policies decided and the recorded provider did not carry out. */
  readonly commandsNotExecuted: { readonly writeOffs: number; readonly cancellations: number };
  /** The first violation of each named invariant the online checker saw (sim/world/check/online.ts). */
  readonly violations: readonly Violation[];
  /** Every account's six stores at the end. */
  readonly states: readonly AccountState[];
  /** What the replay could not link (docs/replay.md, "What could not be read"). */
  readonly unlinked: Unlinked;
  /** Each customer's state at the asked times (empty unless --at or --timeline). */
  readonly timeline: readonly TimelinePoint[];
}

/** What a stream did not let the replay link: failed invoices with no attempt, events with no customer, unknown types. */
export interface Unlinked {
  /** Invoices with a recorded failure (a failed charge or intent, or the invoice's own payment_failed). */
  readonly failedInvoices: number;
  /** Of those, the ones no charge, payment intent or invoice payment could be linked to (reason unknown). */
  readonly failedInvoicesWithoutAttempts: number;
  /** Events about a payment whose customer no field names, even through its invoice, by type. */
  readonly eventsWithoutCustomer: Readonly<Record<string, number>>;
  /** Event types the replay does not read (as ignoredEventTypes). */
  readonly unknownTypes: number;
  /** A loud warning, or null: invoices failed and none could be linked to an attempt. */
  readonly warning: string | null;
}

const RELEVANT = /^(invoice|invoice_payment|payment_intent|charge|customer\.subscription|payment_method)\./;

export function drivesReplay(type: string): boolean {
  return RELEVANT.test(type) || type === 'customer.updated' || type === 'customer.created';
}

/** The provider in a replay: its state is the recording; commands are counted, never carried out. */
class RecordedProvider extends SimProvider {
  writeOffs = 0;
  cancellations = 0;

  override markUncollectible(): boolean {
    this.writeOffs++;
    return false;
  }

  override cancelSubscription(): boolean {
    this.cancellations++;
    return false;
  }

  override setCancelAtPeriodEnd(): boolean {
    this.cancellations++;
    return false;
  }
}

interface FirstPass {
  readonly world: RecordedWorld;
  readonly header: ReplayHeader | null;
  readonly ignored: Record<string, number>;
  readonly skipped: number;
  readonly lastCreatedMs: number;
  readonly events: number;
}

async function firstPass(source: ReplaySource, options: ReplayOptions): Promise<FirstPass> {
  const world = new RecordedWorld();
  const ignored: Record<string, number> = {};
  let header: ReplayHeader | null = null,
    skipped = 0,
    lastCreatedMs = Number.NEGATIVE_INFINITY,
    events = 0;
  for await (const r of recordsOf(source, options.onBytes)) {
    if (r.kind === 'bad') {
      if (!options.skipBad) throw new InputError(describeBad(r));
      skipped++;
    } else if (r.kind === 'header') header ??= r.header;
    else {
      events++;
      lastCreatedMs = Math.max(lastCreatedMs, r.event.created * 1000);
      if (!drivesReplay(r.event.type) || !world.catalog(r.event))
        ignored[r.event.type] = (ignored[r.event.type] ?? 0) + 1;
    }
  }
  if (events === 0) throw new InputError(`${sourceName(source)}: no Stripe events to replay`);
  world.finalize();
  return { world, header, ignored, skipped, lastCreatedMs, events };
}

export async function replayStream(source: ReplaySource, options: ReplayOptions): Promise<ReplayOutcome> {
  const pass = await firstPass(source, options);
  const settleMs = options.settleMs ?? pass.header?.settleMs ?? DEFAULT_SETTLE_MS;
  const replay = new Replay(sourceName(source), pass, options, settleMs);
  await replay.run(source);
  return replay.outcome(pass);
}

function replayScenario(accounts: number, spanMs: number, settleMs: number): Scenario {
  return scenarioSchema.parse({
    name: 'replay',
    accounts: Math.max(1, Math.min(accounts, 2_000_000)),
    days: Math.max(1, Math.min(730, Math.ceil(spanMs / MS_PER_DAY))),
    settleDays: Math.max(1, Math.min(60, Math.ceil(settleMs / MS_PER_DAY))),
    webhooks: { delayMaxMs: 1 },
    faults: { cfProdCallFailureRate: 0, providerTimeoutRate: 0 },
  });
}

class Replay {
  readonly ctx: SimContext;
  readonly scenario: Scenario;
  readonly platform: Platform;
  /** The stream's file (or directory) name: the run's scenario name in the result (any length). */
  private readonly path: string;
  private readonly provider: RecordedProvider;
  private readonly world: RecordedWorld;
  private readonly checker: OnlineChecker;
  private readonly marks = new EventMarks();
  /** Accounts whose initial state is set (at their first delivery, when their history has been read that far). */
  private readonly begun: Uint8Array;
  /** Times still to sample, ascending, and the points taken. */
  private readonly samples: number[];
  private nextSample = 0;
  private readonly timeline: TimelinePoint[] = [];

  constructor(
    path: string,
    pass: FirstPass,
    private readonly options: ReplayOptions,
    settleMs: number,
  ) {
    this.world = pass.world;
    let startMs = Number.POSITIVE_INFINITY;
    for (const h of pass.world.accounts) startMs = Math.min(startMs, h.firstCreatedMs);
    const endMs = pass.lastCreatedMs + settleMs;
    this.path = path;
    this.scenario = replayScenario(pass.world.accounts.length, pass.lastCreatedMs - startMs, settleMs);
    const streams = streamsFor(options.seed);
    this.provider = new RecordedProvider(
      this.scenario,
      streams.declines,
      pass.world.plans,
      () => {},
      this.scenario.limits.invoicesPerAccountMax,
    );
    const system = buildSystem({
      scenario: this.scenario,
      policies: options.policies,
      streams,
      plans: pass.world.plans,
      provider: this.provider,
      queue: new EventQueue(pass.world.accounts.length * 2, this.scenario.limits.pendingEventsMax),
      workloadEndMs: Number.NEGATIVE_INFINITY,
      endMs,
      startMs,
      weather: null,
      lifecycle: options.lifecycle,
    });
    this.ctx = system.ctx;
    this.platform = system.platform;
    const placeholder = newAccount(
      -1,
      pass.world.plans[0]!,
      'stripe',
      { id: -1, brand: 'visa', expiresAtMs: Number.POSITIVE_INFINITY },
      1,
      Number.POSITIVE_INFINITY,
      false,
    );
    for (let k = 0; k < pass.world.accounts.length; k++) this.ctx.accounts.push(placeholder);
    this.begun = new Uint8Array(pass.world.accounts.length);
    this.ctx.metrics.occupancy[0] = pass.world.accounts.length;
    this.checker = new OnlineChecker(this.ctx, options.lifecycle, pass.lastCreatedMs);
    const samples = options.samples ?? [];
    this.samples = (samples === 'daily' ? dailySamples(startMs, endMs) : [...samples].sort((x, y) => x - y)).filter(
      (t) => t <= endMs,
    );
  }

  /** Records every known customer's state at each sample time before t (timers up to it run first). */
  private sampleBefore(tMs: number): void {
    while (this.nextSample < this.samples.length && this.samples[this.nextSample]! < tMs) {
      const atMs = Math.max(this.samples[this.nextSample++]!, this.ctx.nowMs);
      this.advanceTo(atMs);
      const customers = [];
      for (let k = 0; k < this.ctx.accounts.length; k++) {
        if (this.begun[k] === 0) continue;
        const a = this.ctx.accounts[k]!,
          h = this.world.accounts[k]!;
        a.stripe = this.world.providerAt(h, atMs);
        const keys = new Map(h.ordered.map((i) => [i.id, i.key]));
        customers.push(customerAt(a, h.customer, keys, atMs, this.options.policies));
        a.stripe = BETWEEN_EVENTS;
      }
      this.timeline.push({ atMs, at: new Date(atMs).toISOString(), customers });
    }
  }

  /** The stores checker, then the named invariants (safety after every event, liveness once the recording ends). */
  private check(a: AccountState): void {
    const from = LIFECYCLE_STATES[a.sim.lifecycle]!;
    checkAccount(this.ctx, a);
    this.checker.afterEvent(a, from, LIFECYCLE_STATES[a.sim.lifecycle]!);
  }

  get seed(): number {
    return this.options.seed;
  }

  /** Before the recording starts, the platform agrees with the provider as it then was. */
  private initialAccount(h: AccountHistory): AccountState {
    const stripe = providerAt(h, h.firstCreatedMs);
    const plan = this.world.plans[stripe.planId]!;
    const a = newAccount(
      h.index,
      plan,
      'stripe',
      { id: stripe.defaultPaymentMethodId, brand: 'visa', expiresAtMs: Number.POSITIVE_INFINITY },
      1,
      Number.POSITIVE_INFINITY,
      stripe.hasSucceededCharge,
    );
    a.stripe = stripe;
    a.subsAccount.status = stripe.subscriptionStatus;
    for (const i of stripe.invoices) a.billingProd.push({ invoiceId: i.id, status: platformStatusOf(i.status) });
    return a;
  }

  async run(source: ReplaySource): Promise<void> {
    const stream = streamsFor(this.options.seed).delivery;
    const reader = new AheadReader(this.world, asyncRecordsOf(source, this.options.onBytes), drivesReplay);
    const received = this.options.creationOrder === true ? inCreationOrder(reader.received()) : reader.received();
    // No query reads the provider before this lag behind the replay clock: a delivery comes at most the
    // perturbation's delay after the stream's clock, which is at most the horizon after its event's creation.
    const lagMs = this.world.horizonMs + maxDelayMs(this.options.perturb) + 1;
    let delivered = 0;
    for await (const d of deliveriesOf(received, this.options.perturb, stream)) {
      this.world.lowWaterMs = this.ctx.nowMs - lagMs;
      if (++delivered % SWEEP_EVERY === 0) this.world.sweep();
      await reader.readAhead(d.atMs);
      this.sampleBefore(d.atMs);
      this.advanceTo(d.atMs);
      const a = this.account(d.accountIndex);
      this.deliver(a, this.world.accounts[d.accountIndex]!, d.event);
      a.stripe = BETWEEN_EVENTS;
    }
    await reader.readAhead(Number.POSITIVE_INFINITY);
    this.sampleBefore(this.ctx.endMs + 1);
    this.advanceTo(this.ctx.endMs);
    this.ctx.nowMs = this.ctx.endMs;
    for (let k = 0; k < this.ctx.accounts.length; k++) {
      const a = this.account(k);
      a.stripe = this.world.providerAt(this.world.accounts[k]!, this.ctx.endMs);
      touch(a);
      this.check(a);
      closeHarm(this.ctx, a);
      closeChurn(this.ctx, a);
    }
    this.checker.atEnd(this.ctx.accounts);
  }

  /** The account's state, set to the provider's as it first was on its first use. */
  private account(index: number): AccountState {
    if (this.begun[index] === 0) {
      this.begun[index] = 1;
      this.ctx.accounts[index] = this.initialAccount(this.world.accounts[index]!);
    }
    return this.ctx.accounts[index]!;
  }

  /** Runs the platform's own timers due before t (the replay clock never runs backwards). */
  private advanceTo(tMs: number): void {
    const { queue } = this.ctx;
    while (queue.length > 0 && queue.peekTimeMs() <= tMs && queue.peekTimeMs() < this.ctx.endMs) {
      queue.pop();
      this.ctx.nowMs = Math.max(this.ctx.nowMs, queue.poppedTimeMs);
      if (++this.ctx.metrics.events > this.scenario.limits.eventsMax)
        throw new Error(`replay exceeded limits.eventsMax`);
      const a = this.ctx.accounts[queue.poppedAccount]!;
      a.stripe = this.world.providerAt(this.world.accounts[a.accountId]!, this.ctx.nowMs);
      touch(a);
      if (queue.poppedKind === K.EV_WAKE) this.platform.onWake(a, queue.poppedToken);
      else if (queue.poppedKind === K.EV_RETRY) this.platform.onRetryDue(a, queue.poppedArg);
      this.check(a);
      a.stripe = BETWEEN_EVENTS;
    }
    this.ctx.nowMs = Math.max(this.ctx.nowMs, tMs);
  }

  private deliver(a: AccountState, h: AccountHistory, event: Received): void {
    this.ctx.metrics.events++;
    a.stripe = this.world.providerAt(h, this.ctx.nowMs);
    touch(a); // the recording replaced the provider's store: work keyed on the store version is redone
    if (!(WEBHOOK_TYPES as readonly string[]).includes(event.type)) {
      this.platform.reconcile(a);
      this.check(a);
      return;
    }
    const payload = payloadOf(h, event);
    const handled = this.platform.onDelivery(a, payload);
    if (isInvoiceEvent(payload.type))
      this.marks.update(hash53(event.id), (entry) => countCoverage(this.ctx, a, payload.invoiceId, entry, handled));
    this.check(a);
  }

  outcome(pass: FirstPass): ReplayOutcome {
    const result = {
      ...resultOf(this),
      scenario: this.path,
      parameters: {
        replay: { file: this.path, perturb: this.options.perturb, endMs: this.ctx.endMs, header: pass.header },
        policies: resultOf(this).parameters.policies,
      },
    };
    return {
      result,
      accounts: this.ctx.accounts.map((a) => finalAccount(a, this.world.accounts[a.accountId]!)),
      ignoredEventTypes: Object.fromEntries(Object.entries(pass.ignored).sort(([x], [y]) => x.localeCompare(y))),
      skippedLines: pass.skipped,
      events: pass.events,
      header: pass.header,
      endMs: this.ctx.endMs,
      commandsNotExecuted: { writeOffs: this.provider.writeOffs, cancellations: this.provider.cancellations },
      violations: [...this.checker.violations.values()],
      states: this.ctx.accounts,
      unlinked: unlinkedOf(this.world, pass.ignored),
      timeline: this.timeline,
    };
  }
}

function unlinkedOf(world: RecordedWorld, ignored: Readonly<Record<string, number>>): Unlinked {
  let failedInvoices = 0,
    withoutAttempts = 0;
  for (const h of world.accounts)
    for (const invoice of h.ordered) {
      const { failed, linked } = failureLinks(invoice);
      if (failed) failedInvoices++;
      if (failed && !linked) withoutAttempts++;
    }
  const warning =
    failedInvoices > 0 && withoutAttempts === failedInvoices
      ? `WARNING: ${failedInvoices} invoice(s) failed and not one charge, payment intent or invoice payment could be linked to them: decline codes are unknown (read as generic_decline), so recovery figures rest on the invoices alone`
      : null;
  return {
    failedInvoices,
    failedInvoicesWithoutAttempts: withoutAttempts,
    eventsWithoutCustomer: Object.fromEntries(Object.entries(world.noCustomer).sort(([x], [y]) => x.localeCompare(y))),
    unknownTypes: Object.values(ignored).reduce((sum, n) => sum + n, 0),
    warning,
  };
}

/** Each event once (by id), sorted by `created`, then id: held in memory, for small streams. */
async function* inCreationOrder(records: AsyncIterable<Recorded<Received>>): AsyncGenerator<Recorded<Received>> {
  const byId = new Map<string, Recorded<Received>>();
  for await (const r of records) if (!byId.has(r.event.id)) byId.set(r.event.id, r);
  yield* [...byId.values()].sort(
    (x, y) => x.event.created - y.event.created || (x.event.id < y.event.id ? -1 : x.event.id > y.event.id ? 1 : 0),
  );
}

/** What the legacy processors read: the payload as it was when the event was created. */
function payloadOf(h: AccountHistory, event: Received): WebhookPayload {
  const createdMs = event.created * 1000;
  const then = providerAt(h, createdMs);
  const recorded = event.invoice ?? undefined;
  const invoice = recorded === undefined ? undefined : then.invoices.find((i) => i.id === recorded.id);
  const last = invoice?.attempts[invoice.attempts.length - 1];
  return {
    eventId: h.deliveries,
    type: event.type as WebhookType,
    createdMs,
    accountId: h.index,
    invoiceId: recorded?.id ?? -1,
    invoiceStatus: invoice?.status ?? null,
    attemptCount: invoice?.attempts.length ?? 0,
    declineCode: last?.declineCode ?? null,
    amountCents: invoice?.amountCents ?? 0,
    onSession: recorded?.kind === 'upgrade',
    subscriptionStatus: then.subscriptionStatus,
    planId: then.planId,
    paymentMethodId: then.defaultPaymentMethodId,
  };
}

function finalAccount(a: AccountState, h: AccountHistory): FinalAccount {
  return finalState(a, h.customer, h.email, h.name, new Map(h.ordered.map((i) => [i.id, i.key])));
}

/**
 * An account's final state as the replay reports it: invoices as the platform
 * shows them (billing_prod; the provider's status where the platform has no row),
 * dunning, restriction beyond a notice, and the platform's subscription status.
 */
export function finalState(
  a: AccountState,
  customer: string,
  email: string | null,
  name: string | null,
  invoiceKeys: ReadonlyMap<number, string>,
): FinalAccount {
  return {
    customer,
    email,
    name,
    invoices: a.stripe.invoices.map((provider) => {
      const row = a.billingProd.find((r) => r.invoiceId === provider.id);
      return {
        id: invoiceKeys.get(provider.id) ?? String(provider.id),
        // A draft is not yet owed: it is no platform row, whatever a row keyed on it says.
        status: provider.status === 'draft' ? 'draft' : (row?.status ?? platformStatusOf(provider.status)),
      };
    }),
    inDunning: a.subsDunning.inDunning,
    restricted: a.cfProd.delinquent || severityOf(a.cfProd.restriction) > severityOf('notice'),
    subscriptionStatus: a.subsAccount.status,
  };
}
