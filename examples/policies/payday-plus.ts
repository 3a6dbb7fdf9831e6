/**
 * A designer's own retry schedule, loaded by a policy file's `retry.module`.
 * It exports createRetrySchedule(params, env): it may build on billsim's
 * pieces (here the payday-aware schedule and the network-rule guard) or
 * decide everything itself; billsim checks what it returns.
 *
 * The idea: insufficient funds on a payday, but give up on a card after
 * `triesMax` failures; everything else as the payday-aware schedule does.
 */
import type { BuildEnv } from '../../policies/catalog.js';
import { withNetworkRules } from '../../policies/retry/network-guard.js';
import { paydayAware } from '../../policies/retry/payday-aware.js';
import { failuresOnLastMethod, type RetrySchedule } from '../../policies/retry/schedule.js';

export function createRetrySchedule(params: { triesMax?: number }, env: BuildEnv): RetrySchedule {
  const triesMax = params.triesMax ?? 4;
  if (!Number.isInteger(triesMax) || triesMax < 1)
    throw new Error(`payday-plus: triesMax must be a whole number >= 1 (got ${String(triesMax)})`);
  const payday = paydayAware({ recoveryWindowDays: 40 });
  const schedule: RetrySchedule = {
    name: 'payday-plus',
    params: { triesMax },
    next(input) {
      if (failuresOnLastMethod(input) >= triesMax) return { kind: 'await_payment_method' };
      return payday.next(input);
    },
  };
  return withNetworkRules(schedule, env.networkLimits);
}
