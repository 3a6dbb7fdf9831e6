/**
 * Bulk writes through DuckDB's appender, one data chunk (at most the vector
 * size, 2048 rows) at a time. The appender writes into the connection's open
 * transaction, so a ROLLBACK discards what it flushed.
 */
import {
  BIGINT, DuckDBDataChunk, INTEGER, VARCHAR, type DuckDBAppender, type DuckDBConnection, type DuckDBType,
} from '@duckdb/node-api';
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
  conn: DuckDBConnection, table: string, columns: readonly Column<Row>[], rows: readonly Row[],
): Promise<void> {
  if (rows.length === 0) return;
  const types = columns.map((c) => duckTypeOf(c));
  await withAppender(conn, table, (appender) => {
    for (let offset = 0; offset < rows.length; offset += ROWS_PER_CHUNK) {
      const batch = rows.slice(offset, offset + ROWS_PER_CHUNK);
      const chunk = DuckDBDataChunk.create(types, batch.length);
      columns.forEach((column, i) => chunk.setColumnValues(i, batch.map(column.get)));
      appender.appendDataChunk(chunk);
    }
  });
}

const EVENT_TYPES: readonly DuckDBType[] = [VARCHAR, BIGINT, BIGINT, VARCHAR, INTEGER];

function checkEventColumns(events: EventColumns): number {
  const n = events.timeMs.length;
  const lengths = [events.kind.length, events.accountId.length, events.seq?.length ?? n];
  if (lengths.some((l) => l !== n)) throw new Error(`event columns differ in length: ${[n, ...lengths].join(', ')}`);
  return n;
}

/** Appends events table rows straight from typed arrays, filling each vector in place. */
export async function appendEvents(conn: DuckDBConnection, runId: string, events: EventColumns): Promise<void> {
  const n = checkEventColumns(events);
  if (n === 0) return;
  await withAppender(conn, 'events', (appender) => {
    for (let offset = 0; offset < n; offset += ROWS_PER_CHUNK) {
      const count = Math.min(ROWS_PER_CHUNK, n - offset);
      const chunk = DuckDBDataChunk.create(EVENT_TYPES, count);
      fillEventChunk(chunk, runId, events, offset, count);
      appender.appendDataChunk(chunk);
    }
  });
}

function fillEventChunk(chunk: DuckDBDataChunk, runId: string, events: EventColumns, offset: number, count: number): void {
  const [run, seq, time, kind, account] = [0, 1, 2, 3, 4].map((i) => chunk.getColumnVector(i));
  if (!run || !seq || !time || !kind || !account) throw new Error('event chunk is missing a column');
  for (let r = 0; r < count; r++) {
    const i = offset + r;
    const kindName = events.kindNames[events.kind[i] ?? -1];
    if (kindName === undefined) throw new Error(`event ${i}: kind ${events.kind[i]} has no name`);
    const accountId = events.accountId[i] ?? -1;
    run.setItem(r, runId);
    seq.setItem(r, BigInt(events.seq ? (events.seq[i] ?? i) : i));
    time.setItem(r, BigInt(events.timeMs[i] ?? 0));
    kind.setItem(r, kindName);
    account.setItem(r, accountId < 0 ? null : accountId);
  }
  for (const vector of [run, seq, time, kind, account]) vector.flush();
}
