/**
 * The target ladder: consequences graduated by severity and duration.
 * Premium features go first, core access is kept, then the account is
 * suspended, and only then canceled and written off.
 */
import { ladder, type ConsequenceLadder } from './ladder.js';

export interface GraduatedConfig {
  readonly restrictPremiumAfterDays: number;
  readonly blockChangesAfterDays: number;
  readonly suspendAfterDays: number;
  readonly cancelAfterDays: number;
}

export const DEFAULT_GRADUATED: GraduatedConfig = {
  restrictPremiumAfterDays: 7,
  blockChangesAfterDays: 14,
  suspendAfterDays: 21,
  cancelAfterDays: 45,
};

export function graduatedLadder(config: GraduatedConfig = DEFAULT_GRADUATED): ConsequenceLadder {
  const days = [config.restrictPremiumAfterDays, config.blockChangesAfterDays, config.suspendAfterDays, config.cancelAfterDays];
  if (days.some((d, i) => !(d >= 0) || (i > 0 && d < days[i - 1]!))) {
    throw new Error('graduatedLadder: thresholds must be non-negative and non-decreasing (restrict <= block <= suspend <= cancel)');
  }
  return ladder('graduated', [
    { name: 'written_off', level: 'cancel', when: { writtenOff: true } },
    { name: 'canceled', level: 'cancel', when: { daysOverdueMin: config.cancelAfterDays }, writeOff: true, cancel: 'immediately' },
    { name: 'suspended', level: 'suspend', when: { daysOverdueMin: config.suspendAfterDays } },
    { name: 'changes_blocked', level: 'block_changes', when: { daysOverdueMin: config.blockChangesAfterDays } },
    { name: 'premium_restricted', level: 'restrict_premium', when: { daysOverdueMin: config.restrictPremiumAfterDays } },
    { name: 'notified', level: 'notice', when: { daysOverdueMin: 0 } },
  ]);
}
