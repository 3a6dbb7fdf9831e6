/**
 * The recovery lifecycle state an account is in (policies/lifecycle.ts), as
 * an index; the run records every change as a transition.
 */
import { LIFECYCLE_STATES, lifecycleStateOf } from '../../../policies/lifecycle.js';
import type { AccountState } from '../model/state.js';

export { LIFECYCLE_STATES };

export function lifecycleIndex(a: AccountState): number {
  return LIFECYCLE_STATES.indexOf(lifecycleStateOf(a));
}
