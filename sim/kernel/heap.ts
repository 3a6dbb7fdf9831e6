/**
 * The event queue, ordered by (timeMs, seq). seq is the insertion counter, so
 * events at the same instant pop in the order they were scheduled: the run is
 * a total order. No object is allocated per event.
 *
 * Two levels, so the heap that pop sifts stays small and in cache:
 *  - a binary min-heap over parallel typed arrays (`EventHeap`) holding every
 *    event before `boundaryMs` (the current bucket: a day by default);
 *  - later events wait unsorted in per-bucket lists (a ring of
 *    `BUCKETS_IN_RING` buckets of `bucketWidthMs`; events past the ring wait in
 *    a second heap). When the near heap runs dry the next non-empty bucket is
 *    moved into it, keeping each event's seq, so the pop order is exactly the
 *    one a single heap would give.
 * A simulation schedules renewals, wakes and retries days ahead and deliveries
 * seconds ahead; the near heap then holds one day's events, not the run's.
 */
export class EventQueue {
  private readonly near: EventHeap;
  /** Events whose bucket lies past the ring, in (time, seq) order. */
  private readonly beyond: EventHeap;
  /** Later events, unsorted, one bucket per ring slot (null: empty); drained buckets are kept for reuse. */
  private readonly ring: (Bucket | null)[] = new Array<Bucket | null>(BUCKETS_IN_RING).fill(null);
  private readonly spare: Bucket[] = [];
  private inBuckets = 0;
  /** The next bucket to move into the near heap; every event before its start is in the near heap. */
  private cursorBucket = 0;
  private boundaryMs = 0;
  private nextSeq = 0;
  /** Fields of the event last popped. */
  poppedTimeMs = 0;
  poppedKind = 0;
  poppedAccount = 0;
  poppedArg = 0;
  poppedToken = 0;

  constructor(initialCapacity: number, readonly capacityMax: number, readonly bucketWidthMs = DAY_MS) {
    if (!Number.isSafeInteger(bucketWidthMs) || bucketWidthMs < 1) throw new Error(`EventQueue: bucket width ${bucketWidthMs} ms is not a positive integer`);
    const capacity = Math.max(16, Math.min(initialCapacity, capacityMax));
    this.near = new EventHeap(Math.min(capacity, NEAR_INITIAL_CAPACITY));
    this.beyond = new EventHeap(16);
    this.bucketInitialCapacity = Math.max(16, Math.min(capacity >> 4, BUCKET_INITIAL_CAPACITY_MAX));
  }

  private readonly bucketInitialCapacity: number;

  get length(): number {
    return this.near.size + this.inBuckets + this.beyond.size;
  }

  push(timeMs: number, kind: number, account: number, arg: number, token: number): void {
    if (!Number.isSafeInteger(timeMs)) throw new Error(`EventQueue: time ${timeMs} is not an integer number of milliseconds`);
    if (this.length >= this.capacityMax) {
      throw new Error(`EventQueue: more than ${this.capacityMax} pending events (raise limits.pendingEventsMax)`);
    }
    const seq = this.nextSeq++;
    if (timeMs < this.boundaryMs) return this.near.insert(timeMs, seq, kind, account, arg, token);
    const bucket = Math.floor(timeMs / this.bucketWidthMs);
    if (bucket >= this.cursorBucket + BUCKETS_IN_RING) return this.beyond.insert(timeMs, seq, kind, account, arg, token);
    this.intoBucket(bucket, timeMs, seq, kind, account, arg, token);
  }

  /** Removes the earliest event into the popped* fields; false when empty. */
  pop(): boolean {
    if (this.near.size === 0 && !this.refill()) return false;
    const near = this.near;
    near.removeMin();
    this.poppedTimeMs = near.minTimeMs;
    this.poppedKind = near.minKind;
    this.poppedAccount = near.minAccount;
    this.poppedArg = near.minArg;
    this.poppedToken = near.minToken;
    return true;
  }

  peekTimeMs(): number {
    if (this.near.size === 0 && !this.refill()) return Number.POSITIVE_INFINITY;
    return this.near.peekTimeMs();
  }

  private intoBucket(bucket: number, timeMs: number, seq: number, kind: number, account: number, arg: number, token: number): void {
    const ring = ringIndex(bucket);
    const list = this.ring[ring] ?? (this.ring[ring] = this.spare.pop() ?? new Bucket(this.bucketInitialCapacity));
    list.add(timeMs, seq, kind, account, arg, token);
    this.inBuckets++;
  }

  /** Moves the next non-empty bucket into the (empty) near heap; false when no event is left. */
  private refill(): boolean {
    while (this.near.size === 0) {
      if (this.inBuckets === 0) {
        if (this.beyond.size === 0) return false;
        this.cursorBucket = Math.max(this.cursorBucket, Math.floor(this.beyond.peekTimeMs() / this.bucketWidthMs));
        this.takeBeyond();
      }
      this.drainBucket(this.cursorBucket);
      this.cursorBucket++;
      this.boundaryMs = this.cursorBucket * this.bucketWidthMs;
      this.takeBeyond();
    }
    return true;
  }

