/**
 * DuckDB's Node binding, loaded on first use. It is a native addon that takes
 * a good part of a second to load, and most commands (a `billsim run` without
 * `--db`, `verify`, `calibrate`) never open a store; so the store modules
 * import only its types and call this when they need its values.
 */
import { createRequire } from 'node:module';

type DuckDb = typeof import('@duckdb/node-api');

const requireHere = createRequire(import.meta.url);
let loaded: DuckDb | undefined;

export function duckdb(): DuckDb {
  loaded ??= requireHere('@duckdb/node-api') as DuckDb;
  return loaded;
}
