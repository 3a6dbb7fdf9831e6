/**
 * One run: build the world from the scenario and seed, drive the event loop
 * to the end of the settle window, check every account after every event.
 */
import { isInvoiceEvent, type WebhookPayload, type WebhookType } from '../../../policies/dunning/webhook.js';
import type { LifecycleSpec } from '../../../policies/lifecycle.js';
import type { PolicySet } from '../../../policies/sets.js';
import { MS_PER_DAY } from '../../../policies/types.js';
import { isOwed } from '../../../policies/account.js';
import { bucketsFor, EventQueue } from '../kernel/heap.js';
import { streamsFor } from '../kernel/rng.js';
import type { Scenario } from '../scenario/schema.js';
import { deliveryDelaysMs } from '../model/delivery.js';
import { createAccount, firstArrivalMs, MONTH_MS, plansOf } from '../model/population.js';
import { SimProvider } from '../model/provider.js';
import { appended, findInvoice, touch, type AccountState, type SimInvoice } from '../model/state.js';
import { recordAttempt } from './attempts.js';
import { DunningContacts } from './contacts.js';
import { checkAccount, closeHarm, countCoverage, type CoverageEntry } from './checker.js';
import { closeChurn, noteCanceledForNonPayment } from './churn.js';
import { workloadChance, workloadDelayMs, type SimContext } from './context.js';
import * as K from './kinds.js';
import type { EventLog } from './event-log.js';
import { MutationFlow } from './mutations.js';
import { commitRenewal, lateOffSessionRollback, settleOffSession } from './off-session.js';
import { isEventBlind, type EventBlindPlatform, type Platform } from './platform.js';
import { buildSystem } from './system.js';
import { LIFECYCLE_STATES } from './lifecycle-state.js';
import { OnlineChecker } from '../check/online.js';
import { foldEventHash, EVENT_HASH_SEED } from '../check/hashes.js';
import { fires, noteFault } from '../faults/sites.js';
import { healedScenario, weatheredScenario, type Weather } from '../faults/weather.js';
import { endWarmUp, simulatedDaysOf, supportContactMs, warmUpMsOf } from './warm-up.js';
import { LimitExceeded } from '../kernel/limits.js';
import { ACCOUNT_INIT, DELIVERY, FAULTS, WORKLOAD } from '../kernel/slots.js';

export interface SimOptions {
  /** Fault weather for the safety phase; it heals at the end of the workload. */
  readonly weather?: Weather | null;
  /** Run the online checker (safety after every event, liveness after healing, convergence at the end). */
  readonly verify?: boolean;
  /** Drive only these accounts' workload (the others stay idle): replays one account of a run exactly. */
  readonly onlyAccounts?: ReadonlySet<number>;
  /** The accounts this simulation owns: the whole population, or one shard of it. */
  readonly range?: AccountRange;
  /** The lifecycle spec the policies' transitions are checked against (the tool reads it); without one, none are. */
  readonly lifecycle?: LifecycleSpec;
}

/** The online checker judges transitions against the spec, so a verifying run must be given one. */
function requiredSpec(spec: LifecycleSpec | null): LifecycleSpec {
  if (spec === null) throw new Error('Simulation: verify needs the lifecycle spec (SimOptions.lifecycle)');
  return spec;
}

/** An observer of the provider's events: their payloads when created, each delivery. */
export interface EventSink {
  start(accounts: readonly AccountState[]): void;
  created(a: AccountState, payload: WebhookPayload, invoice: SimInvoice | null): void;
  delivered(payload: WebhookPayload, lastDelivery: boolean): void;
}

/** A contiguous range of account ids: the whole population, or one shard of it. */
export interface AccountRange {
  readonly first: number;
  readonly count: number;
}

/**
 * Events an account makes in a simulated day, about: 0.26 under `target` on the
 * large scenario. It only sizes the event queue's buckets (the pop order does
 * not depend on them), so a scenario far from it runs as exactly, a little slower.
 */
const EVENTS_PER_ACCOUNT_DAY = 0.26;

