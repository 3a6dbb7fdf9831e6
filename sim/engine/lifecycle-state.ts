/**
 * The recovery lifecycle state an account is in, read from the platform's
 * stores; the run records every change as a transition.
 */
import { severityOf } from '../../policies/types.js';
import type { AccountState } from '../world/state.js';

export const LIFECYCLE_STATES = ['current', 'retrying', 'awaiting_payment_method', 'escalated', 'written_off'] as const;

export function lifecycleIndex(a: AccountState): number {
  const d = a.subsDunning;
  if (a.subsCustomer.badDebt) return 4;
  if (!d.inDunning) return 0;
  if (severityOf(d.escalationLevel) >= severityOf('suspend')) return 3;
  return d.nextRetryAtMs >= 0 ? 1 : 2;
}
