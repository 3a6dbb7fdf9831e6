/** Shared by the bench driver (run.ts) and its per-point child process (scale-point.ts). */

export interface ScalePoint {
  readonly accounts: number;
  readonly days: number;
  readonly workers: number;
  readonly seconds: number;
  /** CPU seconds of the process, every thread: less sensitive than wall time to other work on the machine. */
  readonly cpuSeconds: number;
  readonly events: number;
  readonly peakRssBytes: number;
  /** SHA-256 of the run's --json output: equal across worker counts. */
  readonly resultSha256: string;
}

export const LARGE_SCENARIO = 'scenarios/large.yaml';

/** CPU seconds (user + system, all threads of this process) since `since`. */
export function cpuSecondsSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}