export class Simulation {
  readonly ctx: SimContext;
  readonly platform: Platform;
  readonly mutationFlow: MutationFlow;
  failedInvoices = 0;
  recoveredInvoices = 0;
  /** Day events processed (every shard processes all of them). */
  dayEvents = 0;
  /** Each dunning code path, and the index of the first daily row that counted it. */
  readonly dunningWriterFirstRow = new Map<string, number>();
  /** Sees every provider event as created and as delivered (--export-events); null costs one check per event. */
  private sink: EventSink | null = null;
  /** A 32-bit fold of every kernel event (time, kind, account, arg), in order. */
  eventLogHash = EVENT_HASH_SEED;
  readonly checker: OnlineChecker | null;
  private healed = false;
  /** The platform when it never reads webhook payloads (see deliver), else null. */
  private readonly blindPlatform: EventBlindPlatform | null;
  /** Scratch for a delivery's coverage flags (read from and written back to its slot). */
  private readonly coverage: CoverageEntry = { covered: false, delivered: false };
  /** The policy set's dunning contacts; null when it has no contact schedule. */
  private readonly contacts: DunningContacts | null;
  /** Scratch for an emitted event's delivery delays (one or two). */
  private readonly delaysMs = new Float64Array(2);

  readonly range: AccountRange;

  constructor(
    readonly scenario: Scenario,
    readonly policies: PolicySet,
    readonly seed: number,
    private readonly options: SimOptions = {},
  ) {
    const range = options.range ?? { first: 0, count: scenario.accounts };
    this.range = range;
    const streams = streamsFor(seed);
    const plans = plansOf(scenario);
    const { bucketWidthMs, ringBuckets } = bucketsFor(range.count * EVENTS_PER_ACCOUNT_DAY);
    const queue = new EventQueue(range.count * 4, scenario.limits.pendingEventsMax, bucketWidthMs, ringBuckets);
    const workloadEndMs = simulatedDaysOf(scenario) * MS_PER_DAY;
    const provider = new SimProvider(
      scenario,
      streams.declines,
      plans,
      (a, t, i, o) => this.emit(a, t, i, o),
      scenario.limits.invoicesPerAccountMax,
    );
    const weather = options.weather ?? null;
    const lifecycle = options.lifecycle ?? null;
    const system = buildSystem({
      scenario: weather === null ? scenario : weatheredScenario(scenario, weather),
      policies,
      streams,
      plans,
      provider,
      queue,
      workloadEndMs,
      endMs: workloadEndMs + scenario.settleDays * MS_PER_DAY,
      startMs: 0,
      weather,
      lifecycle,
    });
    this.ctx = system.ctx;
    this.platform = system.platform;
    this.blindPlatform = isEventBlind(this.platform) ? this.platform : null;
    this.ctx.slots.snapshotsPayloads = this.readsPayloads();
    this.mutationFlow = new MutationFlow(this.ctx, this.platform);
    this.contacts = policies.contact === undefined ? null : new DunningContacts(this.ctx, policies.contact);
    this.checker = options.verify === true ? new OnlineChecker(this.ctx, requiredSpec(lifecycle)) : null;
    if (scenario.customers.payAfterSuspensionShare !== undefined)
      this.ctx.writer.onSuspended = (a) => this.reactToSuspension(a);
    this.populate();
  }

  /** Does anything read a webhook's payload: a platform that is not event-blind, or an event sink? Else slots keep only what deliveries read. */
  private readsPayloads(): boolean {
    return this.blindPlatform === null || this.sink !== null;
  }

  /** Attach an event sink before run(); it first sees the world as populated. */
  observeEvents(sink: EventSink): void {
    this.sink = sink;
    this.ctx.slots.snapshotsPayloads = this.readsPayloads();
    sink.start(this.ctx.accounts);
  }

