import { describe, expect, it } from 'vitest';
import { stolenCardRetryCanary } from '../../policies/canary/stolen-card-retry.js';
import { RETRY_SCHEDULES } from '../../policies/catalog.js';
import { networkLimits } from '../../policies/config.js';
import { DECLINE_CODES } from '../../policies/decline-codes.js';
import { mcAdviceCodeOf, networkSaysNeverRetry, visaCategoryOf } from '../../policies/network-codes.js';
import { violatedRules, type NetworkAttempt } from '../../policies/network-rules.js';
import type { RetryInput } from '../../policies/retry/schedule.js';
import { targetPolicies } from '../../policies/sets.js';
import { MS_PER_DAY, MS_PER_HOUR, type CardBrand, type DeclineCode } from '../../policies/types.js';
import { runSimulation } from '../../sim/world/engine/run.js';
import { smallBaseline } from '../support/small.js';

function attempt(
  atMs: number,
  brand: CardBrand,
  declineCode: DeclineCode | null,
  amountCents = 1_000,
  codes: { networkDeclineCode?: string | null; networkAdviceCode?: string | null } = {},
): NetworkAttempt {
  return {
    atMs,
    paymentMethodId: 1,
    brand,
    declineCode,
    onSession: false,
    amountCents,
    invoiceId: amountCents,
    ...codes,
  };
}

const next = (atMs: number, amountCents = 1_000) => ({ atMs, paymentMethodId: 1, amountCents });

