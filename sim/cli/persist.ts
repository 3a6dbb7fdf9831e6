/**
 * Store runs in DuckDB and write their report.
 */
import { renderReport } from '../../reports/html.js';
import { codeVersion } from '../../reports/code-version.js';
import { writeReportFile } from '../../reports/save.js';
import { closeStore, DEFAULT_DB_PATH, openStore, writeRun } from '../../reports/store.js';
import type { RunResult } from '../result.js';
import type { EventLog } from '../engine/event-log.js';
import { exportParquet } from '../../reports/parquet.js';
import type { Io } from './run-command.js';

export interface PersistOptions {
  readonly dbPath?: string | undefined;
  readonly reportPath?: string | undefined;
  /** The event log of a single run, for the `events` table. */
  readonly events?: EventLog | undefined;
  readonly parquetDir?: string | undefined;
}

/** Stores the runs (and writes the report when asked); returns their run ids, in order. */
export async function persistRuns(results: readonly RunResult[], opts: PersistOptions, io: Io): Promise<string[]> {
  const path = opts.dbPath ?? DEFAULT_DB_PATH;
  const reportPath = opts.reportPath;
  const store = await openStore(path);
  const ids: string[] = [];
  try {
    for (const r of results) ids.push(await writeRun(store, r, { codeVersion: codeVersion(), ...(opts.events ? { events: opts.events.columns() } : {}) }));
    if (opts.parquetDir !== undefined) io.err(`parquet: ${Object.values(await exportParquet(store, opts.parquetDir)).join(', ')}`);
  } finally {
    closeStore(store);
  }
  io.err(`stored run${ids.length > 1 ? 's' : ''} ${ids.join(', ')} in ${path}`);
  if (reportPath === undefined) return ids;
  writeReportFile(reportPath, renderReport(results, { labels: results.map((r, k) => `${r.policies} seed ${r.seed} (${ids[k]})`) }));
  io.out(`report: ${reportPath}`);
  return ids;
}
