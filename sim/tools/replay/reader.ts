/**
 * Pass 2 of a replay reads the stream once, ahead of the deliveries: each
 * event's versions go into the history as soon as it is read (so the
 * provider at time t knows every object created by t, even one the platform
 * hears of days later), and the delivery side gets a small digest of the
 * event instead of the parsed object. The reader stays ahead by the stream's
 * lateness horizon (measured in pass 1); only the digests in between are held.
 */
import type Stripe from 'stripe';
import type { ReplayRecord } from './format.js';
import type { RecordedInvoice, RecordedWorld } from './history.js';
import type { Recorded } from './perturb.js';

/** What delivering an event needs, once its versions are in the history. */
export interface Received {
  readonly created: number;
  readonly type: string;
  readonly id: string;
  /** The invoice the event is about (its own, or the one its payment intent pays). */
  readonly invoice: RecordedInvoice | null;
}

const COMPACT_AFTER = 4096;

export class AheadReader {
  private readonly pending: Recorded<Received>[] = [];
  private head = 0;
  /** The latest `created` read so far (the stream's clock at the read position). */
  private clockMs = Number.NEGATIVE_INFINITY;
  private done = false;
  private readonly types = new Map<string, string>();

  constructor(
    private readonly world: RecordedWorld,
    private readonly records: AsyncIterator<ReplayRecord>,
    private readonly relevant: (type: string) => boolean,
  ) {}

  /** Reads on until every event visible at the provider by t is in the history. */
  async readAhead(tMs: number): Promise<void> {
    while (!this.done && this.clockMs - this.world.horizonMs <= tMs) {
      const r = await this.next();
      if (r !== null) this.pending.push(r);
    }
  }

  /** The stream's events in file order, as digests (already in the history). */
  async *received(): AsyncGenerator<Recorded<Received>> {
    for (;;) {
      if (this.head < this.pending.length) {
        yield this.shift();
        continue;
      }
      const r = await this.next();
      if (r === null) return;
      yield r;
    }
  }

  private shift(): Recorded<Received> {
    const r = this.pending[this.head++]!;
    if (this.head >= COMPACT_AFTER && 2 * this.head >= this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
    return r;
  }

  /** The next event that drives the replay, taken into the history; null at the end. */
  private async next(): Promise<Recorded<Received> | null> {
    for (;;) {
      const step = await this.records.next();
      if (step.done === true) {
        this.done = true;
        return null;
      }
      const r = step.value;
      if (r.kind !== 'event' || !this.relevant(r.event.type)) continue;
      const h = this.world.accountOf(r.event);
      if (h === undefined) continue;
      this.clockMs = Math.max(this.clockMs, r.event.created * 1000);
      this.world.ingest(r.event);
      return { event: this.digest(r.event, h.index), accountIndex: h.index, serial: h.deliveries++ };
    }
  }

  private digest(event: Stripe.Event, accountIndex: number): Received {
    let type = this.types.get(event.type);
    if (type === undefined) this.types.set(event.type, (type = event.type));
    return { created: event.created, type, id: event.id, invoice: this.invoiceOf(event, accountIndex) ?? null };
  }

  private invoiceOf(event: Stripe.Event, accountIndex: number): RecordedInvoice | undefined {
    return this.world.invoiceOfEvent(this.world.accounts[accountIndex]!, event);
  }
}
