/**
 * The scenario format. Every field the seeds leave open is a parameter here,
 * with a documented default and a bound, so an analyst can set it from their
 * own production data. `.strict()` everywhere: a misspelt field is an error.
 */
import { z } from 'zod';
import { DECLINE_CODES } from '../../../policies/decline-codes.js';
import type { DeclineCode } from '../../../policies/types.js';

const share = z.number().min(0).max(1);
const DAY_MS = 86_400_000;

const declineCodeEnum = z.enum(DECLINE_CODES as [DeclineCode, ...DeclineCode[]]);

export const planSchema = z
  .object({
    name: z.string().min(1).max(40),
    monthlyPriceCents: z.number().int().min(0).max(10_000_000),
    premium: z.boolean(),
    weight: z.number().min(0).max(1000),
  })
  .strict();

const declinesSchema = z
  .object({
    /** Chance that a renewal's first (off-session) attempt fails. */
    renewalFailureRate: share.default(0.08),
    /** Chance that an on-session upgrade payment fails. */
    onSessionFailureRate: share.default(0.12),
    /** Chance that an on-session payment asks for 3-D Secure. */
    requiresActionRate: share.default(0.04),
    /** Relative weights of decline codes for a first failure (expired_card comes from card expiry). */
    mix: z.partialRecord(declineCodeEnum, z.number().min(0).max(1000)).default({
      insufficient_funds: 40,
      do_not_honor: 14,
      generic_decline: 10,
      processing_error: 6,
      authentication_required: 4,
      try_again_later: 6,
      card_velocity_exceeded: 3,
      stolen_card: 3,
      lost_card: 3,
      invalid_account: 2,
      revocation_of_authorization: 2,
    }),
    /** Chance that a retry of a transient decline succeeds, per reason; `default` for the rest. */
    retrySuccess: z.partialRecord(z.union([declineCodeEnum, z.literal('default')]), share).default({
      insufficient_funds: 0.22,
      do_not_honor: 0.15,
      generic_decline: 0.15,
      processing_error: 0.6,
      try_again_later: 0.35,
      card_velocity_exceeded: 0.3,
      paypal_funding_failed: 0.25,
      default: 0.15,
    }),
    /** Multiplier on retry success from the 1st to the 3rd and the 15th to the 17th of the month (paydays). */
    paydayBoost: z.number().min(1).max(5).default(1.6),
    /** Chance that an attempt with a newly added payment method succeeds. */
    newPaymentMethodSuccess: share.default(0.9),
  })
  .strict();

/** One decline reason's recovery curve (docs/recovery-model.md cites every default). */
export const reasonCurveSchema = z
  .object({
    /** Share of failures whose cause goes away at all (the money arrives, the issuer's block lifts). */
    arrivalShare: share,
    /** Of those, the share whose money comes on the customer's next payday; the rest at a random time. */
    paydayShare: share,
    /** Mean days from the first failure to a random (not payday) arrival. */
    arrivalMeanDays: z.number().min(0.001).max(120),
    /** Chance that an attempt succeeds once the cause has gone. */
    successAfterArrival: share,
    /** Chance that an attempt succeeds before it has (the issuer approves anyway). */
    successBeforeArrival: share,
  })
  .strict();
export type ReasonCurve = z.infer<typeof reasonCurveSchema>;

const curve = (
  arrivalShare: number,
  paydayShare: number,
  arrivalMeanDays: number,
  successAfterArrival: number,
  successBeforeArrival: number,
): ReasonCurve => ({ arrivalShare, paydayShare, arrivalMeanDays, successAfterArrival, successBeforeArrival });

export const DEFAULT_REASON_CURVES: Readonly<Partial<Record<DeclineCode | 'default', ReasonCurve>>> = {
  insufficient_funds: curve(0.75, 0.7, 5, 0.8, 0.03),
  do_not_honor: curve(0.5, 0.2, 4, 0.55, 0.04),
  generic_decline: curve(0.5, 0.2, 4, 0.5, 0.04),
  processing_error: curve(0.95, 0, 0.1, 0.9, 0.2),
  try_again_later: curve(0.9, 0, 1, 0.8, 0.08),
  card_velocity_exceeded: curve(0.8, 0, 1.5, 0.75, 0.02),
  paypal_funding_failed: curve(0.65, 0.6, 5, 0.75, 0.03),
  default: curve(0.5, 0.3, 4, 0.5, 0.04),
};

