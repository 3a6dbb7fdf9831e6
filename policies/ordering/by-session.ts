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
 * half in `offSession`. Each off-session flow the seeds name is a scope
 * (`OffSessionFlow`); `orderingForFlow` says which ordering governs it, so under
 * commit-then-pay it commits first and can roll back, under pay-before-commit it
 * commits nothing before the payment.
 */
import type { PaymentOrdering } from './ordering.js';

/** Which off-session flows the off-session policy governs; the rest keep `outsideScope`. */
export type OffSessionScope = 'none' | 'first-renewal' | 'renewals' | 'all';

/**
 * The off-session flows the seeds name ("subscription renewals, invoice
 * finalization, and retry attempts without the customer present"), as what
 * each commits before its charge under commit-then-pay:
 * - `renewal`: the renewed period's access (the platform's subscription row, active on the provider's plan);
 * - `finalization`: the invoice's billing-history row, as paid;
 * - `retry`: access restored to a restricted account before the retry's charge.
 */
export type OffSessionFlow = 'renewal' | 'finalization' | 'retry';

export const OFF_SESSION_FLOWS: readonly OffSessionFlow[] = ['renewal', 'finalization', 'retry'];

/** One off-session charge's flow, and whether it is a customer's first payment (a first renewal). */
export interface OffSessionCharge {
  readonly flow: OffSessionFlow;
  readonly firstRenewal: boolean;
}

/** Does `scope` cover this charge? `first-renewal`: a never-paid customer's renewal and its finalization; `renewals`: every renewal and finalization; `all`: retries too. */
export function inScope(scope: OffSessionScope, charge: OffSessionCharge): boolean {
  switch (scope) {
    case 'none':
      return false;
    case 'first-renewal':
      return charge.flow !== 'retry' && charge.firstRenewal;
    case 'renewals':
      return charge.flow !== 'retry';
    case 'all':
      return true;
  }
}

function isSessionSplit(ordering: PaymentOrdering): ordering is SessionSplitOrdering {
  return 'offSession' in ordering;
}

/** The ordering an off-session charge runs under: a single ordering governs every flow; a split one by its scope. */
export function orderingForCharge(ordering: PaymentOrdering, charge: OffSessionCharge): PaymentOrdering {
  if (!isSessionSplit(ordering)) return ordering;
  const off = ordering.offSession;
  return inScope(off.scope, charge) ? off.ordering : off.outsideScope;
}

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
