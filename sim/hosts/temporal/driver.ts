/**
 * The simulator's side of the differential check: the same DunningCase, the
 * same policies and the same provider outcomes, driven on virtual time by a
 * plain loop instead of Temporal timers, signals and activities. If the
 * workflow's decisions differ from these, the orchestration changed them.
 */
import type { PaymentOutcome } from '../../../policies/types.js';
import { DunningCase } from './dunning-case.js';
import type { DunningInput, DunningResult, DunningSignal } from './types.js';

/** Wakes and webhooks one recovery may take before the driver calls it a runaway. */
export const DRIVER_STEPS_MAX = 10_000;

/**
 * Run one failed invoice's recovery. `outcomeOf(n)` answers the workflow's n-th
 * charge (0-based); `signals` are webhooks in `atMs` order. Stops when the
 * invoice is settled with no timer wanted, or when nothing is left to wait for.
 */
export function driveRecovery(
  input: DunningInput,
  outcomeOf: (attempt: number) => PaymentOutcome,
  signals: readonly DunningSignal[],
): DunningResult {
  const c = new DunningCase(input);
  c.settleLocally();
  let charges = 0;
  let next = 0;
  for (let stepCount = 0; !c.finished(); stepCount++) {
    if (stepCount >= DRIVER_STEPS_MAX) throw new Error(`driveRecovery: more than ${DRIVER_STEPS_MAX} steps`);
    const signal = signals[next];
    const wakeAtMs = c.wakeAtMs;
    if (signal !== undefined && (wakeAtMs < 0 || signal.atMs < wakeAtMs)) {
      c.applySignal(signal);
      next++;
    } else if (wakeAtMs < 0) {
      break;
    } else {
      c.advanceTo(wakeAtMs);
      const invoiceId = c.dueInvoiceId();
      if (invoiceId >= 0) c.recordAttempt(invoiceId, outcomeOf(charges++));
    }
    c.settleLocally();
  }
  return c.result();
}
