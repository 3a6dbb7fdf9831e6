/**
 * The time-aware recovery model. Under it, retrying a soft decline fifteen
 * times in the first day recovers far less than the reason-aware schedule on
 * the same seeds and breaks the card-network rules; under the old
 * fixed-chance model (kept as `recovery.model: fixed-chance`) it recovered at
 * least as many invoices. The pieces: paydays in the customer's time zone,
 * issuer fatigue, a decline code that turns into do_not_honor, the account
 * updater, and common random numbers.
 */
import { describe, expect, it } from 'vitest';
import { policyDocumentSchema, policySetOf } from '../../../policies/document.js';
import { BUILT_IN_DOCUMENTS } from '../../../policies/sets.js';
import { MS_PER_DAY, MS_PER_HOUR, type AttemptRecord } from '../../../policies/types.js';
import { runSimulation } from '../../../sim/world/engine/run.js';
import { streamsFor } from '../../../sim/world/kernel/rng.js';
import {
  nextDepositMs,
  recentAttempts,
  retryChance,
  retryDecline,
  type PayTraits,
} from '../../../sim/world/model/recovery.js';
import { newAccount, newAttempt, newCard, newInvoice } from '../../../sim/world/model/state.js';
import type { Recovery, RunResult } from '../../../sim/world/result.js';
import { smallBaseline } from '../../support/small.js';

const target = policySetOf(BUILT_IN_DOCUMENTS.target!);
/** Fifteen attempts in the first day: the first and fourteen retries 0.06 days (86 minutes) apart. */
const rapid = policySetOf(
  policyDocumentSchema.parse({
    ...BUILT_IN_DOCUMENTS.target!,
    name: 'rapid-fire',
    retry: { schedule: 'fixed-cadence', delaysDays: Array<number>(14).fill(0.06) },
  }),
);
const SEEDS = [1, 2, 3];

function runs(model: string): { target: RunResult; rapid: RunResult }[] {
  const s = smallBaseline(2000, 45, `recovery:\n  model: ${model}\n`);
  return SEEDS.map((seed) => ({ target: runSimulation(s, target, seed), rapid: runSimulation(s, rapid, seed) }));
}

describe('rapid-fire retries against the reason-aware schedule', () => {
  it('the time-aware model: 15 attempts in a day recover less than half the revenue and break network rules', () => {
    for (const { target: t, rapid: r } of runs('time-aware')) {
      // Measured (2,000 accounts, 45 days, seeds 1-3): target 6,610 / 5,550 / 4,800 dollars,
      // rapid-fire 2,020 / 2,230 / 2,090 dollars with 347 / 209 / 173 rule violations.
      expect(r.recovery.revenueRecoveredCents).toBeLessThan(0.5 * t.recovery.revenueRecoveredCents);
      expect(r.recovery.networkRuleViolations).toBeGreaterThan(0);
      expect(t.recovery.networkRuleViolations).toBe(0);
    }
  });

  it('the fixed-chance model: rapid-fire recovers at least as many invoices, the flaw the new model removes', () => {
    for (const { target: t, rapid: r } of runs('fixed-chance')) {
      const share = (x: Recovery): number => x.recoveredInvoices / x.failedInvoices;
      expect(share(r.recovery)).toBeGreaterThanOrEqual(share(t.recovery));
      expect(r.recovery.meanDaysToRecovery).toBeLessThan(1);
    }
  });
});

const scenario = smallBaseline(10, 10);
const r = scenario.recovery;

describe('paydays in the customer time zone', () => {
  const weekly: PayTraits = { cycle: 'weekly', phase: 0, utcOffsetHours: -5 };
  it('a weekly payday is the next Friday at the deposit hour, local time', () => {
    // Time 0 is Monday the 1st (policies/calendar.ts): Friday is day 4; 06:00 at UTC-5 is 11:00 UTC.
    expect(nextDepositMs(r, weekly, 0)).toBe(4 * MS_PER_DAY + 11 * MS_PER_HOUR);
    expect(nextDepositMs(r, weekly, 4 * MS_PER_DAY + 12 * MS_PER_HOUR)).toBe(11 * MS_PER_DAY + 11 * MS_PER_HOUR);
  });
  it('biweekly skips alternate Fridays; semimonthly is the 1st and 15th; monthly the 1st', () => {
    expect(nextDepositMs(r, { ...weekly, cycle: 'biweekly', phase: 1 }, 0)).toBe(11 * MS_PER_DAY + 11 * MS_PER_HOUR);
    expect(nextDepositMs(r, { ...weekly, cycle: 'semimonthly' }, MS_PER_DAY)).toBe(14 * MS_PER_DAY + 11 * MS_PER_HOUR);
    expect(nextDepositMs(r, { ...weekly, cycle: 'monthly', utcOffsetHours: 0 }, MS_PER_DAY)).toBe(
      30 * MS_PER_DAY + 6 * MS_PER_HOUR,
    );
  });
});

