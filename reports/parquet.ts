/** Parquet export: one file per store table, written by DuckDB's COPY. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TABLES, type TableName } from './schema.js';
import type { Store } from './store.js';

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Writes `<dir>/<table>.parquet` for every table (ordered by run, then key) and returns the paths. */
export async function exportParquet(store: Store, dir: string): Promise<Record<TableName, string>> {
  mkdirSync(dir, { recursive: true });
  const paths = {} as Record<TableName, string>;
  for (const table of TABLES) {
    const path = resolve(join(dir, `${table}.parquet`));
    const order = table === 'runs' ? 'created_seq' : table === 'events' ? 'run_id, seq' : 'ALL';
    await store.connection.run(
      `COPY (SELECT * FROM ${table} ORDER BY ${order}) TO ${sqlString(path)} (FORMAT PARQUET, COMPRESSION ZSTD)`);
    paths[table] = path;
  }
  return paths;
}
