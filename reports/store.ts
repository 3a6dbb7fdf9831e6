/**
 * The run store: one DuckDB file holding every run's KPIs, daily rows and
 * invoices (schema in docs/store.md). A run is written in one transaction,
 * so a writer that dies mid-run leaves the earlier runs and no half run.
 */
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckdb } from './duckdb.js';
import type { RunResult } from '../sim/world/result.js';
import { appendEvents, appendRows, type EventColumns } from './append.js';
import {
  DAILY_CONSEQUENCE_COLUMNS,
  DAILY_DRIFT_COLUMNS,
  DAILY_KPI_COLUMNS,
  INVOICE_COLUMNS,
  RECOVERY_CURVE_COLUMNS,
  curveCells,
  RUN_DRIFT_COLUMNS,
  consequenceCells,
  driftCells,
  EVENTS_MIGRATION_SQL,
  EVENTS_VIEW_DDL,
  schemaDdl,
  type TableName,
} from './schema.js';
import { insertRunRow } from './run-row.js';
import { ensureDir } from '../sim/lib/atomic-write.js';

export type { EventColumns } from './append.js';

export const DEFAULT_DB_PATH = '.billsim/runs.duckdb';

export interface Store {
  readonly path: string;
  readonly instance: DuckDBInstance;
  readonly connection: DuckDBConnection;
}

export type Row = Record<string, unknown>;

export interface WriteRunOptions {
  /** Version of the code that produced the run, e.g. "billsim@0.1.0+abc1234". */
  readonly codeVersion: string;
  /** Kernel events to store in `events`, as parallel typed arrays. */
  readonly events?: EventColumns;
  /** Called after each table's rows are in the (still open) transaction; tests throw here. */
  readonly onTableWritten?: (table: TableName) => void;
}

export interface OpenOptions {
  /** Open an existing file for reading only (no schema creation, no writes). */
  readonly readOnly?: boolean;
  /**
   * Shut DuckDB off from everything but the store file: no other files
   * (COPY, EXPORT, read_csv), no other databases (ATTACH), no extensions
   * (INSTALL, LOAD), and the settings locked so a query cannot turn them back on.
   * Used for user-typed SQL (`billsim sql`).
   */
  readonly sandboxed?: boolean;
}

/** DuckDB settings that confine a connection to the one store file (see OpenOptions.sandboxed). */
const SANDBOX_CONFIG = { enable_external_access: 'false', lock_configuration: 'true' } as const;

function instanceConfig(options: OpenOptions): Record<string, string> {
  return {
    ...(options.readOnly ? { access_mode: 'READ_ONLY' } : {}),
    ...(options.sandboxed ? SANDBOX_CONFIG : {}),
  };
}

