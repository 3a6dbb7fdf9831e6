/**
 * Policy sets: one choice per concern. `legacy` is the case study's start,
 * `target` its destination. A user can compose their own (see docs/policies.md).
 */
import { binaryDelinquency } from './consequences/binary.js';
import { graduatedLadder } from './consequences/graduated.js';
import type { ConsequenceLadder } from './consequences/ladder.js';
import type { NetworkRuleLimits } from './network-rules.js';
import { LEGACY_PROCESSORS, type LegacyProcessor } from './dunning/legacy.js';
import { commitThenPay } from './ordering/commit-then-pay.js';
import type { PaymentOrdering } from './ordering/ordering.js';
import { payBeforeCommit } from './ordering/pay-before-commit.js';
import { fixedCadence } from './retry/fixed-cadence.js';
import { reasonAware } from './retry/reason-aware.js';
import type { RetrySchedule } from './retry/schedule.js';

export type DunningEngine =
  | { readonly kind: 'recompute' }
  | { readonly kind: 'legacy-processors'; readonly processors: readonly LegacyProcessor[] };

export interface PolicySet {
  readonly name: string;
  readonly description: string;
  readonly ordering: PaymentOrdering;
  readonly dunning: DunningEngine;
  readonly retry: RetrySchedule;
  readonly ladder: ConsequenceLadder;
  /** The card-network limits the run checks attempts against; DEFAULT_NETWORK_LIMITS when absent. */
  readonly networkLimits?: NetworkRuleLimits;
}

export function legacyPolicies(): PolicySet {
  return {
    name: 'legacy',
    description: 'Commit-then-pay with reversal, five handler-per-event dunning processors, a fixed cadence, a binary delinquency flag',
    ordering: commitThenPay(),
    dunning: { kind: 'legacy-processors', processors: LEGACY_PROCESSORS },
    retry: fixedCadence(),
    ladder: binaryDelinquency(),
  };
}

export function targetPolicies(): PolicySet {
  return {
    name: 'target',
    description: 'Pay-before-commit, one recompute engine, a reason-aware schedule within network rules, a graduated ladder',
    ordering: payBeforeCommit(),
    dunning: { kind: 'recompute' },
    retry: reasonAware(),
    ladder: graduatedLadder(),
  };
}

export const BUILT_IN_SETS: Readonly<Record<string, () => PolicySet>> = {
  legacy: legacyPolicies,
  target: targetPolicies,
};
