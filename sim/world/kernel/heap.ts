import { LimitExceeded } from './limits.js';

/**
 * The event queue, ordered by (timeMs, seq). seq is the insertion counter, so
 * events at the same instant pop in the order they were scheduled: the run is
 * a total order. No object is allocated per event.
 *
 * Two levels, so the heap that pop sifts stays small and in cache:
 *  - a binary min-heap (`EventHeap`) of 32-byte event records in one buffer
 *    (an event's fields share a cache line) holding every event before
 *    `boundaryMs` (the end of the current bucket: a day by default, sized by
 *    `bucketsFor` in a simulation);
 *  - later events wait unsorted in per-bucket lists (a ring of
 *    `ringBuckets` buckets of `bucketWidthMs`; events past the ring wait in
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
  private readonly ring: (Bucket | null)[];
  private readonly ringMask: number;
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

  constructor(
    initialCapacity: number,
    readonly capacityMax: number,
    readonly bucketWidthMs = DAY_MS,
    readonly ringBuckets = 1024,
  ) {
    if (!Number.isSafeInteger(bucketWidthMs) || bucketWidthMs < 1)
      throw new Error(`EventQueue: bucket width ${bucketWidthMs} ms is not a positive integer`);
    if (!Number.isSafeInteger(ringBuckets) || ringBuckets < 1 || (ringBuckets & (ringBuckets - 1)) !== 0)
      throw new Error(`EventQueue: ${ringBuckets} buckets in the ring is not a power of two`);
    this.ring = new Array<Bucket | null>(ringBuckets).fill(null);
    this.ringMask = ringBuckets - 1;
    const capacity = Math.max(16, Math.min(initialCapacity, capacityMax));
    this.near = new EventHeap(Math.min(capacity, NEAR_INITIAL_CAPACITY));
    this.beyond = new EventHeap(16);
  }

  get length(): number {
    return this.near.size + this.inBuckets + this.beyond.size;
  }

  push(timeMs: number, kind: number, account: number, arg: number, token: number): void {
    if (!Number.isSafeInteger(timeMs))
      throw new Error(`EventQueue: time ${timeMs} is not an integer number of milliseconds`);
    if (this.length >= this.capacityMax) {
      throw new LimitExceeded('limits.pendingEventsMax', `more than ${this.capacityMax} events pending at once`);
    }
    const seq = this.nextSeq++;
    if (timeMs < this.boundaryMs) return this.near.insert(timeMs, seq, kind, account, arg, token);
    const bucket = Math.floor(timeMs / this.bucketWidthMs);
    if (bucket >= this.cursorBucket + this.ringBuckets)
      return this.beyond.insert(timeMs, seq, kind, account, arg, token);
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

  private intoBucket(
    bucket: number,
    timeMs: number,
    seq: number,
    kind: number,
    account: number,
    arg: number,
    token: number,
  ): void {
    const ring = bucket & this.ringMask;
    const list = this.ring[ring] ?? (this.ring[ring] = this.spare.pop() ?? new Bucket(BUCKET_INITIAL_CAPACITY));
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
    const beyond = this.beyond,
      ringEndMs = (this.cursorBucket + this.ringBuckets) * this.bucketWidthMs;
    while (beyond.size > 0 && beyond.peekTimeMs() < ringEndMs) {
      beyond.removeMin();
      this.intoBucket(
        Math.floor(beyond.minTimeMs / this.bucketWidthMs),
        beyond.minTimeMs,
        beyond.minSeq,
        beyond.minKind,
        beyond.minAccount,
        beyond.minArg,
        beyond.minToken,
      );
    }
  }

  /** Moves a bucket into the empty near heap (copied whole, then heapified). */
  private drainBucket(bucket: number): void {
    const ring = bucket & this.ringMask,
      list = this.ring[ring];
    if (list === null || list === undefined) return;
    this.ring[ring] = null;
    this.near.fillFrom(list);
    this.inBuckets -= list.size;
    list.size = 0;
    this.spare.push(list);
  }
}

const DAY_MS = 86_400_000;
const NEAR_INITIAL_CAPACITY = 1 << 14;
/** Buckets start small and double (a run spread over many days has many sparse ones); drained ones are reused. */
const BUCKET_INITIAL_CAPACITY = 64;

/**
 * Buckets sized for a queue that handles `eventsPerDay` events a simulated day:
 * about EVENTS_PER_BUCKET events each (whole minutes, from a minute to a day),
 * so the near heap sifts through about a hundred events, not a day's thousands;
 * and a ring (a power of two) reaching RING_SPAN_MS ahead, so a monthly
 * renewal waits in a bucket, not in the `beyond` heap. On the large scenario
 * (about 26,000 events a day) that is 5-minute buckets in a ring of 16,384
 * (docs/scale.md, session 5).
 */
export function bucketsFor(eventsPerDay: number): { bucketWidthMs: number; ringBuckets: number } {
  const widthMs = (DAY_MS * EVENTS_PER_BUCKET) / Math.max(1, eventsPerDay);
  const bucketWidthMs = Math.min(DAY_MS, Math.max(MINUTE_MS, Math.round(widthMs / MINUTE_MS) * MINUTE_MS));
  const ringBuckets = Math.max(1024, 2 ** Math.ceil(Math.log2(RING_SPAN_MS / bucketWidthMs)));
  return { bucketWidthMs, ringBuckets };
}

const MINUTE_MS = 60_000;
const EVENTS_PER_BUCKET = 96;
const RING_SPAN_MS = 40 * DAY_MS;

