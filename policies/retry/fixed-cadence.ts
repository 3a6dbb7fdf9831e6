/**
 * The legacy schedule: one escalating cadence whatever the failure reason.
 * After failure n it waits delaysDays[n-1]; when the list runs out it is exhausted.
 */
import { MS_PER_DAY } from '../types.js';
import { lastAttempt, type RetrySchedule } from './schedule.js';

export interface FixedCadenceConfig {
  readonly delaysDays: readonly number[];
}

export const LEGACY_CADENCE_DAYS: readonly number[] = [1, 3, 5, 7];

export function fixedCadence(config: FixedCadenceConfig = { delaysDays: LEGACY_CADENCE_DAYS }): RetrySchedule {
  if (config.delaysDays.length === 0 || config.delaysDays.some((d) => !(d > 0))) {
    throw new Error('fixedCadence: delaysDays must be a non-empty list of positive numbers');
  }
  return {
    name: 'fixed-cadence',
    params: { delaysDays: config.delaysDays },
    next(input) {
      const failures = input.attempts.filter((a) => a.declineCode !== null).length;
      const delayDays = config.delaysDays[failures - 1];
      if (delayDays === undefined) return { kind: 'exhausted' };
      return { kind: 'retry_at', atMs: lastAttempt(input).atMs + Math.round(delayDays * MS_PER_DAY) };
    },
  };
}
