import { describe, expect, it } from 'vitest';
import {
  dayOfMonthOf,
  inPaydayWindow,
  isBusinessDay,
  lastBusinessDayOfMonth,
  nextPaydayMs,
  paydaysOfMonth,
  weekdayOfDay,
} from '../../policies/calendar.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../../policies/types.js';
import { paydayFactor } from '../../sim/world/model/declines.js';
import { smallBaseline } from '../support/small.js';

describe('calendar', () => {
  it('starts on Monday the 1st of a 30-day month', () => {
    expect(dayOfMonthOf(0)).toBe(1);
    expect(weekdayOfDay(0)).toBe(0);
    expect(dayOfMonthOf(29 * MS_PER_DAY)).toBe(30);
    expect(dayOfMonthOf(30 * MS_PER_DAY)).toBe(1);
    expect(isBusinessDay(5)).toBe(false);
    expect(isBusinessDay(7)).toBe(true);
  });

  it('puts the last business day on a weekday at the end of each month', () => {
    // Month 0's 30th is day 29, a Tuesday; month 2's is day 89, a Saturday; month 6's is day 209, a Sunday.
    expect(lastBusinessDayOfMonth(0)).toBe(30);
    expect(lastBusinessDayOfMonth(2)).toBe(29);
    expect(lastBusinessDayOfMonth(6)).toBe(28);
    for (let m = 0; m < 24; m++) {
      const day = lastBusinessDayOfMonth(m);
      expect(isBusinessDay(m * 30 + day - 1)).toBe(true);
      for (let later = day + 1; later <= 30; later++) expect(isBusinessDay(m * 30 + later - 1)).toBe(false);
    }
    expect(paydaysOfMonth(6)).toEqual([1, 15, 28]);
  });

  it('is the convention the world uses for its payday boost', () => {
    const s = smallBaseline();
    for (let day = 0; day < 120; day++) {
      const atMs = day * MS_PER_DAY + 5 * MS_PER_HOUR;
      const dom = dayOfMonthOf(atMs);
      const expected = (dom >= 1 && dom <= 3) || (dom >= 15 && dom <= 17);
      expect(inPaydayWindow(atMs)).toBe(expected);
      expect(paydayFactor(s, atMs)).toBe(expected ? s.declines.paydayBoost : 1);
    }
  });

  it('finds the next payday at the given hour', () => {
    expect(nextPaydayMs(MS_PER_DAY, 10)).toBe(14 * MS_PER_DAY + 10 * MS_PER_HOUR);
    expect(nextPaydayMs(15 * MS_PER_DAY, 10)).toBe(29 * MS_PER_DAY + 10 * MS_PER_HOUR);
    expect(nextPaydayMs(29 * MS_PER_DAY + 11 * MS_PER_HOUR, 10)).toBe(30 * MS_PER_DAY + 10 * MS_PER_HOUR);
    expect(nextPaydayMs(0, 0)).toBe(0);
  });
});