/**
 * Events stored one after another, 32 bytes each in one buffer, so an event's
 * fields share a cache line: (timeMs, seq) as two float64s, then kind,
 * account, arg and token as int32s.
 */
const F64_PER_EVENT = 4,
  I32_PER_EVENT = 8;
const KIND = 4,
  ACCOUNT = 5,
  ARG = 6,
  TOKEN = 7;

class EventRecords {
  protected f64: Float64Array;
  protected i32: Int32Array;

  constructor(capacity: number) {
    this.f64 = new Float64Array(capacity * F64_PER_EVENT);
    this.i32 = new Int32Array(this.f64.buffer);
  }

  protected get capacity(): number {
    return this.f64.length / F64_PER_EVENT;
  }

  protected write(
    e: number,
    timeMs: number,
    seq: number,
    kind: number,
    account: number,
    arg: number,
    token: number,
  ): void {
    const f = e * F64_PER_EVENT,
      i = e * I32_PER_EVENT;
    this.f64[f] = timeMs;
    this.f64[f + 1] = seq;
    this.i32[i + KIND] = kind;
    this.i32[i + ACCOUNT] = account;
    this.i32[i + ARG] = arg;
    this.i32[i + TOKEN] = token;
  }

  protected grow(capacity: number): void {
    const next = new Float64Array(capacity * F64_PER_EVENT);
    next.set(this.f64);
    this.f64 = next;
    this.i32 = new Int32Array(next.buffer);
  }
}

/**
 * A binary min-heap of EventRecords, ordered by (timeMs, seq); the caller
 * assigns seq. `removeMin` leaves the removed event in the min* fields.
 */
class EventHeap extends EventRecords {
  size = 0;
  minTimeMs = 0;
  minSeq = 0;
  minKind = 0;
  minAccount = 0;
  minArg = 0;
  minToken = 0;

  insert(timeMs: number, seq: number, kind: number, account: number, arg: number, token: number): void {
    if (this.size === this.capacity) this.grow(this.capacity * 2);
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
    const f64 = this.f64,
      i32 = this.i32;
    this.minTimeMs = f64[0]!;
    this.minSeq = f64[1]!;
    this.minKind = i32[KIND]!;
    this.minAccount = i32[ACCOUNT]!;
    this.minArg = i32[ARG]!;
    this.minToken = i32[TOKEN]!;
    const last = --this.size;
    if (last > 0) this.siftDown(0, last, last);
  }

  peekTimeMs(): number {
    return this.f64[0]!;
  }

  /** Replaces the (empty) heap's contents with the bucket's events, then restores heap order bottom-up. */
  fillFrom(list: Bucket): void {
    const n = list.size;
    if (this.capacity < n) this.grow(Math.max(n, this.capacity * 2));
    this.f64.set(list.records(n));
    this.size = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, i, n);
  }

  /** Sifts the event at `from` down from the hole at `hole`, within the first `size` events. */
  private siftDown(hole: number, from: number, size: number): void {
    const f64 = this.f64,
      i32 = this.i32;
    const t = f64[from * F64_PER_EVENT]!,
      s = f64[from * F64_PER_EVENT + 1]!;
    const at = from * I32_PER_EVENT;
    const k = i32[at + KIND]!,
      a = i32[at + ACCOUNT]!,
      g = i32[at + ARG]!,
      tok = i32[at + TOKEN]!;
    let i = hole;
    const half = size >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      const right = child + 1;
      if (right < size && this.lessAt(right, child)) child = right;
      if (!this.lessThanValue(child, t, s)) break;
      this.move(child, i);
      i = child;
    }
    this.write(i, t, s, k, a, g, tok);
  }

  /** Is (timeMs, seq) strictly before the event at index j? */
  private before(timeMs: number, seq: number, j: number): boolean {
    const tj = this.f64[j * F64_PER_EVENT]!;
    return timeMs < tj || (timeMs === tj && seq < this.f64[j * F64_PER_EVENT + 1]!);
  }

  private lessThanValue(j: number, timeMs: number, seq: number): boolean {
    const tj = this.f64[j * F64_PER_EVENT]!;
    return tj < timeMs || (tj === timeMs && this.f64[j * F64_PER_EVENT + 1]! < seq);
  }

  private lessAt(i: number, j: number): boolean {
    return this.before(this.f64[i * F64_PER_EVENT]!, this.f64[i * F64_PER_EVENT + 1]!, j);
  }

  private move(from: number, to: number): void {
    const f64 = this.f64,
      i32 = this.i32;
    const ff = from * F64_PER_EVENT,
      ft = to * F64_PER_EVENT;
    f64[ft] = f64[ff]!;
    f64[ft + 1] = f64[ff + 1]!;
    const fi = from * I32_PER_EVENT + KIND,
      ti = to * I32_PER_EVENT + KIND;
    i32[ti] = i32[fi]!;
    i32[ti + 1] = i32[fi + 1]!;
    i32[ti + 2] = i32[fi + 2]!;
    i32[ti + 3] = i32[fi + 3]!;
  }
}

/** Events waiting for one bucket of time, unsorted, in the heap's layout (so moving them into it is one copy). */
class Bucket extends EventRecords {
  size = 0;

  add(timeMs: number, seq: number, kind: number, account: number, arg: number, token: number): void {
    if (this.size === this.capacity) this.grow(this.capacity * 2);
    this.write(this.size++, timeMs, seq, kind, account, arg, token);
  }

  /** The first n events' storage. */
  records(n: number): Float64Array {
    return this.f64.subarray(0, n * F64_PER_EVENT);
  }
}