describe('issuer fatigue and code shifts', () => {
  const at = (hours: number): AttemptRecord => newAttempt(hours * MS_PER_HOUR, 5, 'visa', 'insufficient_funds', false);
  it('attempts beyond the free ones in the window cost the next one its chance', () => {
    const attempts = [at(0), at(1), at(2), at(3)];
    expect(recentAttempts(r, attempts, 5, 4 * MS_PER_HOUR)).toBe(4);
    expect(recentAttempts(r, attempts, 5, 28 * MS_PER_HOUR)).toBe(0);
    const after = r.reasons.insufficient_funds!.successAfterArrival;
    expect(retryChance(r, 'insufficient_funds', 0, MS_PER_DAY, 2)).toBeCloseTo(after);
    expect(retryChance(r, 'insufficient_funds', 0, MS_PER_DAY, 4)).toBeCloseTo(after * r.fatigueFactor ** 2);
    expect(retryChance(r, 'insufficient_funds', 2 * MS_PER_DAY, MS_PER_DAY, 0)).toBeCloseTo(
      r.reasons.insufficient_funds!.successBeforeArrival,
    );
  });

  it('a crowded retry of insufficient funds can come back as do_not_honor; the same draw for every policy', () => {
    const streams = streamsFor(4);
    const a = newAccount(
      3,
      { id: 0, name: 'p', monthlyPriceCents: 1000, entitlements: 1 },
      'stripe',
      newCard(5, 'visa', Infinity),
      1,
      0,
      true,
    );
    const codes = new Set<string>();
    for (let id = 0; id < 400; id++) {
      const invoice = newInvoice(id, 'renewal', 1000, 0, 3, -1);
      invoice.attempts = Array.from({ length: 12 }, (_, k) => at(k * 0.5));
      const code = retryDecline(scenario, streams.declines, a, invoice, 'insufficient_funds', 6 * MS_PER_HOUR, 5);
      expect(retryDecline(scenario, streams.declines, a, invoice, 'insufficient_funds', 6 * MS_PER_HOUR, 5)).toBe(code);
      codes.add(String(code));
    }
    expect(codes).toContain('do_not_honor');
    expect(codes).toContain('insufficient_funds');
  });
});

describe('the model is deterministic and shared across policy sets', () => {
  it('one seed gives the same recovery twice', () => {
    const s = smallBaseline(300, 30);
    expect(runSimulation(s, target, 9).invoices).toEqual(runSimulation(s, target, 9).invoices);
  });
});

describe('the default model recovery curves (Kaplan–Meier, target policies)', () => {
  it('insufficient funds peaks within days 2–12 and recovers more than expired cards', () => {
    for (const seed of SEEDS) {
      const curves = runSimulation(smallBaseline(4000, 60), target, seed).recoveryCurves!.curves;
      const funds = curves.find((c) => c.reason === 'insufficient_funds')!;
      const expired = curves.find((c) => c.reason === 'expired_card')!;
      // Measured (4,000 accounts, 60 days, seeds 1-3): insufficient funds peaks on day 3 each time (the
      // reason-aware schedule's 72-hour retry meeting the week's paydays) and has recovered
      // 80.2 / 78.0 / 82.4 % by day 30; expired cards 44.1 / 42.9 / 43.4 %, only through new cards.
      expect(funds.peakDay).toBeGreaterThanOrEqual(2);
      expect(funds.peakDay).toBeLessThanOrEqual(12);
      expect(funds.points[30]!.recoveredShare!).toBeGreaterThan(0.7);
      expect(expired.points[30]!.recoveredShare!).toBeLessThan(0.55);
      expect(funds.points[30]!.recoveredShare! - expired.points[30]!.recoveredShare!).toBeGreaterThan(0.2);
    }
  });
});
