/**
 * The legacy schedule: one escalating cadence whatever the failure reason.
 * After failure n it waits delaysDays[n-1]; when the list runs out it is exhausted.
 */
import { z } from 'zod';
import { parseConfig, positiveDays } from '../config.js';
import { MS_PER_DAY } from '../types.js';
import { lastAttempt, type RetrySchedule } from './schedule.js';

export const LEGACY_CADENCE_DAYS: readonly number[] = [1, 3, 5, 7];

export const fixedCadenceSchema = z
  .object({
    /** Days to wait after failure 1, 2, …; exhausted when the list runs out. */
    delaysDays: z
      .array(positiveDays)
      .min(1)
      .max(50)
      .default([...LEGACY_CADENCE_DAYS]),
  })
  .strict();
export type FixedCadenceConfig = z.input<typeof fixedCadenceSchema>;

export function fixedCadence(input: FixedCadenceConfig = {}): RetrySchedule {
  const config = parseConfig(fixedCadenceSchema, 'fixed-cadence', input);
  return {
    name: 'fixed-cadence',
    params: { delaysDays: config.delaysDays },
    ignoresNow: true,
    next(input) {
      const failures = input.attempts.filter((a) => a.declineCode !== null).length;
      const delayDays = config.delaysDays[failures - 1];
      if (delayDays === undefined) return { kind: 'exhausted' };
      return { kind: 'retry_at', atMs: lastAttempt(input).atMs + Math.round(delayDays * MS_PER_DAY) };
    },
  };
}
