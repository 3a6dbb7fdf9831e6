/**
 * The report commands for the main CLI: `sql`, `export`, `report`.
 * Bad input (missing store file, bad SQL, unknown run id, bad flag) ends with
 * a one-line message and exit code 2, through commander's `error()`.
 */
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { renderReport } from '../../../reports/html.js';
import { exportParquet } from '../../../reports/parquet.js';
import { loadRunsById } from '../../../reports/report-from-store.js';
import { runLabels } from '../../../reports/report-data.js';
import { writeFileAtomic } from '../../lib/atomic-write.js';
import { EXIT_BAD_INPUT, InputError, reasonOf } from '../../lib/errors.js';
import { type OutputFormat } from '../../../reports/sql.js';
import { streamSql } from '../../../reports/sql-run.js';
import { closeStore, DEFAULT_DB_PATH, openStore, type OpenOptions, type Store } from '../../../reports/store.js';

export interface ReportIo {
  readonly out: (text: string) => void;
}

const defaultIo: ReportIo = { out: (text) => void process.stdout.write(text) };

/** DuckDB reports bad SQL and unreadable files as plain Errors: those are the user's input too. */
function isInputError(error: unknown): boolean {
  if (error instanceof InputError) return true;
  const text = error instanceof Error ? error.message : '';
  return /^(Parser|Binder|Catalog|Conversion|Invalid Input|IO|Not implemented|Constraint|Out of Range|Permission) Error/.test(
    text,
  );
}

/** Opens an existing store read-only (every command here only reads), runs `use`, closes it. */
async function withStore<T>(
  dbPath: string,
  use: (store: Store) => Promise<T>,
  options: OpenOptions = { readOnly: true },
): Promise<T> {
  if (!existsSync(dbPath)) throw new InputError(`no store at ${dbPath} (run "billsim run --db ${dbPath}" first)`);
  const store = await openStore(dbPath, options);
  try {
    return await use(store);
  } finally {
    closeStore(store);
  }
}

/** Runs a command body, turning input errors into "billsim <cmd>: <message>" and exit code 2. */
function guarded<A extends unknown[]>(
  cmd: Command,
  body: (...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (error) {
      if (!isInputError(error)) throw error;
      cmd.error(`billsim ${cmd.name()}: ${reasonOf(error)}`, { exitCode: EXIT_BAD_INPUT, code: 'billsim.badInput' });
    }
  };
}

function outputFormat(opts: { json?: boolean; csv?: boolean }): OutputFormat {
  if (opts.json && opts.csv) throw new InputError('choose one of --json and --csv');
  return opts.json ? 'json' : opts.csv ? 'csv' : 'table';
}

interface OutputFlags {
  output?: string;
  out?: string;
}

/** `--out`, the older name of `-o, --output` (one flag vocabulary across commands), still read. */
function outAlias(): Option {
  return new Option('--out <path>', 'the older name of --output').hideHelp();
}

function outputOf(flags: OutputFlags): string {
  if (flags.output !== undefined && flags.out !== undefined)
    throw new InputError('--out: the older name of --output; give one of them');
  const output = flags.output ?? flags.out;
  if (output === undefined) throw new InputError("required option '-o, --output <path>' not specified");
  return output;
}

function registerSql(program: Command, io: ReportIo): void {
  const cmd = program
    .command('sql')
    .description('run a SQL query against the run store (read-only; no files, other databases or extensions)')
    .option('--db <file>', 'run store (DuckDB file)', DEFAULT_DB_PATH)
    .argument('<query>', 'SQL, e.g. "SELECT * FROM runs"')
    .option('--json', 'print rows as a JSON array')
    .option('--csv', 'print rows as CSV')
    .option('--allow-writes', 'open the store read-write: INSERT, UPDATE, DELETE, CREATE, DROP change it');
  cmd.action(
    guarded(cmd, async (sql: string, opts: { db: string; json?: boolean; csv?: boolean; allowWrites?: boolean }) => {
      const format = outputFormat(opts);
      if (sql.trim() === '') throw new InputError('<query>: empty; give a SQL statement, e.g. "SELECT * FROM runs"');
      const allowWrites = opts.allowWrites === true;
      await withStore(opts.db, (store) => streamSql(store.connection, sql, { format, allowWrites, out: io.out }), {
        readOnly: !allowWrites,
        sandboxed: true,
      });
    }),
  );
}

function registerExport(program: Command, io: ReportIo): void {
  const cmd = program
    .command('export')
    .description('export every store table to <dir>/<table>.parquet')
    .option('--db <file>', 'run store (DuckDB file)', DEFAULT_DB_PATH)
    .option('--format <format>', 'export format (parquet)', 'parquet')
    .option('-o, --output <dir>', 'output folder')
    .addOption(outAlias());
  cmd.action(
    guarded(cmd, async (opts: { db: string; format: string } & OutputFlags) => {
      const output = outputOf(opts);
      if (opts.format !== 'parquet')
        throw new InputError(`unknown --format ${JSON.stringify(opts.format)}: only parquet is supported`);
      const paths = await withStore(opts.db, (store) => exportParquet(store, output));
      io.out(`${Object.values(paths).join('\n')}\n`);
    }),
  );
}

function registerReport(program: Command, io: ReportIo): void {
  const cmd = program
    .command('report')
    .description('render stored runs as one self-contained HTML report')
    .option('--db <file>', 'run store (DuckDB file)', DEFAULT_DB_PATH)
    .option('--runs <ids>', 'comma-separated run ids (default: the most recent run)')
    .option('-o, --output <file>', 'HTML file to write')
    .addOption(outAlias());
  cmd.action(
    guarded(cmd, async (opts: { db: string; runs?: string } & OutputFlags) => {
      const output = outputOf(opts);
      const ids = opts.runs
        ?.split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (ids?.length === 0)
        throw new InputError(`--runs: "${opts.runs}" names no run id (leave it out for the most recent run)`);
      const loaded = await withStore(opts.db, async (store) => {
        try {
          return await loadRunsById(store, ids);
        } catch (error) {
          throw new InputError(reasonOf(error));
        }
      });
      const results = loaded.map((l) => l.result);
      const labels = runLabels(results).map((label, i) => `${label} (${loaded[i]?.runId ?? ''})`);
      writeFileAtomic(output, renderReport(results, { labels }));
      io.out(`${output}\n`);
    }),
  );
}

/** Adds `sql`, `export` and `report` to the main program. */
export function registerReportCommands(program: Command, io: ReportIo = defaultIo): void {
  registerSql(program, io);
  registerExport(program, io);
  registerReport(program, io);
}
