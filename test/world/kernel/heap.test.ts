import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { bucketsFor, EventQueue } from '../../../sim/world/kernel/heap.js';

type Op = { push: number } | { pop: true };

/**
 * Runs `ops` on the queue and on a sorted list (pushes at now + offset, now
 * being the last popped time): every peek and pop, with every field, must
 * match the list's, and so must the length at the end.
 */
function checkAgainstSortedList(q: EventQueue, ops: readonly Op[]): void {
  const model: { t: number; i: number }[] = [];
  let nowMs = 0;
  ops.forEach((o, i) => {
    if ('push' in o) {
      const t = nowMs + o.push;
      q.push(t, i % 256, i, 1000 - i, i * 3);
      model.push({ t, i });
      return;
    }
    model.sort((a, b) => a.t - b.t || a.i - b.i);
    const want = model.shift();
    expect(q.peekTimeMs()).toBe(want?.t ?? Number.POSITIVE_INFINITY);
    expect(q.pop()).toBe(want !== undefined);
    if (want === undefined) return;
    nowMs = want.t;
    expect([q.poppedTimeMs, q.poppedKind, q.poppedAccount, q.poppedArg, q.poppedToken]).toEqual([
      want.t,
      want.i % 256,
      want.i,
      1000 - want.i,
      want.i * 3,
    ]);
  });
  expect(q.length).toBe(model.length);
}

describe('EventQueue', () => {
  test.prop([
    fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 255 })), { maxLength: 300 }),
  ])('pops in (time, insertion order), whatever the push order', (entries) => {
    const q = new EventQueue(4, 10_000);
    entries.forEach(([t, kind], i) => q.push(t, kind, i, 0, 0));
    const expected = entries.map(([t], i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i);
    const popped: { t: number; i: number }[] = [];
    while (q.pop()) popped.push({ t: q.poppedTimeMs, i: q.poppedAccount });
    expect(popped).toEqual(expected);
  });

  it('refuses to grow past its bound, naming the limit', () => {
    const q = new EventQueue(16, 16);
    for (let i = 0; i < 16; i++) q.push(i, 1, 0, 0, 0);
    expect(() => q.push(99, 1, 0, 0, 0)).toThrow(/pendingEventsMax/);
  });

  it('interleaves pushes and pops correctly', () => {
    const q = new EventQueue(2, 1000);
    q.push(10, 1, 1, 0, 0);
    q.push(5, 1, 2, 0, 0);
    expect(q.pop()).toBe(true);
    expect(q.poppedAccount).toBe(2);
    q.push(7, 1, 3, 0, 0);
    q.push(10, 1, 4, 0, 0);
    const order: number[] = [];
    while (q.pop()) order.push(q.poppedAccount);
    expect(order).toEqual([3, 1, 4]);
  });
});

describe('EventQueue against a sorted list', () => {
  const op = fc.oneof(fc.record({ push: fc.integer({ min: 0, max: 40 }) }), fc.constant({ pop: true as const }));
  test.prop([fc.array(op, { maxLength: 600 }), fc.integer({ min: 1, max: 40 })])(
    'any mix of pushes and pops (growing from a small capacity) pops what a sorted list would, with every field',
    (ops, initialCapacity) => {
      const q = new EventQueue(initialCapacity, 100_000);
      checkAgainstSortedList(q, ops);
    },
  );
});

describe('EventQueue buckets (later events wait unsorted in buckets of bucketWidthMs)', () => {
  const op = fc.oneof(
    fc.record({ push: fc.integer({ min: -4, max: 4 }) }), // around the boundary of the bucket being popped
    fc.record({ push: fc.integer({ min: 0, max: 60 }) }),
    fc.record({ push: fc.integer({ min: 0, max: 3_000 }) }), // past the ring when its buckets are narrow
    fc.constant({ pop: true as const }),
    fc.constant({ pop: true as const }),
  );
  test.prop(
    [
      fc.array(op, { maxLength: 600 }),
      fc.integer({ min: 1, max: 3 }),
      fc.constantFrom(1, 4, 64, 1024),
      fc.integer({ min: 1, max: 40 }),
    ],
    { numRuns: 300 },
  )(
    'pop what a sorted list would, with every field: across buckets, past the ring of buckets, and before the current bucket',
    (ops, bucketWidthMs, ringBuckets, initialCapacity) => {
      const q = new EventQueue(initialCapacity, 100_000, bucketWidthMs, ringBuckets);
      checkAgainstSortedList(q, ops); // negative push offsets: events before the bucket being popped
    },
  );

  it('an event waiting past the ring pops before a later one pushed once the ring reached it', () => {
    const q = new EventQueue(4, 100, 1); // buckets of 1 ms: the ring covers 1,024 ms ahead of the cursor
    q.push(1500, 1, 1, 0, 0); // past the ring
    q.push(600, 1, 2, 0, 0);
    expect(q.pop()).toBe(true);
    expect(q.poppedAccount).toBe(2); // the cursor is now at 601: the ring reaches 1624
    q.push(1600, 1, 3, 0, 0);
    const order: number[] = [];
    while (q.pop()) order.push(q.poppedAccount);
    expect(order).toEqual([1, 3]);
  });

  it('counts bucketed events toward the bound', () => {
    const q = new EventQueue(4, 3, 10);
    q.push(5, 1, 0, 0, 0);
    q.push(50_000, 1, 0, 0, 0); // past the ring
    q.push(500, 1, 0, 0, 0);
    expect(q.length).toBe(3);
    expect(() => q.push(7, 1, 0, 0, 0)).toThrow(/pendingEventsMax/);
  });

  it('refuses a bucket width that is not a positive integer, and a ring that is not a power of two', () => {
    expect(() => new EventQueue(4, 10, 0)).toThrow(/bucket width/);
    expect(() => new EventQueue(4, 10, 1.5)).toThrow(/bucket width/);
    expect(() => new EventQueue(4, 10, 60_000, 1000)).toThrow(/power of two/);
    expect(() => new EventQueue(4, 10, 60_000, 0)).toThrow(/power of two/);
  });
});

describe('bucketsFor (bucket width and ring size from the events a day)', () => {
  test.prop([fc.double({ min: 0, max: 1e9, noNaN: true })])(
    'whole minutes from a minute to a day, a power-of-two ring of at least 1,024 reaching 40 days ahead',
    (eventsPerDay) => {
      const { bucketWidthMs, ringBuckets } = bucketsFor(eventsPerDay);
      expect(bucketWidthMs % 60_000).toBe(0);
      expect(bucketWidthMs).toBeGreaterThanOrEqual(60_000);
      expect(bucketWidthMs).toBeLessThanOrEqual(86_400_000);
      expect(Number.isInteger(Math.log2(ringBuckets)) && ringBuckets >= 1024).toBe(true);
      expect(ringBuckets * bucketWidthMs).toBeGreaterThanOrEqual(40 * 86_400_000);
    },
  );

  it('gives the large scenario (100,000 accounts, about 26,000 events a day) 5-minute buckets', () => {
    expect(bucketsFor(26_000)).toEqual({ bucketWidthMs: 5 * 60_000, ringBuckets: 16_384 });
  });
});