  private populate(): void {
    const { scenario: s, ctx, range } = this;
    for (let id = range.first; id < range.first + range.count; id++) {
      const a = createAccount(s, ctx.plans, ctx.streams.workload, id);
      ctx.accounts.push(a);
      for (const row of a.stripe.invoices)
        a.billingProd = appended(a.billingProd, { invoiceId: row.id, status: 'paid' });
      if (this.options.onlyAccounts !== undefined && !this.options.onlyAccounts.has(id)) continue;
      this.scheduleWorkload(a.sim.nextRenewalMs, K.EV_RENEWAL, id, 0);
      this.scheduleWorkload(
        firstArrivalMs(ctx.streams.workload, id, ACCOUNT_INIT.firstUpgrade, s.customers.upgradesPerAccountMonth),
        K.EV_UPGRADE,
        id,
        0,
      );
      this.scheduleWorkload(
        firstArrivalMs(
          ctx.streams.workload,
          id,
          ACCOUNT_INIT.firstPaymentMethodUpdate,
          s.customers.paymentMethodUpdatesPerAccountMonth,
        ),
        K.EV_PM_UPDATE,
        id,
        1,
      );
      this.scheduleSupportContact(id, 0, 0);
    }
    ctx.metrics.occupancy[0] = range.count;
    const windowStartMs = warmUpMsOf(s);
    if (windowStartMs > 0) ctx.queue.push(windowStartMs, K.EV_WARM_UP_END, -1, 0, 0);
    for (let day = 1; windowStartMs + day * MS_PER_DAY <= ctx.endMs; day++)
      ctx.queue.push(windowStartMs + day * MS_PER_DAY, K.EV_DAY, -1, day, 0);
  }

  private scheduleWorkload(atMs: number, kind: number, accountId: number, arg: number): void {
    if (atMs < this.ctx.workloadEndMs) this.ctx.queue.push(atMs, kind, accountId, arg, 0);
  }

  /** Runs to the end of the settle window. `observe` hears every 65,536th event (progress); `log` records every event. */
  run(observe?: (events: number, nowMs: number) => void, log?: EventLog): void {
    const { queue, metrics, endMs } = this.ctx;
    const eventsMax = this.scenario.limits.eventsMax;
    while (queue.length > 0 && queue.peekTimeMs() <= endMs) {
      queue.pop();
      this.ctx.nowMs = queue.poppedTimeMs;
      if (this.ctx.nowMs >= this.ctx.workloadEndMs) this.heal();
      if (++metrics.events > eventsMax)
        throw new LimitExceeded('limits.eventsMax', `the run passed ${eventsMax} events`);
      log?.record(queue.poppedTimeMs, queue.poppedKind, queue.poppedAccount);
      this.eventLogHash = foldEventHash(
        this.eventLogHash,
        this.ctx.nowMs,
        queue.poppedKind,
        queue.poppedAccount,
        queue.poppedArg,
      );
      this.dispatch(queue.poppedKind, queue.poppedAccount, queue.poppedArg, queue.poppedToken);
      if (observe !== undefined && (metrics.events & 0xffff) === 0) observe(metrics.events, this.ctx.nowMs);
    }
    this.ctx.nowMs = endMs;
    this.checker?.atEnd(this.ctx.accounts);
    for (const a of this.ctx.accounts) {
      closeHarm(this.ctx, a);
      closeChurn(this.ctx, a);
    }
    this.noteDunningWriters();
  }

  /** The weather heals at the end of the workload: the liveness phase runs with no faults. */
  private heal(): void {
    if (this.healed || this.ctx.weather === null) return;
    this.healed = true;
    this.ctx.scenario = healedScenario(this.scenario);
  }

  private dispatch(kind: number, accountId: number, arg: number, token: number): void {
    if (kind === K.EV_DAY) return this.recordDay(arg);
    if (kind === K.EV_WARM_UP_END) return this.endWarmUp();
    const a = this.ctx.accounts[accountId - this.range.first]!;
    const from = LIFECYCLE_STATES[a.sim.lifecycle]!;
    this.handle(a, kind, arg, token);
    this.check(a, from);
  }

