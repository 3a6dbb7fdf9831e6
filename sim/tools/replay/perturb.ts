/**
 * Delivery of a recorded stream, as recorded or re-delivered badly. The
 * replay clock never runs backwards: an event is delivered at the later of
 * its creation and the previous delivery. `--perturb late=P:MAXDELAY,dup=P,
 * reorder=P,drop=P` then moves deliveries later with a seed (never creation
 * times): late by up to MAXDELAY, duplicated within ten minutes, reordered
 * past the next minute's events, or dropped and redelivered 1 to 24 hours
 * later (at-least-once: nothing is lost). Draws are keyed by account.
 */
import { InputError } from '../../lib/errors.js';
import type { Stream } from '../../world/kernel/rng.js';
import { PERTURB } from '../../world/kernel/slots.js';

export interface PerturbSpec {
  readonly lateRate: number;
  readonly lateMaxMs: number;
  readonly duplicateRate: number;
  readonly reorderRate: number;
  readonly dropRate: number;
}

/** What delivery needs of an event: when it was created (seconds, as Stripe writes it). */
export interface Created {
  readonly created: number;
}

export interface Delivery<E extends Created = Created> {
  readonly event: E;
  readonly accountIndex: number;
  readonly atMs: number;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const REORDER_WINDOW_MS = 60_000;
const DUPLICATE_WINDOW_MS = 600_000;

function rate(name: string, text: string | undefined): number {
  const p = Number(text);
  if (text === undefined || text === '' || !(p >= 0 && p <= 1))
    throw new InputError(`--perturb: ${name}: "${text ?? ''}" is not a probability from 0 to 1`);
  return p;
}

function durationMs(text: string | undefined): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(text ?? '');
  const ms = m === null ? NaN : Number(m[1]) * UNIT_MS[m[2] ?? 'ms']!;
  if (!(ms > 0 && ms <= 30 * UNIT_MS.d!))
    throw new InputError(
      `--perturb: late: max delay "${text ?? ''}" must be a duration such as 90s, 30m, 6h or 2d (at most 30d)`,
    );
  return ms;
}

export function parsePerturb(spec: string): PerturbSpec {
  let lateRate = 0,
    lateMaxMs = 0,
    duplicateRate = 0,
    reorderRate = 0,
    dropRate = 0;
  const parts = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0)
    throw new InputError(`--perturb: "${spec}" names no part (use late=P:MAXDELAY, dup=P, reorder=P, drop=P)`);
  const seen = new Set<string>();
  for (const part of parts) {
    const [key, value] = part.split('=');
    if (seen.has(key!)) throw new InputError(`--perturb: ${key} given twice`);
    seen.add(key!);
    if (key === 'late') {
      const [p, max] = (value ?? '').split(':');
      lateRate = rate('late', p);
      lateMaxMs = durationMs(max);
    } else if (key === 'dup') duplicateRate = rate('dup', value);
    else if (key === 'reorder') reorderRate = rate('reorder', value);
    else if (key === 'drop') dropRate = rate('drop', value);
    else throw new InputError(`--perturb: unknown part "${part}" (use late=P:MAXDELAY, dup=P, reorder=P, drop=P)`);
  }
  return { lateRate, lateMaxMs, duplicateRate, reorderRate, dropRate };
}

interface Pending<E extends Created> extends Delivery<E> {
  readonly seq: number;
}

/** A small binary heap of pending deliveries, by (atMs, seq). */
class DeliveryHeap<E extends Created> {
  private readonly items: Pending<E>[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Pending<E> | undefined {
    return this.items[0];
  }

  push(item: Pending<E>): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): Pending<E> {
    const a = this.items,
      top = a[0]!,
      last = a.pop()!;
    if (a.length === 0) return top;
    a[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < a.length && before(a[l]!, a[m]!)) m = l;
      if (r < a.length && before(a[r]!, a[m]!)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
    return top;
  }
}

function before<E extends Created>(x: Pending<E>, y: Pending<E>): boolean {
  return x.atMs < y.atMs || (x.atMs === y.atMs && x.seq < y.seq);
}

export interface Recorded<E extends Created = Created> {
  readonly event: E;
  readonly accountIndex: number;
  /** This event's ordinal among its account's events in the file. */
  readonly serial: number;
}

/** Deliveries in time order: as recorded (spec null) or perturbed with the delivery stream. */
export async function* deliveriesOf<E extends Created>(
  events: AsyncIterable<Recorded<E>>,
  spec: PerturbSpec | null,
  stream: Stream,
): AsyncGenerator<Delivery<E>> {
  let baseMs = Number.NEGATIVE_INFINITY,
    seq = 0;
  const heap = new DeliveryHeap<E>();
  for await (const r of events) {
    baseMs = Math.max(baseMs, r.event.created * 1000);
    for (const atMs of deliveryTimesMs(r, baseMs, spec, stream))
      heap.push({ event: r.event, accountIndex: r.accountIndex, atMs, seq: seq++ });
    while (heap.size > 0 && heap.peek()!.atMs <= baseMs) yield heap.pop();
  }
  while (heap.size > 0) yield heap.pop();
}

/** The most a delivery can come after the stream's clock when it was read (0 as recorded). */
export function maxDelayMs(spec: PerturbSpec | null): number {
  if (spec === null) return 0;
  const firstMs = Math.max(
    spec.dropRate > 0 ? 24 * UNIT_MS.h! : 0,
    spec.lateRate > 0 ? spec.lateMaxMs : 0,
    spec.reorderRate > 0 ? 1 + REORDER_WINDOW_MS : 0,
  );
  return firstMs + (spec.duplicateRate > 0 ? DUPLICATE_WINDOW_MS : 0);
}

function deliveryTimesMs(r: Recorded, baseMs: number, spec: PerturbSpec | null, stream: Stream): number[] {
  if (spec === null) return [baseMs];
  const u = (slot: number): number => stream.u01(r.accountIndex, r.serial, slot);
  let firstMs = baseMs;
  if (spec.dropRate > 0 && u(PERTURB.dropped) < spec.dropRate)
    firstMs += Math.round(3_600_000 * (1 + 23 * u(PERTURB.dropBackoff)));
  else if (spec.lateRate > 0 && u(PERTURB.late) < spec.lateRate)
    firstMs += Math.round(u(PERTURB.lateDelay) * spec.lateMaxMs);
  else if (spec.reorderRate > 0 && u(PERTURB.reordered) < spec.reorderRate)
    firstMs += 1 + Math.round(u(PERTURB.reorderDelay) * REORDER_WINDOW_MS);
  const times = [firstMs];
  if (spec.duplicateRate > 0 && u(PERTURB.duplicated) < spec.duplicateRate)
    times.push(firstMs + Math.round(u(PERTURB.duplicateDelay) * DUPLICATE_WINDOW_MS));
  return times;
}
