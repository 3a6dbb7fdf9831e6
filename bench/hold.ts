/**
 * The hold model, the classic event-list benchmark: n pending events; each step
 * pops the earliest and schedules one at its time plus an exponential
 * increment (whole milliseconds, as the queue requires). It exercises the queue alone; bench/simpy_hold.py runs the same
 * model on SimPy.
 */
import { EventQueue } from '../sim/world/kernel/heap.js';
import { cpuSecondsSince } from './points.js';

export interface HoldResult {
  readonly pending: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  readonly eventsPerCpuSec: number;
}

/** A small LCG: the benchmark needs cheap reproducible increments, not quality. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    return x / 4_294_967_296;
  };
}

export function runHold(pending: number, events: number, meanMs = 1000): HoldResult {
  const queue = new EventQueue(pending, pending * 2);
  const next = lcg(12_345);
  const holdMs = (): number => Math.max(1, Math.round(-Math.log(1 - next()) * meanMs));
  for (let i = 0; i < pending; i++) queue.push(holdMs(), 1, i, 0, 0);
  const t0 = performance.now(),
    cpu0 = process.cpuUsage();
  for (let e = 0; e < events; e++) {
    queue.pop();
    queue.push(queue.poppedTimeMs + holdMs(), queue.poppedKind, queue.poppedAccount, 0, 0);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { pending, events, seconds, eventsPerSec: events / seconds, eventsPerCpuSec: events / cpuSecondsSince(cpu0) };
}
