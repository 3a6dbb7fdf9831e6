/**
 * Retry insufficient funds when the money is there: after a payday (the 1st,
 * the 15th, the last business day of the month; policies/calendar.ts). Other
 * transient declines wait a fixed number of hours; permanent ones and
 * authentication wait for the customer.
 */
import { z } from 'zod';
import { nextPaydayMs } from '../calendar.js';
import { parseConfig, positiveDays, positiveHours } from '../config.js';
import { declineCodeSchema } from '../decline-codes.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../types.js';
import {
  customerFirst,
  failuresOnLastMethod,
  lastAttempt,
  type RetryDecision,
  type RetryInput,
  type RetrySchedule,
} from './schedule.js';

export const paydayAwareSchema = z
  .object({
    /** Decline reasons retried on the next payday. */
    paydayReasons: z.array(declineCodeSchema).min(1).default(['insufficient_funds', 'paypal_funding_failed']),
    /** Hour of the payday (0..23) when the retry runs, once the money has landed. */
    paydayHour: z.number().int().min(0).max(23).default(10),
    /** A payday retry is at least this long after the last attempt. */
    minWaitHours: z
      .number()
      .min(0)
      .max(24 * 30)
      .default(24),
    /** Hours to wait after any other transient decline. */
    otherWaitHours: positiveHours.default(48),
    attemptsPerPaymentMethodMax: z.number().int().min(1).max(50).default(6),
    recoveryWindowDays: positiveDays.default(35),
    newPaymentMethodDelayHours: z
      .number()
      .min(0)
      .max(24 * 30)
      .default(1),
  })
  .strict();
export type PaydayAwareConfig = z.output<typeof paydayAwareSchema>;

export function paydayAware(input: z.input<typeof paydayAwareSchema> = {}): RetrySchedule {
  const config = parseConfig(paydayAwareSchema, 'payday-aware', input);
  return {
    name: 'payday-aware',
    params: { ...config },
    ignoresNow: true,
    next: (retry) => nextPaydayRetry(config, retry),
  };
}

function nextPaydayRetry(config: PaydayAwareConfig, input: RetryInput): RetryDecision {
  const early = customerFirst(input, config.newPaymentMethodDelayHours * MS_PER_HOUR);
  if (early !== null) return early;
  if (failuresOnLastMethod(input) >= config.attemptsPerPaymentMethodMax) return { kind: 'await_payment_method' };
  const last = lastAttempt(input);
  const onPayday = last.declineCode !== null && config.paydayReasons.includes(last.declineCode);
  const atMs = onPayday
    ? nextPaydayMs(last.atMs + config.minWaitHours * MS_PER_HOUR, config.paydayHour)
    : last.atMs + config.otherWaitHours * MS_PER_HOUR;
  return atMs - input.firstFailedAtMs > config.recoveryWindowDays * MS_PER_DAY
    ? { kind: 'exhausted' }
    : { kind: 'retry_at', atMs };
}
