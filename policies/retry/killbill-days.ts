/**
 * Kill Bill's payment retries: the `org.killbill.payment.retry.days` list
 * (default 8,8,8). After failure n Kill Bill waits days[n-1] and tries again,
 * whatever the reason; when the list runs out it stops. It is the fixed
 * cadence with Kill Bill's default and name.
 */
import { z } from 'zod';
import { parseConfig, positiveDays } from '../config.js';
import { fixedCadence } from './fixed-cadence.js';
import type { RetrySchedule } from './schedule.js';

export const KILL_BILL_RETRY_DAYS: readonly number[] = [8, 8, 8];

export const killBillDaysSchema = z
  .object({
    /** Days to wait after each failure (org.killbill.payment.retry.days). */
    days: z
      .array(positiveDays)
      .min(1)
      .max(50)
      .default([...KILL_BILL_RETRY_DAYS]),
  })
  .strict();

export function killBillRetryDays(input: z.input<typeof killBillDaysSchema> = {}): RetrySchedule {
  const config = parseConfig(killBillDaysSchema, 'killbill-days', input);
  const cadence = fixedCadence({ delaysDays: config.days });
  return { ...cadence, name: 'killbill-days', params: { days: config.days } };
}
