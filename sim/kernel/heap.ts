/**
 * The event queue: a binary min-heap over parallel typed arrays, ordered by
 * (timeMs, seq). seq is the insertion counter, so events at the same instant
 * pop in the order they were scheduled: the run is a total order.
 * No object is allocated per event.
 */
export class EventQueue {
  private timeMs: Float64Array;
  private seq: Float64Array;
  private kind: Uint8Array;
  private account: Int32Array;
  private arg: Int32Array;
  private token: Int32Array;
  private size = 0;
  private nextSeq = 0;
  /** Fields of the event last popped. */
  poppedTimeMs = 0;
  poppedKind = 0;
  poppedAccount = 0;
  poppedArg = 0;
  poppedToken = 0;

  constructor(initialCapacity: number, readonly capacityMax: number) {
    const capacity = Math.max(16, Math.min(initialCapacity, capacityMax));
    this.timeMs = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.account = new Int32Array(capacity);
    this.arg = new Int32Array(capacity);
    this.token = new Int32Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(timeMs: number, kind: number, account: number, arg: number, token: number): void {
    if (!Number.isSafeInteger(timeMs)) throw new Error(`EventQueue: time ${timeMs} is not an integer number of milliseconds`);
    if (this.size === this.timeMs.length) this.grow();
    let i = this.size++;
    const seq = this.nextSeq++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(timeMs, seq, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.write(i, timeMs, seq, kind, account, arg, token);
  }

  /** Removes the earliest event into the popped* fields; false when empty. */
  pop(): boolean {
    if (this.size === 0) return false;
    this.poppedTimeMs = this.timeMs[0]!;
    this.poppedKind = this.kind[0]!;
    this.poppedAccount = this.account[0]!;
    this.poppedArg = this.arg[0]!;
    this.poppedToken = this.token[0]!;
    const last = --this.size;
    if (last > 0) this.siftDownLast(last);
    return true;
  }

  peekTimeMs(): number {
    return this.size === 0 ? Number.POSITIVE_INFINITY : this.timeMs[0]!;
  }

  private siftDownLast(last: number): void {
    const t = this.timeMs[last]!, s = this.seq[last]!;
    const k = this.kind[last]!, a = this.account[last]!, g = this.arg[last]!, tok = this.token[last]!;
    let i = 0;
    const half = last >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < last && this.lessAt(right, child)) child = right;
      if (!this.before(this.timeMs[child]!, this.seq[child]!, i) && !this.lessThanValue(child, t, s)) break;
      this.move(child, i);
      i = child;
    }
    this.write(i, t, s, k, a, g, tok);
  }

  /** Is (timeMs, seq) strictly before the entry at index j? */
  private before(timeMs: number, seq: number, j: number): boolean {
    const tj = this.timeMs[j]!;
    return timeMs < tj || (timeMs === tj && seq < this.seq[j]!);
  }

  private lessThanValue(j: number, timeMs: number, seq: number): boolean {
    const tj = this.timeMs[j]!;
    return tj < timeMs || (tj === timeMs && this.seq[j]! < seq);
  }

  private lessAt(i: number, j: number): boolean {
    return this.before(this.timeMs[i]!, this.seq[i]!, j);
  }

  private move(from: number, to: number): void {
    this.timeMs[to] = this.timeMs[from]!;
    this.seq[to] = this.seq[from]!;
    this.kind[to] = this.kind[from]!;
    this.account[to] = this.account[from]!;
    this.arg[to] = this.arg[from]!;
    this.token[to] = this.token[from]!;
  }

  private write(i: number, t: number, s: number, k: number, a: number, g: number, tok: number): void {
    this.timeMs[i] = t;
    this.seq[i] = s;
    this.kind[i] = k;
    this.account[i] = a;
    this.arg[i] = g;
    this.token[i] = tok;
  }

  private grow(): void {
    const capacity = this.timeMs.length * 2;
    if (this.timeMs.length >= this.capacityMax) {
      throw new Error(`EventQueue: more than ${this.capacityMax} pending events (raise limits.pendingEventsMax)`);
    }
    const next = Math.min(capacity, this.capacityMax);
    this.timeMs = copyInto(new Float64Array(next), this.timeMs);
    this.seq = copyInto(new Float64Array(next), this.seq);
    this.kind = copyInto(new Uint8Array(next), this.kind);
    this.account = copyInto(new Int32Array(next), this.account);
    this.arg = copyInto(new Int32Array(next), this.arg);
    this.token = copyInto(new Int32Array(next), this.token);
  }
}

function copyInto<T extends Float64Array | Uint8Array | Int32Array>(target: T, source: T): T {
  target.set(source as never);
  return target;
}
