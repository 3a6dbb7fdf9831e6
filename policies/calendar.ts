/**
 * The simulated calendar, one convention for the whole project: time 0 is
 * Monday the 1st; every month has 30 days; weeks run Monday to Sunday.
 * Paydays are the 1st, the 15th and the last business day of the month.
 * The world's recovery model (sim/world/model/recovery.ts) puts customers'
 * money on their paydays; the payday-aware schedule aims its retries at the
 * paydays.
 */
import { MS_PER_DAY } from './types.js';

export const DAYS_PER_MONTH = 30;
export const DAYS_PER_WEEK = 7;
/** Days a payday's money lifts retry success: the payday and the two days after it. */
export const PAYDAY_WINDOW_DAYS = 3;
/** The paydays fixed by date (the last business day moves with the weekday). */
export const FIXED_PAYDAYS: readonly number[] = [1, 15];

/** Whole days since time 0. */
export function dayNumberOf(atMs: number): number {
  return Math.floor(atMs / MS_PER_DAY);
}

/** Day of the month, 1..30. */
export function dayOfMonthOf(atMs: number): number {
  return (dayNumberOf(atMs) % DAYS_PER_MONTH) + 1;
}

/** Month index since time 0. */
export function monthOf(atMs: number): number {
  return Math.floor(dayNumberOf(atMs) / DAYS_PER_MONTH);
}

/** Weekday of a day number: 0 Monday .. 6 Sunday. */
export function weekdayOfDay(dayNumber: number): number {
  return dayNumber % DAYS_PER_WEEK;
}

export function isBusinessDay(dayNumber: number): boolean {
  return weekdayOfDay(dayNumber) < 5;
}

/** Day of the month (1..30) of the last business day of month `month`. */
export function lastBusinessDayOfMonth(month: number): number {
  for (let day = DAYS_PER_MONTH; day >= 1; day--) {
    if (isBusinessDay(month * DAYS_PER_MONTH + day - 1)) return day;
  }
  throw new Error(`calendar: month ${month} has no business day`);
}

/** The paydays of month `month`, as days of the month, ascending. */
export function paydaysOfMonth(month: number): readonly number[] {
  return [...FIXED_PAYDAYS, lastBusinessDayOfMonth(month)];
}

/** Start of day `dayOfMonth` (1..30) of month `month`, in ms. */
export function dayStartMs(month: number, dayOfMonth: number): number {
  return (month * DAYS_PER_MONTH + dayOfMonth - 1) * MS_PER_DAY;
}

/** Is the money of the 1st or the 15th on the account (the payday and the two days after)? */
export function inPaydayWindow(atMs: number): boolean {
  const day = dayOfMonthOf(atMs);
  return FIXED_PAYDAYS.some((payday) => day >= payday && day < payday + PAYDAY_WINDOW_DAYS);
}

/** The first payday at `hourOfDay` that is at or after `notBeforeMs`. */
export function nextPaydayMs(notBeforeMs: number, hourOfDay: number): number {
  const offsetMs = hourOfDay * (MS_PER_DAY / 24);
  for (let month = monthOf(notBeforeMs); ; month++) {
    for (const day of paydaysOfMonth(month)) {
      const atMs = dayStartMs(month, day) + offsetMs;
      if (atMs >= notBeforeMs) return atMs;
    }
  }
}
