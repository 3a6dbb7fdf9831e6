/** Parquet export: one file per store table, written by DuckDB's COPY. */
import { renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureDir, removeQuietly, tempPathFor } from '../sim/lib/atomic-write.js';
import { cannotWrite } from '../sim/lib/errors.js';
import { TABLES, type TableName } from './schema.js';
import type { Store } from './store.js';

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Tables a store has only once a command created them (`verify --db`). */
const OPTIONAL_TABLES = ['verify_results'] as const;

/**
 * Writes `<dir>/<table>.parquet` for every table (ordered by run, then key) and
 * returns the paths. All or nothing: each table goes to a temp file first, and
 * the files are renamed into place once every table is written; a folder that
 * cannot be written is one InputError naming it.
 */
export async function exportParquet(
  store: Store,
  dir: string,
): Promise<Record<TableName, string> & Record<string, string>> {
  const paths = {} as Record<TableName, string> & Record<string, string>;
  const temps: string[] = [];
  try {
    ensureDir(dir);
    for (const table of [...TABLES, ...(await presentOptionalTables(store))]) {
      const path = resolve(join(dir, `${table}.parquet`));
      const temp = tempPathFor(path);
      const order = table === 'runs' ? 'created_seq' : table === 'events' ? 'run_id, seq' : 'ALL';
      temps.push(temp);
      await store.connection.run(
        `COPY (SELECT * FROM ${table} ORDER BY ${order}) TO ${sqlString(temp)} (FORMAT PARQUET, COMPRESSION ZSTD)`,
      );
      paths[table] = path;
    }
    for (const path of Object.values(paths)) renameSync(tempPathFor(path), path);
  } catch (error) {
    for (const temp of temps) removeQuietly(temp);
    throw cannotWrite(dir, error);
  }
  return paths;
}

async function presentOptionalTables(store: Store): Promise<string[]> {
  const reader = await store.connection.runAndReadAll(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_name IN (${OPTIONAL_TABLES.map(sqlString).join(', ')})`,
  );
  return reader
    .getRows()
    .map((row) => String(row[0]))
    .sort();
}
