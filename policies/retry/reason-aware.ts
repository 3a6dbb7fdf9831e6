/**
 * A schedule that knows why the payment failed. Permanent declines (expired,
 * stolen, lost, closed) wait for a new payment method: no futile retries.
 * Authentication is the customer's to complete. Transient declines get a
 * window that fits the reason. Every proposed time is moved to the earliest
 * time the card networks allow, and a card the networks say never to retry
 * is not retried.
 */
import { z } from 'zod';
import { networkLimitsSchema, parseConfig, positiveDays, positiveHours } from '../config.js';
import { declineInfo, reasonKey } from '../decline-codes.js';
import {
  DEFAULT_NETWORK_LIMITS,
  earliestAllowedAttemptMs,
  historyFor,
  type NetworkRuleLimits,
} from '../network-rules.js';
import { MS_PER_DAY, MS_PER_HOUR, type DeclineCode } from '../types.js';
import {
  hasNewPaymentMethod,
  lastAttempt,
  type RetryDecision,
  type RetryInput,
  type RetrySchedule,
} from './schedule.js';

export interface ReasonAwareConfig {
  /** Hours to wait after a transient decline, per reason; `default` for the rest. */
  readonly waitHoursByReason: Readonly<Partial<Record<DeclineCode | 'default', number>>>;
  /** Failed attempts on one payment method before giving up on it. */
  readonly attemptsPerPaymentMethodMax: number;
  /** Days after the first failure when retrying stops altogether. */
  readonly recoveryWindowDays: number;
  /** Hours after a new payment method is added before it is charged. */
  readonly newPaymentMethodDelayHours: number;
  readonly networkLimits: NetworkRuleLimits;
}

export const DEFAULT_REASON_AWARE: ReasonAwareConfig = {
  waitHoursByReason: {
    insufficient_funds: 72,
    do_not_honor: 48,
    generic_decline: 48,
    processing_error: 2,
    try_again_later: 24,
    card_velocity_exceeded: 24,
    paypal_funding_failed: 72,
    default: 48,
  },
  attemptsPerPaymentMethodMax: 8,
  recoveryWindowDays: 30,
  newPaymentMethodDelayHours: 1,
  networkLimits: DEFAULT_NETWORK_LIMITS,
};

export const reasonAwareSchema = z
  .object({
    waitHoursByReason: z.partialRecord(reasonKey, positiveHours).default({ ...DEFAULT_REASON_AWARE.waitHoursByReason }),
    attemptsPerPaymentMethodMax: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(DEFAULT_REASON_AWARE.attemptsPerPaymentMethodMax),
    recoveryWindowDays: positiveDays.default(DEFAULT_REASON_AWARE.recoveryWindowDays),
    newPaymentMethodDelayHours: z
      .number()
      .min(0)
      .max(24 * 30)
      .default(DEFAULT_REASON_AWARE.newPaymentMethodDelayHours),
    networkLimits: networkLimitsSchema.default({ ...DEFAULT_NETWORK_LIMITS }),
  })
  .strict();
export type ReasonAwareInput = z.input<typeof reasonAwareSchema>;

export function reasonAware(input: ReasonAwareInput = DEFAULT_REASON_AWARE): RetrySchedule {
  const config: ReasonAwareConfig = parseConfig(reasonAwareSchema, 'reason-aware', input);
  return {
    name: 'reason-aware',
    params: { ...config },
    ignoresNow: true,
    next: (input) => nextReasonAware(config, input),
  };
}

function nextReasonAware(config: ReasonAwareConfig, input: RetryInput): RetryDecision {
  const last = lastAttempt(input);
  if (last.atMs - input.firstFailedAtMs >= config.recoveryWindowDays * MS_PER_DAY) return { kind: 'exhausted' };
  if (hasNewPaymentMethod(input)) {
    const wantedMs =
      Math.max(input.paymentMethodUpdatedAtMs, last.atMs) + config.newPaymentMethodDelayHours * MS_PER_HOUR;
    return allowed(config, input, wantedMs);
  }
  const code = last.declineCode ?? 'generic_decline';
  const info = declineInfo(code);
  if (info.permanent || info.needsCustomer) return { kind: 'await_payment_method' };
  const onThisCard = input.attempts.filter((a) => a.paymentMethodId === last.paymentMethodId).length;
  if (onThisCard >= config.attemptsPerPaymentMethodMax) return { kind: 'await_payment_method' };
  const waitHours = config.waitHoursByReason[code] ?? config.waitHoursByReason.default ?? 48;
  return allowed(config, input, last.atMs + waitHours * MS_PER_HOUR);
}

function allowed(config: ReasonAwareConfig, input: RetryInput, wantedMs: number): RetryDecision {
  const atMs = earliestAllowedAttemptMs(
    historyFor(input),
    { atMs: wantedMs, paymentMethodId: input.paymentMethodId, amountCents: input.amountCents },
    config.networkLimits,
  );
  if (atMs < 0) return { kind: 'await_payment_method' };
  if (atMs - input.firstFailedAtMs > config.recoveryWindowDays * MS_PER_DAY) return { kind: 'exhausted' };
  return { kind: 'retry_at', atMs };
}