/** Opens (creating file, folder and tables as needed) the store at `path`; ':memory:' for a throwaway one. */
export async function openStore(path: string = DEFAULT_DB_PATH, options: OpenOptions = {}): Promise<Store> {
  if (options.readOnly) {
    const instance = await duckdb().DuckDBInstance.create(path, instanceConfig(options));
    return { path, instance, connection: await instance.connect() };
  }
  if (path !== ':memory:') ensureDir(dirname(path));
  const instance = await duckdb().DuckDBInstance.create(path, instanceConfig(options));
  const connection = await instance.connect();
  try {
    for (const ddl of schemaDdl()) await connection.run(ddl);
    await createEventsView(connection);
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
  return { path, instance, connection };
}

/** Creates the `events` view, first moving an older store's `events` table into the compact layout. */
async function createEventsView(conn: DuckDBConnection): Promise<void> {
  const found = await conn.runAndReadAll(
    `SELECT table_type FROM information_schema.tables WHERE table_name = 'events' AND table_schema = 'main'`,
  );
  if (found.getRows()[0]?.[0] === 'BASE TABLE') {
    await migrateEventsTable(conn);
    return;
  }
  await conn.run(EVENTS_VIEW_DDL);
}

/** Moves an older store's `events` table into the compact layout, in one transaction; refuses rather than drop a row. */
async function migrateEventsTable(conn: DuckDBConnection): Promise<void> {
  await inTransaction(conn, async () => {
    const orphans = (
      await conn.runAndReadAll('SELECT count(*) FROM events WHERE run_id NOT IN (SELECT run_id FROM runs)')
    ).getRows()[0]?.[0];
    if (Number(orphans) > 0)
      throw new Error(
        `the events table holds ${String(orphans)} rows of runs the store does not list; cannot move them to the compact layout`,
      );
    for (const sql of [...EVENTS_MIGRATION_SQL, EVENTS_VIEW_DDL]) await conn.run(sql);
  });
}

export function closeStore(store: Store): void {
  store.connection.closeSync();
  store.instance.closeSync();
}

/** Rows as plain JS values: BIGINT columns come back as bigint, JSON as string. */
export async function query(store: Store, sql: string): Promise<Row[]> {
  return (await queryTable(store, sql)).rows;
}

/** Rows plus the column names in order (also when there are no rows). */
export async function queryTable(store: Store, sql: string): Promise<{ columns: string[]; rows: Row[] }> {
  const reader = await store.connection.runAndReadAll(sql);
  return { columns: reader.columnNames(), rows: reader.getRowObjectsJS() };
}

/** Hash of what determines a run's outcome: same inputs, same hash. */
export function contentHash(result: RunResult): string {
  const key = stableJson({
    scenario: result.scenario,
    policies: result.policies,
    seed: result.seed,
    days: result.days,
    settleDays: result.settleDays,
    accounts: result.accounts,
    parameters: result.parameters,
  });
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Stores one run atomically and returns its id: "<content hash>-<n>", n counting repeats of the same inputs. */
export async function writeRun(store: Store, result: RunResult, options: WriteRunOptions): Promise<string> {
  return inTransaction(store.connection, () => writeRunRows(store, result, options));
}

/**
 * Runs `body` in one transaction: all of its writes land, or none. A COMMIT
 * that fails (a full disk) has already ended the transaction, so it is not
 * rolled back again: the error shown is the commit's, not "cannot rollback -
 * no transaction is active".
 */
export async function inTransaction<T>(conn: Pick<DuckDBConnection, 'run'>, body: () => Promise<T>): Promise<T> {
  await conn.run('BEGIN TRANSACTION');
  let value: T;
  try {
    value = await body();
  } catch (error) {
    await rollbackQuietly(conn);
    throw error;
  }
  try {
    await conn.run('COMMIT');
  } catch (error) {
    await rollbackQuietly(conn);
    throw new Error(`could not commit the write, nothing of it was stored (${firstLine(error)})`, { cause: error });
  }
  return value;
}

/** Rolls back if a transaction is still open; a failure to do so would only hide the error that brought us here. */
async function rollbackQuietly(conn: Pick<DuckDBConnection, 'run'>): Promise<void> {
  try {
    await conn.run('ROLLBACK');
  } catch {
    // no transaction is active any more: DuckDB ended it with the failure
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

/** A run's rows, inside a transaction the caller holds (see inTransaction); returns the run id. */
export async function writeRunRows(store: Store, result: RunResult, options: WriteRunOptions): Promise<string> {
  const runId = await insertRunRow(store.connection, result, contentHash(result), options.codeVersion);
  options.onTableWritten?.('runs');
  await appendRunTables(store.connection, runId, result, options);
  return runId;
}

async function appendRunTables(
  conn: DuckDBConnection,
  runId: string,
  result: RunResult,
  options: WriteRunOptions,
): Promise<void> {
  const done = (table: TableName): void => options.onTableWritten?.(table);
  const finalDrift = Object.entries(result.drift).map(([key, accounts]) => ({
    runId,
    day: result.days,
    key,
    accounts,
  }));
  await appendRows(conn, 'run_drift', RUN_DRIFT_COLUMNS, finalDrift);
  done('run_drift');
  await appendRows(
    conn,
    'daily_kpis',
    DAILY_KPI_COLUMNS,
    result.daily.map((row) => ({ runId, row })),
  );
  done('daily_kpis');
  await appendRows(conn, 'daily_drift', DAILY_DRIFT_COLUMNS, driftCells(runId, result.daily));
  done('daily_drift');
  await appendRows(conn, 'daily_consequences', DAILY_CONSEQUENCE_COLUMNS, consequenceCells(runId, result.daily));
  done('daily_consequences');
  await appendRows(
    conn,
    'invoices',
    INVOICE_COLUMNS,
    result.invoices.map((row) => ({ runId, row })),
  );
  done('invoices');
  await appendRows(conn, 'recovery_curves', RECOVERY_CURVE_COLUMNS, curveCells(runId, result));
  done('recovery_curves');
  if (options.events) {
    await appendEvents(conn, runId, options.events);
    done('events');
  }
}