const contactResponseSchema = z.object({ share: share, meanDays: z.number().min(0.01).max(60) }).strict();

/**
 * How a failed payment recovers. `time-aware` (the default): each failed invoice's cause goes away at
 * a drawn time (a funds-arrival process with pay-cycle peaks, in the customer's time zone), attempts
 * in a short window tire the issuer, and a decline code can change between attempts. `fixed-chance`:
 * the model before it, a fixed chance per retry (`declines.retrySuccess`, `declines.paydayBoost`),
 * kept so older results can be reproduced; it rewards rapid-fire retries, which the networks forbid.
 */
const recoverySchema = z
  .object({
    model: z.enum(['time-aware', 'fixed-chance']).default('time-aware'),
    /** Recovery curve per first decline reason; `default` for the rest. A scenario's entries replace those reasons' defaults only. */
    reasons: z
      .partialRecord(z.union([declineCodeEnum, z.literal('default')]), reasonCurveSchema)
      .default({})
      .transform((given) => ({ ...DEFAULT_REASON_CURVES, ...given })),
    /** How often customers are paid (weights): weekly and biweekly on Fridays, semimonthly the 1st and 15th, monthly the 1st. */
    payCycleMix: z
      .object({
        weekly: z.number().min(0),
        biweekly: z.number().min(0),
        semimonthly: z.number().min(0),
        monthly: z.number().min(0),
      })
      .strict()
      .default({ weekly: 32.4, biweekly: 36.5, semimonthly: 19.8, monthly: 11.3 }),
    /** Local hour at which a payday's deposit is on the account. */
    depositHourLocal: z.number().min(0).max(23.99).default(6),
    /** Customers' UTC offsets in hours (weights by offset; no daylight saving time). */
    utcOffsetMix: z
      .record(z.string().regex(/^[+-]?\d{1,2}$/), z.number().min(0))
      .default({ '-5': 47, '-6': 29, '-7': 7, '-8': 17 }),
    /** Issuer fatigue: attempts on one card within this many hours count against the next. */
    fatigueWindowHours: z.number().min(0).max(720).default(24),
    /** Attempts in the window that cost nothing. */
    fatigueFreeAttempts: z.number().int().min(0).max(50).default(2),
    /** Each further attempt in the window multiplies the next one's chance by this. */
    fatigueFactor: share.default(0.6),
    /** Chance, per attempt in the window, that a failed retry comes back as do_not_honor (the issuer starts blocking). */
    doNotHonorShiftPerAttempt: share.default(0.04),
    /** Share of expired cards the network account updater refreshes, and how soon after the failure (mean days). */
    accountUpdaterShare: share.default(0.3),
    accountUpdaterMeanDays: z.number().min(0.01).max(120).default(3),
    /** Per dunning contact (the policy set's contact schedule): the share who add a new card, and how soon (mean days). */
    contactResponse: z
      .object({ email: contactResponseSchema, in_app: contactResponseSchema })
      .strict()
      .default({ email: { share: 0.1, meanDays: 1 }, in_app: { share: 0.15, meanDays: 0.5 } }),
    /** Each further contact about the same invoice multiplies the response share by this. */
    contactFatigue: share.default(0.7),
    /** Contacts about one invoice a customer takes without annoyance. */
    annoyanceFreeContacts: z.number().int().min(0).max(50).default(4),
    /** Each contact beyond those: the chance the customer cancels at the end of the term. */
    cancelPerExtraContact: share.default(0.03),
  })
  .strict();

