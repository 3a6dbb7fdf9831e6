/**
 * A per-reason table the designer fills in. For each decline reason: the
 * hours to wait after the 1st, 2nd, … failure on the same payment method
 * (when the list runs out, wait for a new payment method), or
 * `await_payment_method` to never retry that reason. `default` covers the
 * reasons not listed and must be given.
 */
import { z } from 'zod';
import { parseConfig, positiveDays, positiveHours } from '../config.js';
import { reasonKey } from '../decline-codes.js';
import type { DeclineCode } from '../types.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../types.js';
import {
  failuresOnLastMethod,
  hasNewPaymentMethod,
  lastAttempt,
  type RetryDecision,
  type RetryInput,
  type RetrySchedule,
} from './schedule.js';

const rowSchema = z.union([z.array(positiveHours).min(1).max(50), z.literal('await_payment_method')]);
export type PerReasonRow = z.output<typeof rowSchema>;

export const perReasonSchema = z
  .object({
    table: z
      .partialRecord(reasonKey, rowSchema)
      .refine((t) => t.default !== undefined, { message: 'needs a `default` row for the reasons not listed' })
      .default({ default: [48, 72, 96] }),
    /** Days after the first failure when retrying stops. */
    recoveryWindowDays: positiveDays.default(30),
    newPaymentMethodDelayHours: z
      .number()
      .min(0)
      .max(24 * 30)
      .default(1),
  })
  .strict();
export type PerReasonConfig = z.output<typeof perReasonSchema>;

export function perReasonTable(input: z.input<typeof perReasonSchema> = {}): RetrySchedule {
  const config = parseConfig(perReasonSchema, 'per-reason', input);
  return { name: 'per-reason', params: { ...config }, ignoresNow: true, next: (retry) => nextFromTable(config, retry) };
}

export function rowFor(config: PerReasonConfig, code: DeclineCode | null): PerReasonRow {
  return config.table[code ?? 'default'] ?? config.table.default!;
}

function nextFromTable(config: PerReasonConfig, input: RetryInput): RetryDecision {
  const last = lastAttempt(input);
  if (last.atMs - input.firstFailedAtMs >= config.recoveryWindowDays * MS_PER_DAY) return { kind: 'exhausted' };
  if (hasNewPaymentMethod(input)) {
    return {
      kind: 'retry_at',
      atMs: Math.max(input.paymentMethodUpdatedAtMs, last.atMs) + config.newPaymentMethodDelayHours * MS_PER_HOUR,
    };
  }
  const row = rowFor(config, last.declineCode);
  if (row === 'await_payment_method') return { kind: 'await_payment_method' };
  const waitHours = row[failuresOnLastMethod(input) - 1];
  if (waitHours === undefined) return { kind: 'await_payment_method' };
  const atMs = last.atMs + waitHours * MS_PER_HOUR;
  return atMs - input.firstFailedAtMs > config.recoveryWindowDays * MS_PER_DAY
    ? { kind: 'exhausted' }
    : { kind: 'retry_at', atMs };
}
