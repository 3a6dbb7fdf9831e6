/**
 * Seeded randomness. The root is pure-rand's xoroshiro128+, seeded by the run's
 * seed; each subsystem gets its own child stream (a jump of the root), from
 * which it takes a 32-bit key. Draws are then counter-based: a draw is a hash
 * of (stream key, entity, counter, slot). So:
 *  - one seed reproduces a run byte for byte;
 *  - changing one subsystem's use of randomness leaves the others' draws alone;
 *  - two policy sets on one seed see the same world (common random numbers):
 *    attempt 3 of invoice 17 declines, or not, whatever policy scheduled it;
 *  - accounts are independent, so sharding by account changes nothing.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

export const SUBSYSTEMS = ['workload', 'declines', 'delivery', 'faults'] as const;
export type Subsystem = (typeof SUBSYSTEMS)[number];

export class Stream {
  constructor(
    readonly name: string,
    readonly key: number,
  ) {}

  /** A uniform draw in [0, 1) for (entity, counter, slot). */
  u01(entity: number, counter: number, slot: number): number {
    return hash4(this.key, entity, counter, slot) / 4_294_967_296;
  }

  /** A uniform integer in [from, to] for (entity, counter, slot). */
  int(entity: number, counter: number, slot: number, from: number, to: number): number {
    return from + Math.floor(this.u01(entity, counter, slot) * (to - from + 1));
  }

  /** True with probability p. */
  chance(p: number, entity: number, counter: number, slot: number): boolean {
    return p > 0 && this.u01(entity, counter, slot) < p;
  }
}

export type Streams = Readonly<Record<Subsystem, Stream>>;

export function streamsFor(seed: number): Streams {
  const root = xoroshiro128plus(seed | 0);
  const entries = SUBSYSTEMS.map((name) => {
    root.jump();
    const child = root.clone();
    return [name, new Stream(name, uniformInt(child, 0, 0x7fffffff) >>> 0)] as const;
  });
  return Object.fromEntries(entries) as Record<Subsystem, Stream>;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of four 32-bit integers (murmur3's finaliser, chained). */
export function hash4(key: number, a: number, b: number, c: number): number {
  let h = fmix32(key ^ Math.imul(a | 0, 0x9e3779b1));
  h = fmix32(h ^ Math.imul((b + 0x7f4a7c15) | 0, 0x85ebca77));
  h = fmix32(h ^ Math.imul((c + 0x165667b1) | 0, 0xc2b2ae3d));
  return h;
}

/** An FNV-1a hash of a string, for stable keys and digests. */
export function hashString(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