  /** Events past the ring whose bucket the ring now covers move into it. */
  private takeBeyond(): void {
    const beyond = this.beyond, ringEndMs = (this.cursorBucket + BUCKETS_IN_RING) * this.bucketWidthMs;
    while (beyond.size > 0 && beyond.peekTimeMs() < ringEndMs) {
      beyond.removeMin();
      this.intoBucket(Math.floor(beyond.minTimeMs / this.bucketWidthMs), beyond.minTimeMs, beyond.minSeq, beyond.minKind,
        beyond.minAccount, beyond.minArg, beyond.minToken);
    }
  }

  /** Moves a bucket into the empty near heap (copied whole, then heapified). */
  private drainBucket(bucket: number): void {
    const ring = ringIndex(bucket), list = this.ring[ring];
    if (list === null || list === undefined) return;
    this.ring[ring] = null;
    this.near.fillFrom(list);
    this.inBuckets -= list.size;
    list.size = 0;
    this.spare.push(list);
  }
}

const DAY_MS = 86_400_000;
/** Buckets ahead of the cursor kept as lists (a power of two); later events wait in the `beyond` heap. */
const BUCKETS_IN_RING = 1024;
const NEAR_INITIAL_CAPACITY = 1 << 14;
const BUCKET_INITIAL_CAPACITY_MAX = 1 << 12;

function ringIndex(bucket: number): number {
  return bucket & (BUCKETS_IN_RING - 1);
}

/**
 * A binary min-heap over parallel typed arrays, ordered by (timeMs, seq); the
 * caller assigns seq. `removeMin` leaves the removed event in the min* fields.
 */
class EventHeap {
  private timeMs: Float64Array;
  private seq: Float64Array;
  private kind: Uint8Array;
  private account: Int32Array;
  private arg: Int32Array;
  private token: Int32Array;
  size = 0;
  minTimeMs = 0;
  minSeq = 0;
  minKind = 0;
  minAccount = 0;
  minArg = 0;
  minToken = 0;

  constructor(capacity: number) {
    this.timeMs = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.account = new Int32Array(capacity);
    this.arg = new Int32Array(capacity);
    this.token = new Int32Array(capacity);
  }

  insert(timeMs: number, seq: number, kind: number, account: number, arg: number, token: number): void {
    if (this.size === this.timeMs.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(timeMs, seq, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.write(i, timeMs, seq, kind, account, arg, token);
  }

  removeMin(): void {
    this.minTimeMs = this.timeMs[0]!;
    this.minSeq = this.seq[0]!;
    this.minKind = this.kind[0]!;
    this.minAccount = this.account[0]!;
    this.minArg = this.arg[0]!;
    this.minToken = this.token[0]!;
    const last = --this.size;
    if (last > 0) this.siftDown(0, last, last);
  }

  /** Replaces the (empty) heap's contents with the bucket's events, then restores heap order bottom-up. */
  fillFrom(list: Bucket): void {
    const n = list.size;
    while (this.timeMs.length < n) this.grow();
    this.timeMs.set(list.timeMs.subarray(0, n));
    this.seq.set(list.seq.subarray(0, n));
    this.kind.set(list.kind.subarray(0, n));
    this.account.set(list.account.subarray(0, n));
    this.arg.set(list.arg.subarray(0, n));
    this.token.set(list.token.subarray(0, n));
    this.size = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, i, n);
  }

  peekTimeMs(): number {
    return this.timeMs[0]!;
  }

  /** Sifts the entry at `from` down from the hole at `hole`, within the first `size` entries. */
  private siftDown(hole: number, from: number, size: number): void {
    const t = this.timeMs[from]!, s = this.seq[from]!;
    const k = this.kind[from]!, a = this.account[from]!, g = this.arg[from]!, tok = this.token[from]!;
    let i = hole;
    const half = size >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < size && this.lessAt(right, child)) child = right;
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
    const next = this.timeMs.length * 2;
    this.timeMs = copyInto(new Float64Array(next), this.timeMs);
    this.seq = copyInto(new Float64Array(next), this.seq);
    this.kind = copyInto(new Uint8Array(next), this.kind);
    this.account = copyInto(new Int32Array(next), this.account);
    this.arg = copyInto(new Int32Array(next), this.arg);
    this.token = copyInto(new Int32Array(next), this.token);
  }
}

/** Events waiting for one bucket of time, unsorted, as parallel typed arrays. */
class Bucket {
  timeMs: Float64Array;
  seq: Float64Array;
  kind: Uint8Array;
  account: Int32Array;
  arg: Int32Array;
  token: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.timeMs = new Float64Array(capacity);
    this.seq = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.account = new Int32Array(capacity);
    this.arg = new Int32Array(capacity);
    this.token = new Int32Array(capacity);
  }

  add(timeMs: number, seq: number, kind: number, account: number, arg: number, token: number): void {
    if (this.size === this.timeMs.length) this.grow();
    const e = this.size++;
    this.timeMs[e] = timeMs;
    this.seq[e] = seq;
    this.kind[e] = kind;
    this.account[e] = account;
    this.arg[e] = arg;
    this.token[e] = token;
  }

  private grow(): void {
    const next = this.timeMs.length * 2;
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
