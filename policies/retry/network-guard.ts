/**
 * Any schedule, kept within the card networks' rules: each proposed time is
 * moved to the earliest time the rules allow, and a card the networks say
 * never to retry is not retried (the schedule waits for a new payment method).
 */
import { earliestAllowedAttemptMs, historyFor, type NetworkRuleLimits } from '../network-rules.js';
import type { RetrySchedule } from './schedule.js';

export function withNetworkRules(schedule: RetrySchedule, limits: NetworkRuleLimits): RetrySchedule {
  return {
    name: schedule.name,
    params: { ...schedule.params, networkLimits: limits },
    ignoresNow: schedule.ignoresNow === true,
    next(input) {
      const decision = schedule.next(input);
      if (decision.kind !== 'retry_at') return decision;
      const wanted = { atMs: decision.atMs, paymentMethodId: input.paymentMethodId, amountCents: input.amountCents };
      const atMs = earliestAllowedAttemptMs(historyFor(input), wanted, limits);
      return atMs < 0 ? { kind: 'await_payment_method' } : { kind: 'retry_at', atMs };
    },
  };
}
