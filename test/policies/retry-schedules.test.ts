import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayOfMonthOf, paydaysOfMonth, monthOf } from '../../policies/calendar.js';
import { RETRY_SCHEDULES, defaultsOf } from '../../policies/catalog.js';
import { DECLINE_CODES } from '../../policies/decline-codes.js';
import { DEFAULT_NETWORK_LIMITS, historyFor, violatedRules } from '../../policies/network-rules.js';
import { killBillRetryDays } from '../../policies/retry/killbill-days.js';
import { paydayAware } from '../../policies/retry/payday-aware.js';
import { perReasonTable } from '../../policies/retry/per-reason.js';
import type { RetryInput } from '../../policies/retry/schedule.js';
import { smartRetries } from '../../policies/retry/smart-retries.js';
import { MS_PER_DAY, MS_PER_HOUR, type AttemptRecord, type CardBrand, type DeclineCode } from '../../policies/types.js';

const env = { networkLimits: DEFAULT_NETWORK_LIMITS };

function history(
  declines: readonly DeclineCode[],
  gapHours: number,
  brand: CardBrand = 'visa',
  startMs = 0,
): RetryInput {
  const attempts: AttemptRecord[] = declines.map((code, k) => ({
    atMs: startMs + k * gapHours * MS_PER_HOUR,
    paymentMethodId: 7,
    brand,
    declineCode: code,
    onSession: false,
  }));
  return {
    nowMs: attempts[attempts.length - 1]!.atMs,
    amountCents: 1000,
    firstFailedAtMs: startMs,
    attempts,
    paymentMethodId: 7,
    paymentMethodUpdatedAtMs: -1,
  };
}

/** One bad parameter per schedule, and the field its message must name. */
const BAD: Readonly<Record<string, readonly [Record<string, unknown>, string]>> = {
  'fixed-cadence': [{ delaysDays: [1, -3] }, 'delaysDays.1'],
  'reason-aware': [{ attemptsPerPaymentMethodMax: 0 }, 'attemptsPerPaymentMethodMax'],
  'smart-retries': [{ retriesMax: 0 }, 'retriesMax'],
  'killbill-days': [{ days: [] }, 'days'],
  'payday-aware': [{ paydayHour: 25 }, 'paydayHour'],
  'per-reason': [{ table: { insufficient_funds: [24] } }, 'table'],
};

describe('the shipped retry schedules', () => {
  it('has a bad-config case for every schedule in the catalog', () => {
    expect(Object.keys(BAD).sort()).toEqual(Object.keys(RETRY_SCHEDULES).sort());
  });

  for (const [name, entry] of Object.entries(RETRY_SCHEDULES)) {
    it(`${name}: builds with its defaults and names the bad field`, () => {
      expect(entry.create({}, env).name).toBe(name);
      expect(defaultsOf(entry)).toBeTypeOf('object');
      const [params, field] = BAD[name]!;
      expect(() => entry.create(params, env)).toThrow(new RegExp(`^${name}: ${field.replace('.', '\\.')}: `));
      expect(() => entry.create({ nonsense: 1 }, env)).toThrow(`${name}: nonsense: unknown field`);
    });

    it(`${name}: never schedules before the last attempt, and within the network rules when asked`, () => {
      const respects = name !== 'fixed-cadence';
      const schedule = entry.create(respects ? {} : { respectNetworkRules: true }, env);
      fc.assert(
        fc.property(
          fc.array(fc.constantFrom(...DECLINE_CODES), { minLength: 1, maxLength: 20 }),
          fc.integer({ min: 1, max: 96 }),
          fc.constantFrom<CardBrand>('visa', 'mastercard'),
          (declines, gapHours, brand) => {
            const input = history(declines, gapHours, brand);
            const decision = schedule.next(input);
            if (decision.kind !== 'retry_at') return;
            expect(decision.atMs).toBeGreaterThan(input.attempts[input.attempts.length - 1]!.atMs);
            const next = { atMs: decision.atMs, paymentMethodId: 7, amountCents: input.amountCents };
            expect(violatedRules(historyFor(input), next)).toEqual([]);
          },
        ),
        { numRuns: 150, seed: 7 },
      );
    });

    it(`${name}: declares ignoresNow, and keeps it: the answer is the same whatever the time`, () => {
      for (const respectNetworkRules of [false, true]) {
        const schedule = entry.create(name === 'reason-aware' ? {} : { respectNetworkRules }, env);
        expect(schedule.ignoresNow).toBe(true);
        fc.assert(
          fc.property(
            fc.array(fc.constantFrom(...DECLINE_CODES), { minLength: 1, maxLength: 12 }),
            fc.integer({ min: 1, max: 96 }),
            fc.integer({ min: 0, max: 400 * 24 }),
            fc.integer({ min: 0, max: 60 * 24 }),
            (declines, gapHours, startHours, laterHours) => {
              const input = history(declines, gapHours, 'visa', startHours * MS_PER_HOUR);
              expect(schedule.next({ ...input, nowMs: input.nowMs + laterHours * MS_PER_HOUR })).toEqual(
                schedule.next(input),
              );
            },
          ),
          { numRuns: 100, seed: 11 },
        );
      }
    });
  }
});

