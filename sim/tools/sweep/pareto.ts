/**
 * The Pareto front of sweep points: more revenue recovered, less customer
 * harm, fewer card-network rule violations (means over seeds). A point is on
 * the front when no other point is at least as good on all three and better
 * on one.
 */
export interface Objectives {
  readonly revenueRecoveredCents: number;
  readonly customerHarmRestrictionDays: number;
  readonly networkRuleViolations: number;
}

export const PARETO_OBJECTIVES = {
  revenueRecoveredCents: 'max',
  customerHarmRestrictionDays: 'min',
  networkRuleViolations: 'min',
} as const;

function dominates(a: Objectives, b: Objectives): boolean {
  const noWorse =
    a.revenueRecoveredCents >= b.revenueRecoveredCents &&
    a.customerHarmRestrictionDays <= b.customerHarmRestrictionDays &&
    a.networkRuleViolations <= b.networkRuleViolations;
  const better =
    a.revenueRecoveredCents > b.revenueRecoveredCents ||
    a.customerHarmRestrictionDays < b.customerHarmRestrictionDays ||
    a.networkRuleViolations < b.networkRuleViolations;
  return noWorse && better;
}

/** Indices (into `points`) of the non-dominated points, ascending. */
export function paretoFront(points: readonly Objectives[]): number[] {
  return points.flatMap((p, i) => (points.some((q) => dominates(q, p)) ? [] : [i]));
}