  /**
   * The online checker reads only the stores (harm also the time, but only when
   * they change), so an account unchanged since its last check is skipped.
   * The verification checker (safety, liveness) runs after every event.
   */
  private check(a: AccountState, from: string): void {
    if (a.sim.checkedVersion !== a.sim.version) {
      a.sim.checkedVersion = a.sim.version;
      checkAccount(this.ctx, a);
    }
    this.checker?.afterEvent(a, from, LIFECYCLE_STATES[a.sim.lifecycle]!);
  }

  /** The window starts: forget the warm-up's flows (sim/world/engine/warm-up.ts). */
  private endWarmUp(): void {
    this.dayEvents++; // a global event like a day boundary: every shard processes it, so it is not an account event
    endWarmUp(this.ctx);
    this.failedInvoices = 0;
    this.recoveredInvoices = 0;
  }

  /** A support contact or audit; the next one is scheduled from the same keyed draws. */
  private supportContact(a: AccountState, k: number): void {
    this.scheduleSupportContact(a.accountId, k + 1, this.ctx.nowMs);
    this.platform.onSupportContact?.(a);
  }

  /** Support and audits go on through the settle window: under legacy they are how the stores settle. */
  private scheduleSupportContact(accountId: number, k: number, afterMs: number): void {
    const atMs = supportContactMs(this.ctx, accountId, k, afterMs);
    if (atMs <= this.ctx.endMs) this.ctx.queue.push(atMs, K.EV_SUPPORT_CONTACT, accountId, k, 0);
  }

  private recordDay(day: number): void {
    const { metrics, writer } = this.ctx;
    this.dayEvents++;
    this.noteDunningWriters();
    metrics.recordDay(day, writer.dunningWriters.size, this.failedInvoices, this.recoveredInvoices);
  }

  /** Remembers the daily row from which each dunning code path is counted (shards merge by it). */
  noteDunningWriters(): void {
    const writers = this.ctx.writer.dunningWriters;
    if (writers.size === this.dunningWriterFirstRow.size) return;
    for (const path of writers)
      if (!this.dunningWriterFirstRow.has(path)) this.dunningWriterFirstRow.set(path, this.ctx.metrics.daily.length);
  }

  private handle(a: AccountState, kind: number, arg: number, token: number): void {
    switch (kind) {
      case K.EV_DELIVER:
        return this.deliver(a, arg);
      case K.EV_RENEWAL:
        return this.renew(a);
      case K.EV_UPGRADE:
        return this.upgrade(a, -1);
      case K.EV_UPGRADE_AGAIN:
        return this.upgrade(a, arg);
      case K.EV_PM_UPDATE:
        return this.updatePaymentMethod(a, arg === 1);
      case K.EV_RETRY:
        return this.platform.onRetryDue(a, arg);
      case K.EV_WAKE:
        return this.platform.onWake(a, token);
      case K.EV_PAY_OUT_OF_BAND:
        return this.payOutOfBand(a, arg);
      case K.EV_OFF_SESSION_ROLLBACK_LATE:
        return lateOffSessionRollback(this.ctx, a, token);
      case K.EV_ROLLBACK_LATE:
        return this.mutationFlow.revert(a, this.ctx.mutations[arg]!);
      case K.EV_BAD_DEBT_CHECK:
        return this.mutationFlow.checkBadDebt(a, this.ctx.mutations[arg]!);
      case K.EV_SUPPORT_CONTACT:
        return this.supportContact(a, arg);
      case K.EV_DUNNING_CONTACT:
        return this.contacts?.due(a, arg, token);
      case K.EV_AUTH_DONE:
        return this.mutationFlow.authenticationDone(a, findInvoice(a, arg)!, this.ctx.mutations[token]!);
      case K.EV_AUTH_EXPIRED:
        return this.mutationFlow.authenticationExpired(a, findInvoice(a, arg)!);
      default:
        throw new Error(`unknown event kind ${kind}`);
    }
  }

