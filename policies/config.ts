/**
 * Checking a policy's configuration when it is built. Every factory parses
 * its config with a strict zod schema and, on bad input, throws one message
 * naming the policy, the field and what is wrong. The policy-file loader
 * uses the same schemas, so a YAML file gets the same message with a line.
 */
import { z, type ZodType } from 'zod';
import { DEFAULT_NETWORK_LIMITS, type NetworkRuleLimits } from './network-rules.js';

export class PolicyConfigError extends Error {
  override readonly name = 'PolicyConfigError';
  constructor(
    readonly owner: string,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${owner}: ${field}: ${reason}`);
  }
}

/** Parses `input` with `schema`, or throws a PolicyConfigError naming the first bad field. */
export function parseConfig<T>(schema: ZodType<T>, owner: string, input: unknown): T {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  const reason = issue.code === 'unrecognized_keys' ? 'unknown field (misspelt?)' : issue.message;
  throw new PolicyConfigError(owner, path.map(String).join('.') || '(config)', reason);
}

export const networkLimitsSchema = z
  .object({
    /** Visa reattempts of one declined payment (card, amount) in 30 days: 20 since May 2025, 15 before. */
    visaReattemptsMax30d: z.number().int().min(1).max(100).default(DEFAULT_NETWORK_LIMITS.visaReattemptsMax30d),
    /** Mastercard declined attempts of one payment (card, amount) in 30 days. */
    mcAttemptsMax30d: z.number().int().min(1).max(100).default(DEFAULT_NETWORK_LIMITS.mcAttemptsMax30d),
    /** Mastercard declines of one card in 24 hours. */
    mcDeclinesMax24h: z.number().int().min(1).max(100).default(DEFAULT_NETWORK_LIMITS.mcDeclinesMax24h),
  })
  .strict();

export function networkLimits(input: unknown = {}): NetworkRuleLimits {
  return parseConfig(networkLimitsSchema, 'networkRules', input);
}

export const positiveHours = z
  .number()
  .positive()
  .max(24 * 366);
export const positiveDays = z.number().positive().max(366);
