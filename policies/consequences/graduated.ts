/**
 * The target ladder: consequences graduated by severity and duration.
 * Premium features go first, core access is kept, then the account is
 * suspended, and only then canceled and written off.
 */
import { z } from 'zod';
import { parseConfig } from '../config.js';
import { ladder, type ConsequenceLadder } from './ladder.js';

export const DEFAULT_GRADUATED = {
  restrictPremiumAfterDays: 7,
  blockChangesAfterDays: 14,
  suspendAfterDays: 21,
  cancelAfterDays: 45,
} as const;

const THRESHOLDS = [
  'restrictPremiumAfterDays',
  'blockChangesAfterDays',
  'suspendAfterDays',
  'cancelAfterDays',
] as const;
const days = z.number().min(0).max(3660);

export const graduatedSchema = z
  .object({
    restrictPremiumAfterDays: days.default(DEFAULT_GRADUATED.restrictPremiumAfterDays),
    blockChangesAfterDays: days.default(DEFAULT_GRADUATED.blockChangesAfterDays),
    suspendAfterDays: days.default(DEFAULT_GRADUATED.suspendAfterDays),
    cancelAfterDays: days.default(DEFAULT_GRADUATED.cancelAfterDays),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (let k = 1; k < THRESHOLDS.length; k++) {
      if (c[THRESHOLDS[k]!] < c[THRESHOLDS[k - 1]!]) {
        ctx.addIssue({
          code: 'custom',
          path: [THRESHOLDS[k]!],
          message: `must be >= ${THRESHOLDS[k - 1]} (restrict <= block <= suspend <= cancel)`,
        });
      }
    }
  });
export type GraduatedConfig = z.input<typeof graduatedSchema>;

export function graduatedLadder(input: GraduatedConfig = DEFAULT_GRADUATED): ConsequenceLadder {
  const config = parseConfig(graduatedSchema, 'graduated', input);
  return ladder('graduated', [
    { name: 'written_off', level: 'cancel', when: { writtenOff: true } },
    {
      name: 'canceled',
      level: 'cancel',
      when: { daysOverdueMin: config.cancelAfterDays },
      writeOff: true,
      cancel: 'immediately',
    },
    { name: 'suspended', level: 'suspend', when: { daysOverdueMin: config.suspendAfterDays } },
    { name: 'changes_blocked', level: 'block_changes', when: { daysOverdueMin: config.blockChangesAfterDays } },
    {
      name: 'premium_restricted',
      level: 'restrict_premium',
      when: { daysOverdueMin: config.restrictPremiumAfterDays },
    },
    { name: 'notified', level: 'notice', when: { daysOverdueMin: 0 } },
  ]);
}
