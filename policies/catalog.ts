/**
 * Everything a policy file can name: the retry schedules and the ladders,
 * each with its parameters' schema (defaults included) and a factory. The
 * policy-file loader, `billsim policies list|show` and the tests read this.
 */
import { z, type ZodObject } from 'zod';
import { parseConfig } from './config.js';
import { binaryDelinquency } from './consequences/binary.js';
import { graduatedLadder, graduatedSchema } from './consequences/graduated.js';
import type { ConsequenceLadder } from './consequences/ladder.js';
import { statesLadder, statesLadderSchema } from './consequences/states-schema.js';
import type { NetworkRuleLimits } from './network-rules.js';
import { fixedCadence, fixedCadenceSchema } from './retry/fixed-cadence.js';
import { killBillDaysSchema, killBillRetryDays } from './retry/killbill-days.js';
import { withNetworkRules } from './retry/network-guard.js';
import { paydayAware, paydayAwareSchema } from './retry/payday-aware.js';
import { perReasonSchema, perReasonTable } from './retry/per-reason.js';
import { reasonAware, reasonAwareSchema } from './retry/reason-aware.js';
import type { RetrySchedule } from './retry/schedule.js';
import { smartRetries, smartRetriesSchema } from './retry/smart-retries.js';

export interface BuildEnv {
  /** The card-network limits in force (the policy file's `networkRules`). */
  readonly networkLimits: NetworkRuleLimits;
}

export interface CatalogEntry<T> {
  readonly name: string;
  readonly description: string;
  /** The parameters, strict, with their defaults. */
  readonly schema: z.ZodType<Record<string, unknown>>;
  create(params: unknown, env: BuildEnv): T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyObject = ZodObject<any>;

/** A schedule that keeps to the network rules when `respectNetworkRules` is true (the default unless said). */
function guarded(
  name: string,
  description: string,
  schema: AnyObject,
  respectByDefault: boolean,
  factory: (config: Record<string, unknown>) => RetrySchedule,
): CatalogEntry<RetrySchedule> {
  const full = schema.extend({ respectNetworkRules: z.boolean().default(respectByDefault) }).strict();
  return {
    name,
    description,
    schema: full,
    create(params, env) {
      const { respectNetworkRules, ...config } = parseConfig(full, name, params) as Record<string, unknown>;
      const schedule = factory(config);
      return respectNetworkRules === true ? withNetworkRules(schedule, env.networkLimits) : schedule;
    },
  };
}

export const RETRY_SCHEDULES: Readonly<Record<string, CatalogEntry<RetrySchedule>>> = {
  'fixed-cadence': guarded(
    'fixed-cadence',
    'the legacy cadence: wait delaysDays[n-1] after failure n, whatever the reason',
    fixedCadenceSchema,
    false,
    (c) => fixedCadence(c),
  ),
  'reason-aware': {
    name: 'reason-aware',
    description: 'per-reason waits for transient declines, none for permanent ones; always within the network rules',
    schema: reasonAwareSchema.omit({ networkLimits: true }).strict(),
    create: (params, env) =>
      reasonAware({
        ...parseConfig(reasonAwareSchema.omit({ networkLimits: true }).strict(), 'reason-aware', params),
        networkLimits: env.networkLimits,
      }),
  },
  'smart-retries': guarded(
    'smart-retries',
    'Stripe-style: retriesMax retries within windowDays, front-loaded by curve',
    smartRetriesSchema,
    true,
    (c) => smartRetries(c),
  ),
  'killbill-days': guarded(
    'killbill-days',
    "Kill Bill's org.killbill.payment.retry.days list (default 8,8,8)",
    killBillDaysSchema,
    true,
    (c) => killBillRetryDays(c),
  ),
  'payday-aware': guarded(
    'payday-aware',
    'insufficient funds retried on the next payday (1st, 15th, last business day)',
    paydayAwareSchema,
    true,
    (c) => paydayAware(c),
  ),
  'per-reason': guarded(
    'per-reason',
    'a table you fill in: hours to wait after failure 1, 2, … for each decline reason',
    perReasonSchema,
    true,
    (c) => perReasonTable(c as z.input<typeof perReasonSchema>),
  ),
};

export const LADDERS: Readonly<Record<string, CatalogEntry<ConsequenceLadder>>> = {
  graduated: {
    name: 'graduated',
    description: 'restrict premium, block changes, suspend, cancel and write off, by days overdue',
    schema: graduatedSchema as unknown as z.ZodType<Record<string, unknown>>,
    create: (params) => graduatedLadder(params as z.input<typeof graduatedSchema>),
  },
  binary: {
    name: 'binary',
    description: 'the legacy flag: suspended and written off once retries are exhausted',
    schema: z.object({}).strict(),
    create: (params) => {
      parseConfig(z.object({}).strict(), 'binary', params);
      return binaryDelinquency();
    },
  },
  states: {
    name: 'states',
    description: 'your own states, most severe first: conditions that must all hold, actions to take',
    schema: statesLadderSchema as unknown as z.ZodType<Record<string, unknown>>,
    create: (params) => statesLadder(params as z.input<typeof statesLadderSchema>),
  },
};

/** The defaults of an entry's parameters. */
export function defaultsOf(entry: CatalogEntry<unknown>): Record<string, unknown> {
  const parsed = entry.schema.safeParse({});
  return parsed.success ? parsed.data : {};
}
