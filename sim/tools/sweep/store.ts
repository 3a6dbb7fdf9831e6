/**
 * Sweeps in the run store: every run through writeRun's tables, plus one
 * `sweep_points` row per finished point, written in the same transaction as
 * the point's runs. A point is done exactly when its row exists, which is
 * what --resume reads.
 */
import type { Store } from '../../../reports/store.js';
import { inTransaction, query, writeRunRows } from '../../../reports/store.js';
import type { RunResult } from '../../world/result.js';
import type { PointSummary } from './sweep.js';

export const SWEEP_DDL = [
  `CREATE TABLE IF NOT EXISTS sweeps (sweep_id VARCHAR PRIMARY KEY, scenario VARCHAR, policies VARCHAR, points INTEGER, seeds JSON, spec JSON)`,
  `CREATE TABLE IF NOT EXISTS sweep_points (sweep_id VARCHAR NOT NULL, point_index INTEGER NOT NULL, policies VARCHAR,
    params JSON, run_ids JSON, revenue_recovered_cents_mean DOUBLE, customer_harm_restriction_days_mean DOUBLE,
    network_rule_violations_mean DOUBLE, recovery_rate_mean DOUBLE, summary JSON, PRIMARY KEY (sweep_id, point_index))`,
];

export interface SweepRow {
  readonly sweepId: string;
  readonly scenario: string;
  readonly policies: string;
  readonly points: number;
  readonly seeds: readonly number[];
  readonly spec: unknown;
}

export async function openSweep(store: Store, sweep: SweepRow): Promise<Map<number, PointSummary>> {
  for (const ddl of SWEEP_DDL) await store.connection.run(ddl);
  await store.connection.run(`INSERT INTO sweeps VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, [
    sweep.sweepId,
    sweep.scenario,
    sweep.policies,
    sweep.points,
    JSON.stringify(sweep.seeds),
    JSON.stringify(sweep.spec),
  ]);
  const rows = await query(
    store,
    `SELECT point_index, summary FROM sweep_points WHERE sweep_id = '${sweep.sweepId.replace(/'/g, "''")}' ORDER BY point_index`,
  );
  return new Map(rows.map((r) => [Number(r.point_index), JSON.parse(String(r.summary)) as PointSummary]));
}

export async function writePoint(
  store: Store,
  sweepId: string,
  point: PointSummary,
  runs: readonly RunResult[],
  codeVersion: string,
): Promise<void> {
  await inTransaction(store.connection, async () => {
    const runIds: string[] = [];
    for (const run of runs) runIds.push(await writeRunRows(store, run, { codeVersion }));
    const m = point.means;
    await store.connection.run(`INSERT INTO sweep_points VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      sweepId,
      point.index,
      point.policies,
      JSON.stringify(point.params),
      JSON.stringify(runIds),
      m.revenueRecoveredCents!,
      m.customerHarmRestrictionDays!,
      m.networkRuleViolations!,
      m.recoveryRate!,
      JSON.stringify(point),
    ]);
  });
}