describe('card-network rules', () => {
  it('caps Visa reattempts of one payment at 20 in 30 days (15 before May 2025)', () => {
    const attempts = Array.from({ length: 17 }, (_, k) => attempt(k * MS_PER_DAY, 'visa', 'do_not_honor'));
    const at = next(17 * MS_PER_DAY);
    expect(violatedRules(attempts, at, networkLimits({ visaReattemptsMax30d: 15 }))).toEqual([
      'visa_reattempts_over_cap',
    ]);
    expect(violatedRules(attempts, at, networkLimits())).toEqual([]);
    // Another amount is another payment: its own count.
    expect(violatedRules(attempts, next(17 * MS_PER_DAY, 2_000), networkLimits({ visaReattemptsMax30d: 15 }))).toEqual(
      [],
    );
    expect(() => networkLimits({ visaReattemptsMax30d: 0 })).toThrow('networkRules: visaReattemptsMax30d:');
  });

  it('a Mastercard card declined 10 times in 24 hours across two invoices: the next attempt breaks the cap', () => {
    const renewal = Array.from({ length: 6 }, (_, k) => attempt(k * 2 * MS_PER_HOUR, 'mastercard', 'do_not_honor'));
    const upgrade = Array.from({ length: 4 }, (_, k) =>
      attempt((13 + k) * MS_PER_HOUR, 'mastercard', 'do_not_honor', 2_500),
    );
    const history = [...renewal, ...upgrade];
    expect(violatedRules(history, next(20 * MS_PER_HOUR, 2_500))).toEqual(['mc_declines_over_24h_cap']);
    expect(violatedRules(history.slice(1), next(20 * MS_PER_HOUR, 2_500))).toEqual([]);
    expect(violatedRules(history, next(25 * MS_PER_HOUR, 2_500))).toEqual([]);
  });

  it("reads the Visa category and the Mastercard advice from the attempt's own network codes", () => {
    // Stripe said insufficient funds, the network said stolen card (43) / do not try again (03).
    const visa = attempt(0, 'visa', 'insufficient_funds', 1_000, { networkDeclineCode: '43' });
    const mc = attempt(0, 'mastercard', 'insufficient_funds', 1_000, {
      networkDeclineCode: '51',
      networkAdviceCode: '03',
    });
    expect(visaCategoryOf(visa)).toEqual({ category: 1, source: 'network' });
    expect(violatedRules([visa], next(MS_PER_DAY))).toEqual(['visa_category1_retried']);
    expect(mcAdviceCodeOf(mc)).toEqual({ code: '03', source: 'network' });
    expect(violatedRules([mc], next(MS_PER_DAY))).toEqual(['mc_do_not_retry_within_30d']);
    // Without network codes the fallback from Stripe's code applies: stolen card is category 1.
    expect(visaCategoryOf(attempt(0, 'visa', 'stolen_card'))).toEqual({ category: 1, source: 'fallback' });
    // A network decline code reported with no advice: no advice, not the fallback's.
    expect(mcAdviceCodeOf(attempt(0, 'mastercard', 'insufficient_funds', 1_000, { networkDeclineCode: '51' }))).toBe(
      null,
    );
  });

  it('MAC 24..30 waits are honoured and given only where Mastercard gives them', () => {
    const wait = attempt(0, 'mastercard', 'try_again_later', 1_000, { networkAdviceCode: '27' });
    expect(violatedRules([wait], next(95 * MS_PER_HOUR))).toEqual(['mc_retry_after_not_honoured']);
    expect(violatedRules([wait], next(96 * MS_PER_HOUR))).toEqual([]);
    // The fallback gives a timed wait to insufficient funds only (Mastercard sends 24..30 with response 51).
    const timed = DECLINE_CODES.filter((c) =>
      ['24', '25', '26', '27', '28', '29', '30'].includes(fallbackMac(c) ?? ''),
    );
    expect(timed).toEqual(['insufficient_funds']);
  });

  it('an attempt whose network advice says never retry is never retried by any shipped schedule', () => {
    const env = { networkLimits: networkLimits() };
    const never = [
      attempt(0, 'mastercard', 'insufficient_funds', 1_000, { networkDeclineCode: '51', networkAdviceCode: '03' }),
      attempt(0, 'mastercard', 'do_not_honor', 1_000, { networkDeclineCode: '05', networkAdviceCode: '21' }),
      attempt(0, 'visa', 'do_not_honor', 1_000, { networkDeclineCode: '57' }),
      attempt(0, 'visa', 'generic_decline', 1_000, { networkDeclineCode: 'R1' }),
    ];
    for (const [name, entry] of Object.entries(RETRY_SCHEDULES)) {
      // fixed-cadence is the legacy model, reason-blind by design: shipped, it is asked to keep the rules.
      const schedule = entry.create(name === 'reason-aware' ? {} : { respectNetworkRules: true }, env);
      for (const first of never) {
        expect(networkSaysNeverRetry(first)).toBe(true);
        // Across invoices too: the decline was on last month's renewal, this is a new invoice on the same card.
        for (const input of [
          inputOf([first]),
          inputOf([attempt(2 * MS_PER_DAY, first.brand, 'do_not_honor')], [first]),
        ]) {
          const decision = schedule.next(input);
          expect(decision.kind, `${name} after ${first.networkDeclineCode}/${first.networkAdviceCode}`).not.toBe(
            'retry_at',
          );
        }
      }
    }
  });

  it('the canary that retries stolen cards is caught by the run', () => {
    const scenario = smallBaseline(400, 30, 'declines:\n  mix: { stolen_card: 1, insufficient_funds: 1 }\n');
    const result = runSimulation(scenario, { ...targetPolicies(), name: 'canary', retry: stolenCardRetryCanary() }, 7);
    const byRule = result.recovery.networkRuleViolationsByRule;
    expect(byRule.visa_category1_retried).toBeGreaterThan(0);
    expect(byRule.mc_do_not_retry_within_30d).toBeGreaterThan(0);
    expect(result.recovery.networkFeesCents).toBe(
      10 * byRule.visa_category1_retried! +
        3 * byRule.mc_do_not_retry_within_30d! +
        50 * (byRule.mc_attempts_over_cap! + byRule.mc_declines_over_24h_cap!) +
        10 * byRule.visa_reattempts_over_cap!,
    );
    expect(runSimulation(scenario, targetPolicies(), 7).recovery.networkRuleViolations).toBe(0);
  });

  it('checks every attempt against the limits the policy set declares', () => {
    // A reason-blind daily schedule that ignores the rules: 18 daily retries of insufficient funds on one card.
    const scenario = smallBaseline(
      300,
      40,
      'recovery:\n  model: fixed-chance\ndeclines:\n  retrySuccess: { default: 0 }\n  mix: { insufficient_funds: 1 }\ncustomers:\n  updateAfterFailureShare: 0\n  payOutOfBandShare: 0\n  brandMix: { visa: 1, mastercard: 0, amex: 0 }\n  paypalShare: 0\n',
    );
    const env15 = { networkLimits: networkLimits({ visaReattemptsMax30d: 15 }) };
    const daily = RETRY_SCHEDULES['per-reason']!.create(
      { table: { default: Array(18).fill(24) }, respectNetworkRules: false },
      env15,
    );
    const run = (visa: number) =>
      runSimulation(
        scenario,
        {
          ...targetPolicies(),
          name: `visa-${visa}`,
          retry: daily,
          networkLimits: networkLimits({ visaReattemptsMax30d: visa }),
        },
        7,
      ).recovery.networkRuleViolationsByRule.visa_reattempts_over_cap!;
    expect(run(15)).toBeGreaterThan(0);
    expect(run(20)).toBe(0);
    const guarded = RETRY_SCHEDULES['per-reason']!.create({ table: { default: Array(18).fill(24) } }, env15);
    const kept = runSimulation(scenario, { ...targetPolicies(), retry: guarded, networkLimits: env15.networkLimits }, 7)
      .recovery.networkRuleViolationsByRule;
    // The guarded retries stop at the cap. The networks count per card and amount across invoices, so next month's
    // renewal of the same amount, which the billing calendar makes and no schedule decides, can still land on a card
    // whose 30-day allowance the retries used up: the only violations left, and few.
    expect(Object.entries(kept).filter(([rule, n]) => n > 0 && rule !== 'visa_reattempts_over_cap')).toEqual([]);
    expect(kept.visa_reattempts_over_cap!).toBeLessThan(run(15) / 10);
  });
});

function fallbackMac(code: DeclineCode): string | null {
  return mcAdviceCodeOf(attempt(0, 'mastercard', code))?.code ?? null;
}

/** A retry question about the last attempt of `attempts` (this invoice), with `earlier` attempts on other invoices. */
function inputOf(attempts: NetworkAttempt[], earlier: NetworkAttempt[] = []): RetryInput {
  const last = attempts[attempts.length - 1]!;
  return {
    nowMs: last.atMs,
    amountCents: last.amountCents,
    firstFailedAtMs: attempts[0]!.atMs,
    attempts,
    paymentMethodId: 1,
    paymentMethodUpdatedAtMs: -1,
    cardHistory: [...earlier, ...attempts],
  };
}
