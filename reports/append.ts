/**
 * Bulk writes through DuckDB's appender, one data chunk (at most the vector
 * size, 2048 rows) at a time. The appender writes into the connection's open
 * transaction, so a ROLLBACK discards what it flushed.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBDataChunk, DuckDBType } from '@duckdb/node-api';
import { duckdb } from './duckdb.js';
import { duckTypeOf, type Column } from './schema.js';

/** Rows per data chunk: DuckDB's standard vector size. */
export const ROWS_PER_CHUNK = 2048;

/**
 * Kernel events as parallel typed arrays (the event queue's own layout).
 * Row i is (timeMs[i], kindNames[kind[i]], accountId[i]); its seq is i unless `seq` is given.
 */
export interface EventColumns {
  readonly timeMs: Float64Array;
  readonly kind: Uint8Array | Uint16Array;
  readonly kindNames: readonly string[];
  /** Negative ids (events not about one account) are stored as NULL. */
  readonly accountId: Int32Array;
  readonly seq?: Float64Array;
}

/** Opens an appender, runs `fill`, closes (flushes) it; on failure discards unflushed rows first. */
async function withAppender(conn: DuckDBConnection, table: string, fill: (a: DuckDBAppender) => void): Promise<void> {
  const appender = await conn.createAppender(table);
  try {
    fill(appender);
  } catch (error) {
    appender.clear();
    appender.closeSync();
    throw error;
  }
  appender.closeSync();
}

export async function appendRows<Row>(
  conn: DuckDBConnection,
  table: string,
  columns: readonly Column<Row>[],
  rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const types = columns.map((c) => duckTypeOf(c));
  await withAppender(conn, table, (appender) => {
    for (let offset = 0; offset < rows.length; offset += ROWS_PER_CHUNK) {
      const batch = rows.slice(offset, offset + ROWS_PER_CHUNK);
      const chunk = duckdb().DuckDBDataChunk.create(types, batch.length);
      columns.forEach((column, i) => chunk.setColumnValues(i, batch.map(column.get)));
      appender.appendDataChunk(chunk);
    }
  });
}

/** The staging table: `event_rows` without run_key (see EVENT_ROWS_DDL). */
const STAGE_TABLE = 'billsim_event_stage';
function stageTypes(): readonly DuckDBType[] {
  const { DOUBLE, USMALLINT, INTEGER } = duckdb();
  return [DOUBLE, DOUBLE, USMALLINT, INTEGER];
}
/** Stands for NULL in `event_rows.account_id` (events not about one account); the `events` view maps it back. */
const NO_ACCOUNT = -1;

function checkEventColumns(events: EventColumns): number {
  const n = events.timeMs.length;
  const lengths = [events.kind.length, events.accountId.length, events.seq?.length ?? n];
  if (lengths.some((l) => l !== n)) throw new Error(`event columns differ in length: ${[n, ...lengths].join(', ')}`);
  const unnamed = events.kind.findIndex((k) => events.kindNames[k] === undefined);
  if (unnamed >= 0) throw new Error(`event ${unnamed}: kind ${events.kind[unnamed]} has no name`);
  return n;
}

/**
 * Appends a run's kernel events straight from typed arrays, in two moves: the
 * appender fills a temporary all-numeric staging table (a typed-array store
 * per value and one block copy per column per 2,048 rows, no BigInt or string
 * per row), then one INSERT … SELECT adds the run key and writes `event_rows`
 * on all of DuckDB's threads (on two cores about 1.5× the appender straight
 * into `event_rows`). Kind names go to `event_kinds`. The run's `runs` row
 * must already be written in the caller's transaction; a ROLLBACK undoes all.
 */
export async function appendEvents(conn: DuckDBConnection, runId: string, events: EventColumns): Promise<void> {
  const n = checkEventColumns(events);
  if (n === 0) return;
  const runKey = await runKeyOf(conn, runId);
  const names = events.kindNames.map((kind, code) => ({ code, kind }));
  await appendRows(
    conn,
    'event_kinds',
    [
      { name: 'run_key', sqlType: 'INTEGER', get: () => runKey },
      { name: 'kind_code', sqlType: 'USMALLINT', get: (k) => k.code },
      { name: 'kind', sqlType: 'VARCHAR', get: (k) => k.kind },
    ],
    names,
  );
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGE_TABLE} (seq DOUBLE, time_ms DOUBLE, kind_code USMALLINT, account_id INTEGER)`,
  );
  // On a failure the table is not dropped here: the failure aborted the transaction, a DROP would fail too
  // and hide it ("Current transaction is aborted"), and the caller's rollback removes the table anyway.
  await withAppender(conn, STAGE_TABLE, (appender) => appendStageChunks(appender, events, n));
  await conn.run(
    `INSERT INTO event_rows SELECT $run_key, * FROM ${STAGE_TABLE}`,
    { run_key: runKey },
    { run_key: duckdb().INTEGER },
  );
  await conn.run(`DROP TABLE IF EXISTS ${STAGE_TABLE}`);
}

async function runKeyOf(conn: DuckDBConnection, runId: string): Promise<number> {
  const reader = await conn.runAndReadAll('SELECT created_seq FROM runs WHERE run_id = $1', [runId]);
  const key = reader.getRows()[0]?.[0];
  if (typeof key !== 'number') throw new Error(`run ${runId} has no runs row: write it before its events`);
  return key;
}

function appendStageChunks(appender: DuckDBAppender, events: EventColumns, n: number): void {
  const seq = events.seq ?? ascending(n);
  for (let offset = 0; offset < n; offset += ROWS_PER_CHUNK) {
    const count = Math.min(ROWS_PER_CHUNK, n - offset);
    const chunk = duckdb().DuckDBDataChunk.create(stageTypes(), count);
    const end = offset + count;
    copyInto(chunk, 0, seq.subarray(offset, end));
    copyInto(chunk, 1, events.timeMs.subarray(offset, end));
    copyInto(chunk, 2, events.kind.subarray(offset, end));
    copyInto(chunk, 3, nullsAsSentinel(events.accountId.subarray(offset, end)));
    appender.appendDataChunk(chunk);
  }
}

type NumericArray = Float64Array | Uint8Array | Uint16Array | Int32Array;

/**
 * Copies a typed array into a numeric chunk column and flushes it. setItem on
 * a numeric column that never holds NULL is a plain typed-array store; flush
 * is one block copy into DuckDB's vector.
 */
function copyInto(chunk: DuckDBDataChunk, column: number, values: NumericArray): void {
  const vector = chunk.getColumnVector(column);
  const { DuckDBDoubleVector, DuckDBUSmallIntVector, DuckDBIntegerVector } = duckdb();
  if (!(
    vector instanceof DuckDBDoubleVector ||
    vector instanceof DuckDBUSmallIntVector ||
    vector instanceof DuckDBIntegerVector
  )) {
    throw new Error(`staging column ${column} is not numeric`);
  }
  for (let i = 0; i < values.length; i++) vector.setItem(i, values[i] ?? 0);
  vector.flush();
}

/** Account ids with every negative (no account) mapped to NO_ACCOUNT, so NULLIF restores NULL. */
function nullsAsSentinel(accountIds: Int32Array): Int32Array {
  if (!accountIds.some((id) => id < 0 && id !== NO_ACCOUNT)) return accountIds;
  return accountIds.map((id) => (id < 0 ? NO_ACCOUNT : id));
}

function ascending(n: number): Float64Array {
  const seq = new Float64Array(n);
  for (let i = 0; i < n; i++) seq[i] = i;
  return seq;
}
