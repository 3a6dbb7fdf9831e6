/**
 * Per-event marks for the coverage count (delivered once, covered once,
 * however often an event is re-delivered): an open-addressing hash set of
 * 53-bit hashes of the event ids, 9 bytes a slot, at most half full. It is
 * the one structure of a replay that grows with the number of events (about
 * 18 bytes per distinct invoice event), instead of a Map of id strings to
 * objects (about 150 bytes).
 */
import type { CoverageEntry } from '../../world/engine/checker.js';

const EMPTY = -1;
const DELIVERED = 1;
const COVERED = 2;

/** A 53-bit hash of a string (cyrb53): distinct ids collide with odds of about n²/2⁵⁴. */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef,
    h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export class EventMarks {
  private keys = new Float64Array(1024).fill(EMPTY);
  private flags = new Uint8Array(1024);
  private size = 0;

  /** Runs `use` on the event's coverage entry (fresh: neither delivered nor covered) and keeps what it marked. */
  update(eventKey: number, use: (entry: CoverageEntry) => void): void {
    const slot = this.slotOf(eventKey);
    const entry = { delivered: (this.flags[slot]! & DELIVERED) !== 0, covered: (this.flags[slot]! & COVERED) !== 0 };
    use(entry);
    this.flags[slot] = (entry.delivered ? DELIVERED : 0) | (entry.covered ? COVERED : 0);
  }

  private slotOf(eventKey: number): number {
    let slot = this.find(eventKey);
    if (this.keys[slot] === EMPTY) {
      if (2 * (this.size + 1) > this.keys.length) {
        this.grow();
        slot = this.find(eventKey);
      }
      this.keys[slot] = eventKey;
      this.size++;
    }
    return slot;
  }

  private find(eventKey: number): number {
    const mask = this.keys.length - 1;
    let slot = eventKey & mask;
    while (this.keys[slot] !== EMPTY && this.keys[slot] !== eventKey) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { keys, flags } = this;
    this.keys = new Float64Array(keys.length * 2).fill(EMPTY);
    this.flags = new Uint8Array(keys.length * 2);
    for (let k = 0; k < keys.length; k++) {
      if (keys[k] === EMPTY) continue;
      const slot = this.find(keys[k]!);
      this.keys[slot] = keys[k]!;
      this.flags[slot] = flags[k]!;
    }
  }
}
