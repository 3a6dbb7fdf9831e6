/**
 * A parameter sweep as a workflow: each point (scenario, policy set, seed) is
 * one activity, so points run on any number of workers polling the task
 * queue; the workflow gathers the results in point order. Workflow code: only
 * @temporalio/workflow and types here.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { SweepActivities, SweepInput, SweepPointResult } from './sweep-types.js';

/** Bound on a sweep's size (one history event set per point). */
export const SWEEP_POINTS_MAX = 2_000;

const { runSweepPoint } = proxyActivities<SweepActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', maximumAttempts: 3 },
});

export async function sweepWorkflow(input: SweepInput): Promise<SweepPointResult[]> {
  const { points } = input;
  if (points.length > SWEEP_POINTS_MAX) throw new Error(`sweepWorkflow: ${points.length} points (at most ${SWEEP_POINTS_MAX})`);
  const inFlightMax = Math.max(1, Math.floor(input.inFlightMax));
  const results: SweepPointResult[] = new Array(points.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < points.length) {
      const index = next++;
      results[index] = await runSweepPoint(index, points[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlightMax, points.length) }, lane));
  return results;
}