const customersSchema = z
  .object({
    /** Share of accounts on an annual term (the rest are monthly). */
    annualShare: share.default(0.15),
    /** Share of accounts that have never paid successfully (first payment is a renewal after a trial). */
    newCustomerShare: share.default(0.1),
    /** Share of accounts paying through the second, PayPal-like provider. */
    paypalShare: share.default(0.1),
    /** Card brand weights for card accounts. */
    brandMix: z
      .object({ visa: z.number().min(0), mastercard: z.number().min(0), amex: z.number().min(0) })
      .strict()
      .default({ visa: 55, mastercard: 35, amex: 10 }),
    upgradesPerAccountMonth: z.number().min(0).max(30).default(0.06),
    /** Spontaneous payment method changes, per account per month. */
    paymentMethodUpdatesPerAccountMonth: z.number().min(0).max(30).default(0.02),
    /** Share of cards that expire at some point during the run without being replaced in time. */
    cardExpiryShare: share.default(0.04),
    /** After a failure, the share of customers who add a new payment method, and how soon (mean days). */
    updateAfterFailureShare: share.default(0.45),
    updateAfterFailureMeanDays: z.number().min(0.01).max(60).default(4),
    /** After a failure, the share who pay the open invoice themselves (hosted page), and how soon. */
    payOutOfBandShare: share.default(0.08),
    payOutOfBandMeanDays: z.number().min(0.01).max(60).default(6),
    /** Share of customers asked for 3-D Secure who complete it. */
    completeAuthenticationShare: share.default(0.7),
    /** Share of customers who try an upgrade again after it timed out. */
    retryAfterTimeoutShare: share.default(0.6),
    /**
     * Mean days between support contacts or audits reaching an account (a Poisson process per account):
     * "Drift accumulates silently until a customer reports a problem or an audit catches it." Under the
     * legacy processors support repairs what its tools show (docs/case-study.md). Unset: never.
     */
    supportContactMeanDays: z.number().min(0.1).max(3650).optional(),
    /**
     * When the platform suspends the account, the share of customers who pay what they owe themselves
     * (hosted page, the written-off invoice included) to get access back, and how soon (mean days, default 2).
     * Unset: nobody reacts to a suspension.
     */
    payAfterSuspensionShare: share.optional(),
    payAfterSuspensionMeanDays: z.number().min(0.01).max(60).optional(),
  })
  .strict();

const webhooksSchema = z
  .object({
    /** Median delivery delay. */
    delayMedianMs: z.number().int().min(0).max(DAY_MS).default(1500),
    /** Share of deliveries in the heavy tail (minutes to days). */
    tailShare: share.default(0.04),
    /** Longest possible delay, redeliveries included (Stripe retries for up to 3 days). */
    delayMaxMs: z
      .number()
      .int()
      .min(1)
      .max(7 * DAY_MS)
      .default(3 * DAY_MS),
    /** Chance that an event is delivered twice. */
    duplicateRate: share.default(0.03),
    /** Chance that the first delivery is lost; the provider redelivers later. */
    dropRate: share.default(0.01),
    /** Chance that one change produces two event objects (two ids). */
    doubleEventRate: share.default(0.005),
  })
  .strict();

const faultsSchema = z
  .object({
    /** Legacy: chance that a rollback's write is silently lost. */
    rollbackFailureRate: share.default(0.2),
    /** Legacy: chance that a rollback comes late, and how late at most. */
    rollbackLateRate: share.default(0.1),
    rollbackLateMaxMs: z
      .number()
      .int()
      .min(0)
      .max(7 * DAY_MS)
      .default(6 * 3_600_000),
    /** How long unpaid entitlements may last before an upgrade counts as bad debt. */
    badDebtGraceMs: z.number().int().min(0).max(DAY_MS).default(60_000),
    /** Chance that an on-session payment call times out (the provider acted; the caller does not know how). */
    providerTimeoutRate: share.default(0.01),
    /** Chance that the synchronous call to cf_prod fails (down or too slow). */
    cfProdCallFailureRate: share.default(0.05),
  })
  .strict();

