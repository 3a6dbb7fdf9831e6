/**
 * Payment ordering that differs by channel: one policy for on-session
 * mutations (the customer is present: upgrades, checkout) and one for
 * off-session ones (renewals, invoice finalization, retries), with a scope
 * saying which off-session flows the second policy already covers.
 *
 * This is how the case study's ordering inversion was rolled out: "On-session
 * payments now confirm before committing state. default_incomplete on all
 * payment intents. Rollbacks dropped from 196/day to near zero for on-session
 * flows." — then "Extending pay-before-commit to off-session flows —
 * subscription renewals, invoice finalization, and retry attempts without the
 * customer present. The harder half of the ordering inversion."
 *
 * The returned value IS the on-session ordering (so any caller that only knows
 * PaymentOrdering uses it for on-session mutations) and carries the off-session
 * half in `offSession`. The simulator's only committing mutations are
 * on-session upgrades (a renewal commits nothing before its payment under any
 * ordering), so the off-session half changes no simulated KPI; it is recorded
 * in the run's parameters and is the contract a production adapter follows.
 */
import type { PaymentOrdering } from './ordering.js';

/** Which off-session flows the off-session policy governs; the rest keep the on-session policy's fallback (`legacyOffSession`). */
export type OffSessionScope = 'none' | 'first-renewal' | 'renewals' | 'all';

export interface OffSessionOrdering {
  readonly ordering: PaymentOrdering;
  readonly scope: OffSessionScope;
  /** The ordering for off-session flows outside `scope`. */
  readonly outsideScope: PaymentOrdering;
}

export interface SessionSplitOrdering extends PaymentOrdering {
  readonly offSession: OffSessionOrdering;
}

export interface BySessionConfig {
  readonly onSession: PaymentOrdering;
  readonly offSession: PaymentOrdering;
  readonly offSessionScope: OffSessionScope;
  readonly outsideScope: PaymentOrdering;
}

export function bySession(config: BySessionConfig): SessionSplitOrdering {
  const { onSession, offSession, offSessionScope, outsideScope } = config;
  return {
    ...onSession,
    name: `${onSession.name}/on-session+${offSession.name}/off-session(${offSessionScope})`,
    afterPayment: (outcome) => onSession.afterPayment(outcome),
    offSession: { ordering: offSession, scope: offSessionScope, outsideScope },
  };
}
