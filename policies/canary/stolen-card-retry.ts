/**
 * CANARY: a schedule that breaks the card-network rules on purpose. It
 * retries every decline daily, stolen and lost cards included, and never asks
 * the rules. A test runs it and must see the run count the violations; if it
 * does not, the network-rule checker is broken. Never use it for real.
 */
import { MS_PER_DAY } from '../types.js';
import { lastAttempt, type RetrySchedule } from '../retry/schedule.js';

export function stolenCardRetryCanary(retriesMax = 10): RetrySchedule {
  return {
    name: 'canary-stolen-card-retry',
    params: { retriesMax },
    next(input) {
      if (input.attempts.length > retriesMax) return { kind: 'exhausted' };
      return { kind: 'retry_at', atMs: lastAttempt(input).atMs + MS_PER_DAY };
    },
  };
}
