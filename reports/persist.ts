/**
 * Store runs in DuckDB and write their report.
 */
import { renderReport } from './html.js';
import { codeVersion } from './code-version.js';
import { closeStore, DEFAULT_DB_PATH, inTransaction, openStore, writeRunRows, type Store } from './store.js';
import { existsSync } from 'node:fs';
import { InputError, reasonOf } from '../sim/lib/errors.js';
import type { RunResult } from '../sim/world/result.js';
import type { EventLog } from '../sim/world/engine/event-log.js';
import { exportParquet } from './parquet.js';
import type { Io } from '../sim/lib/io.js';
import {
  checkDistinctOutputs,
  checkWritableDir,
  checkWritableFile,
  fileProblem,
  stageFile,
  type NamedPath,
  type StagedFile,
} from '../sim/lib/atomic-write.js';

export interface PersistOptions {
  readonly dbPath?: string | undefined;
  readonly reportPath?: string | undefined;
  /** The event log of a single run, for the `events` table. */
  readonly events?: EventLog | undefined;
  readonly parquetDir?: string | undefined;
  /** The command's input files: no output may be one of them (see checkDistinctOutputs). */
  readonly inputs?: readonly NamedPath[];
  /** Outputs the command writes besides these (e.g. --export-events): none may be another output. */
  readonly otherOutputs?: readonly NamedPath[];
}

/**
 * Stores the runs (and writes the report when asked); returns their run ids,
 * in order. All runs go in one transaction; the report is rendered and
 * written to its temp file inside it, before the commit, and renamed into
 * place after: a report that cannot be written stores nothing, and a failed
 * store leaves no report.
 */
export async function persistRuns(results: readonly RunResult[], opts: PersistOptions, io: Io): Promise<string[]> {
  const path = opts.dbPath ?? DEFAULT_DB_PATH;
  checkOutputFiles(opts);
  const store = await openStoreFor('--db', path);
  let report: StagedFile | undefined;
  let ids: string[] | undefined;
  try {
    ids = await inTransaction(store.connection, async () => {
      const written = await writeRunsAndStageReport(store, results, opts);
      report = written.report;
      return written.ids;
    });
    if (opts.parquetDir !== undefined)
      io.err(`parquet: ${Object.values(await exportParquet(store, opts.parquetDir)).join(', ')}`);
  } catch (error) {
    if (ids === undefined)
      report?.abort(); // nothing stored: no report either
    else report?.commit(); // the runs are stored; the report of them stands
    throw error;
  } finally {
    closeStore(store);
  }
  io.err(`stored run${ids.length > 1 ? 's' : ''} ${ids.join(', ')} in ${path}`);
  if (report === undefined) return ids;
  report.commit();
  io.err(`report: ${opts.reportPath}`);
  return ids;
}

async function writeRunsAndStageReport(
  store: Store,
  results: readonly RunResult[],
  opts: PersistOptions,
): Promise<{ ids: string[]; report: StagedFile | undefined }> {
  const ids: string[] = [];
  const events = opts.events ? { events: opts.events.columns() } : {};
  for (const r of results) ids.push(await writeRunRows(store, r, { codeVersion: codeVersion(), ...events }));
  if (opts.reportPath === undefined) return { ids, report: undefined };
  const labels = results.map((r, k) => `${r.policies} seed ${r.seed} (${ids[k]})`);
  return { ids, report: stageFile(opts.reportPath, renderReport(results, { labels })) };
}

/** The report file and the Parquet folder can be written: checked before a run is stored, so a bad one stores nothing. */
function checkOutputFiles(opts: PersistOptions): void {
  const outputs = [
    { flag: '--db', path: opts.dbPath ?? DEFAULT_DB_PATH },
    { flag: '--report', path: opts.reportPath },
    { flag: '--parquet', path: opts.parquetDir },
    ...(opts.otherOutputs ?? []),
  ];
  checkDistinctOutputs(outputs, opts.inputs ?? []);
  if (opts.reportPath !== undefined) checkWritableFile(opts.reportPath);
  if (opts.parquetDir !== undefined) checkWritableDir(opts.parquetDir);
}

/**
 * Checks, before the simulation, every output persistRuns will write (the
 * store, default path included, the report, the Parquet folder): a bad path
 * is bad input found before the work, not after it.
 */
export async function checkOutputs(opts: PersistOptions): Promise<void> {
  checkOutputFiles(opts);
  await checkStoreWritable('--db', opts.dbPath ?? DEFAULT_DB_PATH);
}

/**
 * Opens (creating if needed) the store a flag names; a path that cannot hold a
 * database (its folder is a file, no permission, a locked or corrupt file) is
 * bad input: one line naming the flag and the path, exit 2.
 */
export async function openStoreFor(flag: string, path: string): Promise<Store> {
  try {
    return await openStore(path);
  } catch (error) {
    const reason = reasonOf(error);
    throw new InputError(`${flag}: ${path}: cannot open or create the store (${reason})`);
  }
}

/**
 * Fails now, as openStoreFor would, rather than after a long batch: an
 * existing file is opened and closed (a store, not locked); a new one is only
 * checked to be creatable, so input found bad later leaves no empty store.
 */
export async function checkStoreWritable(flag: string, path: string): Promise<void> {
  if (existsSync(path)) {
    closeStore(await openStoreFor(flag, path));
    return;
  }
  const problem = fileProblem(path);
  if (problem !== null) throw new InputError(`${flag}: ${path}: cannot open or create the store (${problem})`);
}