/** KPI figures a scenario is measured against, by their RunResult names (all optional). */
const kpiFiguresSchema = z
  .object({
    rollbacksPerDay: z.number().min(0).max(1e9).optional(),
    badDebtFromUpgradesPerDay: z.number().min(0).max(1e9).optional(),
    disagreeingAccounts: z.number().min(0).max(1e9).optional(),
    invoiceCoverage: share.optional(),
    dunningCodePaths: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

/**
 * Reference figures that belong to this world: where a system started and
 * where a project aims (the case study's scenarios carry its table). Shown
 * beside a run's KPIs only when the scenario has them; on any other world
 * "progress to target" would mean nothing.
 */
export const referenceSchema = z
  .object({
    /** Where the figures come from, printed with them. */
    source: z.string().min(1).max(500),
    start: kpiFiguresSchema.default({}),
    target: kpiFiguresSchema.default({}),
  })
  .strict();

export type ScenarioReference = z.infer<typeof referenceSchema>;

/** The provider's subscription settings (Stripe's, per account; docs/scenarios.md). */
const subscriptionsSchema = z
  .object({
    /**
     * When collection of a failed invoice ends (billsim: the invoice is written off), the subscription
     * is canceled, marked unpaid, or left past due (and, no longer owing, returns to active): Stripe's
     * "Manage failed payments" setting. Default mark_unpaid.
     */
    afterFailedPayments: z.enum(['cancel', 'mark_unpaid', 'leave_past_due']).default('mark_unpaid'),
  })
  .strict();

/** How the KPIs are measured (docs/kpis.md): not a property of the world or of a policy. */
const kpisSchema = z
  .object({
    /**
     * A subscriber whose access has been suspended (or worse) for this many days in a row is lost
     * to failed payment, as if canceled: Stripe's recommended retry window is 8 tries within 2 weeks
     * and ProfitWell counts delinquent churn about 14 days after the first failure (docs/kpis.md).
     */
    involuntaryChurnSuspendedDays: z.number().min(0).max(3660).default(14),
  })
  .strict();

const limitsSchema = z
  .object({
    eventsMax: z.number().int().min(1).max(2_000_000_000).default(500_000_000),
    pendingEventsMax: z.number().int().min(16).max(200_000_000).default(50_000_000),
    invoicesPerAccountMax: z.number().int().min(8).max(512).default(256),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().min(1).max(80).default('scenario'),
    description: z.string().max(2000).default(''),
    /** Population size. */
    accounts: z.number().int().min(1).max(2_000_000),
    /** Simulated workload duration in days (new renewals, upgrades, customer actions). */
    days: z.number().int().min(1).max(730),
    /** Days after the workload when only deliveries and the platform's own timers run; disagreement is measured at its end. */
    settleDays: z.number().int().min(1).max(60).default(5),
    /**
     * Days of history simulated before the window and not counted (a warm start: the stores carry
     * accounts already in dunning, escalated, drifted, as a production snapshot would). Unset: 0,
     * the stores start consistent at t = 0.
     */
    warmUpDays: z.number().int().min(0).max(730).optional(),
    plans: z
      .array(planSchema)
      .min(1)
      .max(20)
      .default([
        { name: 'basic', monthlyPriceCents: 1_000, premium: false, weight: 50 },
        { name: 'pro', monthlyPriceCents: 3_000, premium: true, weight: 35 },
        { name: 'business', monthlyPriceCents: 10_000, premium: true, weight: 15 },
      ]),
    customers: customersSchema.default(customersSchema.parse({})),
    declines: declinesSchema.default(declinesSchema.parse({})),
    recovery: recoverySchema.default(recoverySchema.parse({})),
    webhooks: webhooksSchema.default(webhooksSchema.parse({})),
    faults: faultsSchema.default(faultsSchema.parse({})),
    subscriptions: subscriptionsSchema.default(subscriptionsSchema.parse({})),
    kpis: kpisSchema.default(kpisSchema.parse({})),
    limits: limitsSchema.default(limitsSchema.parse({})),
    reference: referenceSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.settleDays * DAY_MS <= s.webhooks.delayMaxMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['settleDays'],
        message: `must exceed webhooks.delayMaxMs (${s.webhooks.delayMaxMs} ms) so every delivery lands before measuring`,
      });
    }
    if (s.plans.every((p) => p.weight === 0))
      ctx.addIssue({ code: 'custom', path: ['plans'], message: 'at least one plan needs a weight above 0' });
    // A draw from weights that sum to 0 has nothing to pick: a decline with no code, a card with no brand.
    const weightless = [
      ['declines', 'mix', s.declines.mix, 'decline code'],
      ['customers', 'brandMix', s.customers.brandMix, 'card brand'],
      ['recovery', 'payCycleMix', s.recovery.payCycleMix, 'pay cycle'],
      ['recovery', 'utcOffsetMix', s.recovery.utcOffsetMix, 'UTC offset'],
    ] as const;
    for (const [section, field, weights, what] of weightless) {
      if (!Object.values(weights).some((w) => (w ?? 0) > 0))
        ctx.addIssue({
          code: 'custom',
          path: [section, field],
          message: `at least one ${what} needs a weight above 0`,
        });
    }
  });

export type Scenario = z.infer<typeof scenarioSchema>;
