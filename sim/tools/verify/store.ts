/**
 * `billsim verify --db`: the batch's fault-weather runs land in the store like
 * any run (`runs`, `daily_kpis`, `invoices`, …), and one `verify_results` row
 * per invariant says how the batch judged it (docs/store.md).
 */
import { createHash } from 'node:crypto';
import { codeVersion } from '../../../reports/code-version.js';
import { closeStore, inTransaction, writeRunRows, type Store } from '../../../reports/store.js';
import { openStoreFor } from '../../../reports/persist.js';
import type { Io } from '../../lib/io.js';
import type { VerifyReport } from './verify.js';

export const VERIFY_RESULTS_DDL = `CREATE TABLE IF NOT EXISTS verify_results (
  batch_id VARCHAR NOT NULL,
  policies VARCHAR NOT NULL,
  invariant VARCHAR NOT NULL,
  class VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  seed BIGINT,
  run_id VARCHAR,
  counterexample VARCHAR,
  reproduces_in_replay BOOLEAN,
  detail VARCHAR,
  PRIMARY KEY (batch_id, invariant)
)`;

/** The batch id: the policy set and its seeds, hashed, then n counting repeats of the same batch in the store. */
function batchKey(report: VerifyReport): string {
  return createHash('sha256')
    .update(JSON.stringify({ policies: report.policies, seeds: report.seeds }))
    .digest('hex')
    .slice(0, 12);
}

/** Stores the batch's runs and its verdicts in one transaction (all land or none); returns the batch id. */
export async function storeVerify(report: VerifyReport, dbPath: string, io: Io): Promise<string> {
  const store = await openStoreFor('--db', dbPath);
  try {
    const batchId = await inTransaction(store.connection, () => writeBatch(store, report));
    io.err(
      `stored verify batch ${batchId} (${report.runs.length} run${report.runs.length === 1 ? '' : 's'}) in ${dbPath}`,
    );
    return batchId;
  } finally {
    closeStore(store);
  }
}

async function writeBatch(store: Store, report: VerifyReport): Promise<string> {
  const runOfSeed = new Map<number, string>();
  for (const r of report.runs)
    runOfSeed.set(r.seed, await writeRunRows(store, r.result, { codeVersion: codeVersion() }));
  const conn = store.connection;
  await conn.run(VERIFY_RESULTS_DDL);
  const key = batchKey(report);
  const repeats = (
    await conn.runAndReadAll('SELECT count(DISTINCT batch_id) AS n FROM verify_results WHERE batch_id LIKE $1', [
      `${key}-%`,
    ])
  ).getRowObjectsJS()[0]?.['n'];
  const batchId = `${key}-${Number(repeats ?? 0) + 1}`;
  for (const i of report.invariants) {
    await conn.run('INSERT INTO verify_results VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)', [
      batchId,
      report.policies,
      i.name,
      i.class,
      i.status,
      i.seed === null ? null : BigInt(i.seed),
      i.seed === null ? null : (runOfSeed.get(i.seed) ?? null),
      i.counterexample,
      i.reproducesInReplay,
      i.detail,
    ]);
  }
  return batchId;
}
