/**
 * An optional log of every kernel event (time, kind, account), kept in
 * growable typed arrays for the store's `events` table. Off by default:
 * a 1M-account run has hundreds of millions of events.
 */
import { KIND_NAMES } from './kinds.js';

export class EventLog {
  timeMs = new Float64Array(1024);
  kind = new Uint8Array(1024);
  accountId = new Int32Array(1024);
  length = 0;

  constructor(readonly capacityMax: number) {}

  record(timeMs: number, kind: number, accountId: number): void {
    if (this.length === this.timeMs.length) this.grow();
    this.timeMs[this.length] = timeMs;
    this.kind[this.length] = kind;
    this.accountId[this.length] = accountId;
    this.length++;
  }

  private grow(): void {
    const next = this.timeMs.length * 2;
    if (this.length >= this.capacityMax)
      throw new Error(`event log: more than ${this.capacityMax} events (raise --events-max)`);
    const grown = <T extends Float64Array | Uint8Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const arr = make(next);
      arr.set(old as never);
      return arr;
    };
    this.timeMs = grown(this.timeMs, (n) => new Float64Array(n));
    this.kind = grown(this.kind, (n) => new Uint8Array(n));
    this.accountId = grown(this.accountId, (n) => new Int32Array(n));
  }

  /** The columns as the store appends them. */
  columns(): { timeMs: Float64Array; kind: Uint8Array; kindNames: string[]; accountId: Int32Array } {
    const kindNames = Array.from({ length: 256 }, (_, k) => KIND_NAMES[k] ?? `kind_${k}`);
    return {
      timeMs: this.timeMs.subarray(0, this.length),
      kind: this.kind.subarray(0, this.length),
      kindNames,
      accountId: this.accountId.subarray(0, this.length),
    };
  }
}
