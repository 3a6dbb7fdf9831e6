/**
 * Stripe-style "N retries within M days" (the shape of Stripe's Smart
 * Retries settings: 8 tries within 2 weeks by default). Retry r of N falls at
 * windowDays · (r/N)^curve after the first failure: curve 1 spaces retries
 * evenly, above 1 front-loads them, when a transient decline is likeliest to
 * clear. Permanent declines and authentication wait for the customer; a new
 * payment method is charged soon after it is added.
 */
import { z } from 'zod';
import { parseConfig, positiveDays } from '../config.js';
import { MS_PER_HOUR, MS_PER_DAY } from '../types.js';
import { customerFirst, lastAttempt, type RetryDecision, type RetryInput, type RetrySchedule } from './schedule.js';

export const smartRetriesSchema = z
  .object({
    /** Retries after the first failure. */
    retriesMax: z.number().int().min(1).max(30).default(8),
    /** Days after the first failure within which every retry falls. */
    windowDays: positiveDays.default(14),
    /** Spacing exponent: 1 even, > 1 front-loaded. */
    curve: z.number().min(0.25).max(4).default(1.5),
    /** Smallest gap between two attempts. */
    minGapHours: z
      .number()
      .min(0)
      .max(24 * 30)
      .default(12),
    newPaymentMethodDelayHours: z
      .number()
      .min(0)
      .max(24 * 30)
      .default(1),
  })
  .strict();
export type SmartRetriesConfig = z.output<typeof smartRetriesSchema>;

export function smartRetries(input: z.input<typeof smartRetriesSchema> = {}): RetrySchedule {
  const config = parseConfig(smartRetriesSchema, 'smart-retries', input);
  return {
    name: 'smart-retries',
    params: { ...config },
    ignoresNow: true,
    next: (retry) => nextSmartRetry(config, retry),
  };
}

/** When retry `r` (1-based) of the schedule falls, after the first failure. */
export function smartRetryOffsetMs(config: SmartRetriesConfig, r: number): number {
  return Math.round(config.windowDays * MS_PER_DAY * (r / config.retriesMax) ** config.curve);
}

function nextSmartRetry(config: SmartRetriesConfig, input: RetryInput): RetryDecision {
  const early = customerFirst(input, config.newPaymentMethodDelayHours * MS_PER_HOUR);
  if (early !== null) return early;
  const retry = input.attempts.filter((a) => a.declineCode !== null).length;
  if (retry > config.retriesMax) return { kind: 'exhausted' };
  const atMs = Math.max(
    input.firstFailedAtMs + smartRetryOffsetMs(config, retry),
    lastAttempt(input).atMs + config.minGapHours * MS_PER_HOUR,
  );
  return atMs > input.firstFailedAtMs + config.windowDays * MS_PER_DAY
    ? { kind: 'exhausted' }
    : { kind: 'retry_at', atMs };
}
