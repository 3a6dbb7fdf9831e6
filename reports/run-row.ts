/** The one `runs` row of a run: scalars as columns, maps and the whole result as JSON. */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { RunResult } from '../sim/world/result.js';
import { RUN_JSON_COLUMNS, RUN_SCALAR_COLUMNS } from './schema.js';

/** Next id for these inputs and the next global sequence number, read inside the open transaction. */
async function nextIds(conn: DuckDBConnection, hash: string): Promise<{ runId: string; createdSeq: number }> {
  const reader = await conn.runAndReadAll(
    `SELECT (SELECT count(*) FROM runs WHERE content_hash = $1) AS repeats,
            (SELECT coalesce(max(created_seq), 0) FROM runs) AS last_seq`,
    [hash],
  );
  const row = reader.getRowObjectsJS()[0] ?? {};
  const repeats = Number(row['repeats'] ?? 0);
  return { runId: `${hash}-${repeats + 1}`, createdSeq: Number(row['last_seq'] ?? 0) + 1 };
}

function scalarValues(
  result: RunResult,
  ids: { runId: string; createdSeq: number },
  hash: string,
  codeVersion: string,
): DuckDBValue[] {
  const k = result.kpis;
  const r = result.recovery;
  return [
    ids.runId,
    ids.createdSeq,
    hash,
    result.scenario,
    result.policies,
    BigInt(result.seed),
    codeVersion,
    result.days,
    result.settleDays,
    result.accounts,
    BigInt(result.events),
    k.rollbacksPerDay,
    k.badDebtFromUpgradesPerDay,
    BigInt(k.badDebtFromUpgradesCents),
    k.disagreeingAccounts,
    k.invoiceCoverage,
    k.dunningCodePaths,
    r.recoveryRate,
    BigInt(r.revenueRecoveredCents),
    r.failedInvoices,
    r.recoveredInvoices,
    r.meanDaysToRecovery,
    r.involuntaryChurnPerThousand,
    r.involuntaryChurn,
    r.customerHarmRestrictionDays,
    r.retriesPerRecovery,
    r.networkRuleViolations,
    r.doubleCharges,
    r.retriesAfterSettled,
  ];
}

function jsonValues(result: RunResult): string[] {
  return [
    JSON.stringify(result.parameters),
    JSON.stringify(result.recovery.networkRuleViolationsByRule),
    JSON.stringify(result.drift),
    JSON.stringify(result.transitions),
    JSON.stringify(result.writesByCodePath),
    JSON.stringify(result),
  ];
}

/** Inserts the run's `runs` row and returns its run id. Call inside a transaction. */
export async function insertRunRow(
  conn: DuckDBConnection,
  result: RunResult,
  hash: string,
  codeVersion: string,
): Promise<string> {
  const ids = await nextIds(conn, hash);
  const values = [...scalarValues(result, ids, hash, codeVersion), ...jsonValues(result)];
  const names = [...RUN_SCALAR_COLUMNS.map((c) => c.split(' ')[0]), ...RUN_JSON_COLUMNS];
  if (names.length !== values.length) throw new Error(`runs: ${names.length} columns but ${values.length} values`);
  const placeholders = values.map((_, i) => `$${i + 1}`).join(', ');
  await conn.run(`INSERT INTO runs (${names.join(', ')}) VALUES (${placeholders})`, values);
  return ids.runId;
}