  private renew(a: AccountState): void {
    if (a.stripe.subscriptionStatus === 'canceled') return;
    const { ctx } = this;
    if (a.stripe.cancelAtPeriodEnd === true) {
      ctx.provider.cancelSubscription(a);
      noteCanceledForNonPayment(ctx, a);
      return;
    }
    const plan = ctx.provider.plan(a.stripe.planId);
    const invoice = ctx.provider.createInvoice(a, 'renewal', plan.monthlyPriceCents * a.sim.termMonths, ctx.nowMs, -1);
    const reversals = commitRenewal(ctx, a, invoice);
    const result = recordAttempt(ctx, a, invoice, false);
    settleOffSession(ctx, a, reversals, result.outcome.kind === 'succeeded');
    if (result.outcome.kind !== 'succeeded') this.reactToFailure(a, invoice);
    a.sim.nextRenewalMs += a.sim.termMonths * MONTH_MS;
    this.scheduleWorkload(a.sim.nextRenewalMs, K.EV_RENEWAL, a.accountId, 0);
  }

  /** After a failed renewal some customers add a new card, some pay the invoice themselves. */
  private reactToFailure(a: AccountState, invoice: SimInvoice): void {
    const c = this.scenario.customers,
      { ctx } = this;
    this.contacts?.start(a, invoice);
    if (workloadChance(ctx, a, c.updateAfterFailureShare, WORKLOAD.updatesAfterFailure)) {
      this.scheduleWorkload(
        ctx.nowMs +
          workloadDelayMs(ctx, a, c.updateAfterFailureMeanDays * MS_PER_DAY, WORKLOAD.updateAfterFailureDelay),
        K.EV_PM_UPDATE,
        a.accountId,
        0,
      );
    }
    if (workloadChance(ctx, a, c.payOutOfBandShare, WORKLOAD.paysOutOfBand)) {
      this.scheduleWorkload(
        ctx.nowMs + workloadDelayMs(ctx, a, c.payOutOfBandMeanDays * MS_PER_DAY, WORKLOAD.payOutOfBandDelay),
        K.EV_PAY_OUT_OF_BAND,
        a.accountId,
        invoice.id,
      );
    }
  }

  /** A suspended customer may pay what they owe (the oldest owed invoice, written off or not) to get access back. */
  private reactToSuspension(a: AccountState): void {
    const c = this.ctx.scenario.customers,
      { ctx } = this;
    const owed = a.stripe.invoices.find(isOwed);
    if (owed === undefined || !workloadChance(ctx, a, c.payAfterSuspensionShare ?? 0, WORKLOAD.paysAfterSuspension))
      return;
    const meanMs = (c.payAfterSuspensionMeanDays ?? 2) * MS_PER_DAY;
    this.scheduleWorkload(
      ctx.nowMs + workloadDelayMs(ctx, a, meanMs, WORKLOAD.payAfterSuspensionDelay),
      K.EV_PAY_OUT_OF_BAND,
      a.accountId,
      owed.id,
    );
  }

  private upgrade(a: AccountState, retryOf: number): void {
    const { ctx } = this;
    if (retryOf < 0) {
      const nextMs =
        ctx.nowMs +
        workloadDelayMs(ctx, a, MONTH_MS / this.scenario.customers.upgradesPerAccountMonth, WORKLOAD.nextUpgrade);
      this.scheduleWorkload(nextMs, K.EV_UPGRADE, a.accountId, 0);
    }
    if (a.stripe.subscriptionStatus !== 'active') return;
    const from = ctx.provider.plan(a.stripe.planId);
    const to = ctx.plans
      .filter((p) => p.monthlyPriceCents > from.monthlyPriceCents)
      .sort((x, y) => x.monthlyPriceCents - y.monthlyPriceCents)[0];
    if (to === undefined) return;
    const m = {
      id: ctx.mutations.length,
      accountId: a.accountId,
      fromPlanId: from.id,
      toPlanId: to.id,
      amountCents: to.monthlyPriceCents - from.monthlyPriceCents,
      retryOf,
      paid: false,
      appliedBeforePayment: false,
      committedAtMs: -1,
      committedSeq: -1,
      paidSeq: -1,
    };
    ctx.mutations.push(m);
    this.mutationFlow.start(a, m);
  }

