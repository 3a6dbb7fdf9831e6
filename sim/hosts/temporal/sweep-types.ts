/**
 * A sweep point as it travels through Temporal: the sweep's own task (a parsed
 * scenario, a JSON policy document, a seed; sim/tools/sweep/pool.ts), answered by the
 * run's RunResult. Workflow code imports this file: types only.
 */
import type { RunResult } from '../../world/result.js';
import type { SweepTask } from '../../tools/sweep/pool.js';

export type { SweepTask };

export interface SweepInput {
  readonly tasks: readonly SweepTask[];
  /** Tasks in flight at once (activities scheduled and not finished); the workers' slots bound it too. */
  readonly inFlightMax: number;
}

export interface SweepActivities {
  runSweepTask(task: SweepTask): Promise<RunResult>;
}
