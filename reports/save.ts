/** What `billsim demo` and `billsim run --db` call: store the run, optionally render its report. */
import { writeFileAtomic } from '../sim/cli/atomic-write.js';
import type { RunResult } from '../sim/result.js';
import { codeVersion } from './code-version.js';
import { renderReport } from './html.js';
import { runLabels } from './report-data.js';
import { closeStore, DEFAULT_DB_PATH, openStore, writeRun } from './store.js';

export interface SaveOptions {
  /** Store file; default DEFAULT_DB_PATH (.billsim/runs.duckdb). */
  readonly dbPath?: string;
  /** Where to write the HTML report of this run; none when omitted. */
  readonly reportPath?: string;
  /** Stamp for the run; default "billsim@<version>+<git sha>". */
  readonly codeVersion?: string;
}

export interface Saved {
  readonly runId: string;
  readonly dbPath: string;
  readonly reportPath?: string;
}

/** The report appears whole or not at all (temp file, then rename). */
export function writeReportFile(path: string, html: string): void {
  writeFileAtomic(path, html);
}

export async function saveRunAndReport(result: RunResult, opts: SaveOptions = {}): Promise<Saved> {
  const dbPath = opts.dbPath ?? DEFAULT_DB_PATH;
  const store = await openStore(dbPath);
  let runId: string;
  try {
    runId = await writeRun(store, result, { codeVersion: opts.codeVersion ?? codeVersion() });
  } finally {
    closeStore(store);
  }
  if (opts.reportPath === undefined) return { runId, dbPath };
  const labels = [`${runLabels([result])[0] ?? ''} (${runId})`];
  writeReportFile(opts.reportPath, renderReport([result], { labels }));
  return { runId, dbPath, reportPath: opts.reportPath };
}
