/**
 * A sweep point and its result, as they travel through Temporal (JSON-safe).
 * Workflow code imports this file: types only.
 */
import type { Kpis, Recovery } from '../result.js';
import type { Scenario } from '../scenario/schema.js';

export interface SweepPoint {
  /** The parsed scenario (schema-checked where the sweep was planned). */
  readonly scenario: Scenario;
  /** A built-in policy set's name or a policy file path the workers can read. */
  readonly policies: string;
  readonly seed: number;
}

export interface SweepPointResult {
  /** The point's index in the sweep's list. */
  readonly index: number;
  readonly scenario: string;
  readonly policies: string;
  readonly seed: number;
  readonly kpis: Kpis;
  readonly recovery: Recovery;
}

export interface SweepInput {
  readonly points: readonly SweepPoint[];
  /** Points in flight at once (activities scheduled and not finished); the workers' slots bound it too. */
  readonly inFlightMax: number;
}

export interface SweepActivities {
  runSweepPoint(index: number, point: SweepPoint): Promise<SweepPointResult>;
}