describe('smart-retries', () => {
  it('makes at most retriesMax retries, all within windowDays, front-loaded', () => {
    const schedule = smartRetries({ retriesMax: 4, windowDays: 10 });
    const times: number[] = [];
    let input = history(['insufficient_funds'], 1);
    for (;;) {
      const d = schedule.next(input);
      if (d.kind !== 'retry_at') break;
      times.push(d.atMs);
      input = { ...input, attempts: [...input.attempts, { ...input.attempts[0]!, atMs: d.atMs }] };
    }
    expect(times.length).toBe(4);
    expect(times[3]).toBeLessThanOrEqual(10 * MS_PER_DAY);
    expect(times[1]! - times[0]!).toBeLessThan(times[3]! - times[2]!);
  });

  it('waits for the customer after a permanent decline', () => {
    expect(smartRetries().next(history(['expired_card'], 1)).kind).toBe('await_payment_method');
  });
});

describe('killbill-days', () => {
  it('retries 8, 8 and 8 days apart, then stops', () => {
    const schedule = killBillRetryDays();
    for (let k = 1; k <= 3; k++) {
      const input = history(Array(k).fill('do_not_honor'), 8 * 24);
      expect(schedule.next(input)).toEqual({ kind: 'retry_at', atMs: k * 8 * MS_PER_DAY });
    }
    expect(schedule.next(history(Array(4).fill('do_not_honor'), 8 * 24)).kind).toBe('exhausted');
  });
});

describe('payday-aware', () => {
  it('retries insufficient funds on a payday, other declines after a fixed wait', () => {
    const schedule = paydayAware();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 * 24 }), (startHours) => {
        const d = schedule.next(history(['insufficient_funds'], 1, 'visa', startHours * MS_PER_HOUR));
        if (d.kind !== 'retry_at') return;
        expect(paydaysOfMonth(monthOf(d.atMs))).toContain(dayOfMonthOf(d.atMs));
        expect(d.atMs).toBeGreaterThanOrEqual(startHours * MS_PER_HOUR + 24 * MS_PER_HOUR);
      }),
      { numRuns: 200, seed: 3 },
    );
    const other = schedule.next(history(['do_not_honor'], 1, 'visa', 5 * MS_PER_HOUR));
    expect(other).toEqual({ kind: 'retry_at', atMs: 53 * MS_PER_HOUR });
  });
});

describe('per-reason', () => {
  it('follows the table row of the last decline, then waits for a new card', () => {
    const schedule = perReasonTable({
      table: { insufficient_funds: [24, 72], expired_card: 'await_payment_method', default: [6] },
    });
    expect(schedule.next(history(['insufficient_funds'], 1))).toEqual({ kind: 'retry_at', atMs: 24 * MS_PER_HOUR });
    expect(schedule.next(history(['insufficient_funds', 'insufficient_funds'], 24))).toEqual({
      kind: 'retry_at',
      atMs: 96 * MS_PER_HOUR,
    });
    expect(schedule.next(history(['insufficient_funds', 'insufficient_funds', 'insufficient_funds'], 24)).kind).toBe(
      'await_payment_method',
    );
    expect(schedule.next(history(['expired_card'], 1)).kind).toBe('await_payment_method');
    expect(schedule.next(history(['do_not_honor'], 1))).toEqual({ kind: 'retry_at', atMs: 6 * MS_PER_HOUR });
  });
});