  private updatePaymentMethod(a: AccountState, spontaneous: boolean): void {
    const { ctx } = this;
    if (spontaneous) {
      const meanMs = MONTH_MS / this.scenario.customers.paymentMethodUpdatesPerAccountMonth;
      this.scheduleWorkload(
        ctx.nowMs + workloadDelayMs(ctx, a, meanMs, WORKLOAD.nextPaymentMethodUpdate),
        K.EV_PM_UPDATE,
        a.accountId,
        1,
      );
    }
    if (a.stripe.subscriptionStatus !== 'canceled') ctx.provider.updatePaymentMethod(a, ctx.nowMs);
  }

  private payOutOfBand(a: AccountState, invoiceId: number): void {
    const invoice = findInvoice(a, invoiceId);
    if (invoice !== undefined) this.ctx.provider.payOutOfBand(a, invoice, this.ctx.nowMs);
  }

  /** The provider emits an event: snapshot its payload now, deliver it later (maybe twice, maybe as two objects). */
  private emit(a: AccountState, type: WebhookType, invoice: SimInvoice | null, onSession: boolean): void {
    touch(a); // the provider emits on every change to its store
    this.countRecovery(type, invoice);
    const { ctx } = this;
    const copies = ctx.streams.delivery.chance(
      ctx.scenario.webhooks.doubleEventRate,
      a.accountId,
      a.sim.eventSerial,
      DELIVERY.doubleEvent,
    )
      ? 2
      : 1;
    const note = ctx.weather === null ? undefined : (site: Parameters<typeof noteFault>[1]) => noteFault(ctx, site);
    for (let c = 0; c < copies; c++) {
      const eventId = a.sim.eventSerial++;
      const deliveries = deliveryDelaysMs(
        ctx.scenario,
        ctx.streams.delivery,
        a.accountId,
        eventId,
        this.delaysMs,
        note,
      );
      const slot = ctx.slots.add(a, eventId, type, ctx.nowMs, invoice, onSession, deliveries);
      if (this.sink !== null) this.sink.created(a, ctx.slots.payload(slot), invoice);
      for (let d = 0; d < deliveries; d++)
        ctx.queue.push(ctx.nowMs + this.delaysMs[d]! + this.reorderDelayMs(a), K.EV_DELIVER, a.accountId, slot, 0);
    }
  }

  /** webhook.reorder: some deliveries are held back, so later events overtake them (never past delayMaxMs). */
  private reorderDelayMs(a: AccountState): number {
    const { ctx } = this;
    if (!fires(ctx, a, 'webhook.reorder')) return 0;
    const u = ctx.streams.faults.u01(a.accountId, a.sim.buggifySerial++, FAULTS.reorderDelay);
    return Math.round(u * Math.min(ctx.weather!.reorderWindowMs, ctx.scenario.webhooks.delayMaxMs));
  }

  private countRecovery(type: WebhookType, invoice: SimInvoice | null): void {
    if (invoice === null || invoice.kind !== 'renewal') return;
    if (type === 'invoice.payment_failed' && invoice.attempts.filter((x) => x.declineCode !== null).length === 1)
      this.failedInvoices++;
    if (type === 'invoice.paid' && invoice.firstFailedAtMs >= 0) this.recoveredInvoices++;
  }

  /**
   * One delivery. The payload object is built only for a platform that reads
   * it or a sink; coverage reads the slot's fields and flags in place.
   */
  private deliver(a: AccountState, slot: number): void {
    const { slots } = this.ctx;
    const payload = slots.snapshotsPayloads ? slots.payload(slot) : null;
    const handled = payload === null ? this.blindPlatform!.onAnyDelivery(a) : this.platform.onDelivery(a, payload);
    if (isInvoiceEvent(slots.type(slot))) {
      const entry = slots.readCoverage(slot, this.coverage);
      countCoverage(this.ctx, a, slots.invoiceId(slot), entry, handled);
      slots.setCoverage(slot, entry);
    }
    if (this.sink !== null) this.sink.delivered(payload!, slots.deliveriesLeft(slot) === 1);
    slots.delivered(slot);
  }
}
