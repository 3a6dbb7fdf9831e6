/**
 * Runs user-typed SQL against a store opened sandboxed (see OpenOptions in
 * store.ts): every statement but the last is run, the last is streamed to the
 * output a chunk at a time, so a large result never sits whole in memory.
 */
import type { DuckDBConnection, DuckDBResult } from '@duckdb/node-api';
import { duckdb } from './duckdb.js';
import { rowWriter, type OutputFormat } from './sql.js';
import { InputError } from '../sim/lib/errors.js';

/** Statement kinds refused whatever the store's mode: they reach outside the store or change settings. */
const OUTSIDE_THE_STORE = ['COPY', 'EXPORT', 'ATTACH', 'DETACH', 'LOAD', 'EXTENSION', 'COPY_DATABASE', 'SET'];
/** Statement kinds that change the store: refused unless the user opted in to writes. */
const WRITES = ['INSERT', 'UPDATE', 'DELETE', 'CREATE', 'ALTER', 'DROP', 'VACUUM', 'MERGE_INTO', 'CREATE_FUNC'];

function refusal(kind: string, allowWrites: boolean): string | null {
  if (OUTSIDE_THE_STORE.includes(kind) || kind === 'UPDATE_EXTENSIONS' || kind === 'VARIABLE_SET')
    return `${kind} statements are refused: sql reads the store only (no files, other databases, extensions or settings)`;
  if (!allowWrites && WRITES.includes(kind))
    return `${kind} statements change the store; sql is read-only unless you pass --allow-writes`;
  return null;
}

/** Runs `sql` and writes the last statement's rows in `format` to `out`; throws InputError for a refused kind. */
export async function streamSql(
  conn: DuckDBConnection,
  sql: string,
  options: { format: OutputFormat; allowWrites: boolean; out: (text: string) => void },
): Promise<void> {
  const statements = await unwrapped(conn.extractStatements(sql));
  if (statements.count === 0) throw new InputError('no SQL statement in the query');
  for (let i = 0; ; i++) {
    const statement = await unwrapped(statements.prepare(i));
    const why = refusal(duckdb().StatementType[statement.statementType], options.allowWrites);
    if (why !== null) throw new InputError(why);
    if (i === statements.count - 1) return writeRows(await statement.stream(), options);
    await statement.run();
  }
}

async function writeRows(
  result: DuckDBResult,
  options: { format: OutputFormat; out: (text: string) => void },
): Promise<void> {
  const writer = rowWriter(result.columnNames(), options.format, options.out);
  for await (const chunk of result.yieldRowObjectJs()) writer.rows(chunk);
  writer.end();
}

/** The binding prefixes DuckDB's own message ("Failed to extract statements: Parser Error: …"); keep DuckDB's. */
async function unwrapped<T>(step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new Error(text.replace(/^Failed to [\w ]+?: /, ''), { cause: error });
  }
}
