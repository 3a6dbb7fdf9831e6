/**
 * What the observed figures rule out before any run. Every account that
 * breaks a named invariant is a disagreeing account (docs/kpis.md), so in one
 * snapshot no drift count can exceed the disagreeing accounts. An observed
 * file with drift d above disagreeing D cannot be matched by any model: the
 * best any run can do is miss both by (d − D)/(d + D), and within a tolerance
 * t it needs at least d(1 − t) of at most D(1 + t) disagreeing accounts in
 * that one drift. `calibrate` reports these bounds before it spends minutes
 * fitting, and with its result.
 */
import type { Observed } from './observed.js';

export interface ObservedBound {
  /** 'drift.badDebtFlagWithoutWriteOff'. */
  readonly target: string;
  readonly observed: number;
  readonly disagreeingAccounts: number;
  /** The least relative miss any run must have on both figures (0: none forced). */
  readonly closestMissRatio: number;
  /** The tolerance the share below is computed for. */
  readonly tolerance: number;
  /** Within ±tolerance: the least share of disagreeing accounts that must be in this drift (> 1: impossible). */
  readonly shareNeeded: number;
  readonly message: string;
}

/** The tolerance the requirement uses when the file gives no band. */
const DEFAULT_TOLERANCE = 0.15;

export function observedBounds(observed: Observed): ObservedBound[] {
  const disagreeing = observed.kpis.disagreeingAccounts;
  if (disagreeing === undefined) return [];
  const tolerance = observed.band?.tolerance ?? DEFAULT_TOLERANCE;
  return Object.entries(observed.drift)
    .filter((entry): entry is [string, number] => entry[1] !== undefined && entry[1] > disagreeing)
    .map(([name, value]) => boundOf(`drift.${name}`, value, disagreeing, tolerance));
}

function boundOf(target: string, driftCount: number, disagreeing: number, tolerance: number): ObservedBound {
  const closestMissRatio = (driftCount - disagreeing) / (driftCount + disagreeing);
  const shareNeeded = (driftCount * (1 - tolerance)) / (disagreeing * (1 + tolerance));
  const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
  const within =
    shareNeeded > 1
      ? `no run can have both within ±${pct(tolerance)}`
      : `within ±${pct(tolerance)} both hold only if at least ${pct(shareNeeded)} of disagreeing accounts are in this drift`;
  const message =
    `${target} ${driftCount} exceeds kpis.disagreeingAccounts ${disagreeing}, yet every account in drift is a disagreeing ` +
    `account: no run misses both by less than ${pct(closestMissRatio)}, and ${within}`;
  return {
    target,
    observed: driftCount,
    disagreeingAccounts: disagreeing,
    closestMissRatio,
    tolerance,
    shareNeeded,
    message,
  };
}
