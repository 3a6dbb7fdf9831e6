/**
 * The replay file format, shared by `billsim replay`, `billsim run
 * --export-events` and the counterexamples `billsim verify` writes.
 *
 * A replay file is JSONL: one Stripe Event object (current API shapes) per
 * line, in delivery order. The first object may be a header,
 * `{"object":"billsim.header","version":1,...}`, carrying how the stream was
 * made (seed, command) and the settle window. Also accepted: a JSON array of
 * events, a Stripe list object `{"object":"list","data":[...]}` (whole file or
 * one per line), and a directory of such files (read in name order).
 *
 * The reader yields records, never throws on a bad line: the caller decides
 * (exit 2 naming file and line, or count and skip).
 */
import {
  closeSync,
  createReadStream,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { cannotWrite } from '../../lib/errors.js';
import { ensureDir, removeQuietly, tempPathFor } from '../../lib/atomic-write.js';
import { objectFieldProblem } from './fields.js';
import { createInterface } from 'node:readline';
import type Stripe from 'stripe';

export const HEADER_OBJECT = 'billsim.header';
export const FORMAT_VERSION = 1;

/** The optional first object of a replay file. */
export interface ReplayHeader {
  readonly object: typeof HEADER_OBJECT;
  readonly version: number;
  /** The seed that produced the stream (a run, a verify counterexample). */
  readonly seed?: number;
  /** The command that reproduces the stream, e.g. "billsim run baseline --seed 7 --export-events x.jsonl". */
  readonly command?: string;
  /** The settle window after the latest `created`; replay's default when no --settle-days is given. */
  readonly settleMs?: number;
  readonly [extra: string]: unknown;
}

export type ReplayRecord =
  | { readonly kind: 'header'; readonly header: ReplayHeader; readonly file: string; readonly line: number }
  | { readonly kind: 'event'; readonly event: Stripe.Event; readonly file: string; readonly line: number }
  | { readonly kind: 'bad'; readonly problem: string; readonly file: string; readonly line: number };

/** "file:line: problem", the one line a bad record becomes on stderr. */
export function describeBad(record: { file: string; line: number; problem: string }): string {
  return `${record.file}:${record.line}: ${record.problem}`;
}

/** Why a parsed value is not a usable Stripe event, or null when it is one. */
export function eventProblem(value: unknown): string | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  if ((v.object !== undefined && v.object !== 'event') || typeof v.id !== 'string' || typeof v.type !== 'string') {
    return 'not a Stripe event (needs object "event", a string id and a string type)';
  }
  if (typeof v.created !== 'number' || !Number.isSafeInteger(v.created) || v.created < 0) {
    return `created: expected integer seconds since the epoch, got ${JSON.stringify(v.created) ?? 'nothing'}`;
  }
  const data = v.data as Record<string, unknown> | undefined;
  if (
    data === null ||
    typeof data !== 'object' ||
    data.object === null ||
    typeof data.object !== 'object' ||
    Array.isArray(data.object)
  ) {
    return 'data.object: missing (an event carries the object it is about)';
  }
  return objectFieldProblem(v.type as string, data.object as Record<string, unknown>);
}

function isHeader(value: unknown): value is ReplayHeader {
  return value !== null && typeof value === 'object' && (value as { object?: unknown }).object === HEADER_OBJECT;
}

/**
 * The longest settle window a header may ask for: two years, the longest span a scenario may simulate.
 * Wider than `--settle-days` (60, a scenario's settleDays limit) on purpose: verify's generated
 * counterexample streams settle past 60 days.
 */
const SETTLE_MS_MAX = 730 * 86_400_000;

/** Why a header's known fields are unusable, or null: they steer the replay, so none is taken on trust. */
function headerProblem(h: ReplayHeader): string | null {
  if (h.seed !== undefined && !Number.isSafeInteger(h.seed))
    return `header.seed: expected an integer, got ${JSON.stringify(h.seed)}`;
  if (h.settleMs !== undefined && (!Number.isSafeInteger(h.settleMs) || h.settleMs < 0 || h.settleMs > SETTLE_MS_MAX)) {
    return `header.settleMs: expected whole milliseconds from 0 to ${SETTLE_MS_MAX} (730 days), got ${JSON.stringify(h.settleMs)}`;
  }
  for (const field of ['command', 'policies', 'invariant'] as const) {
    if (h[field] !== undefined && typeof h[field] !== 'string')
      return `header.${field}: expected a string, got ${JSON.stringify(h[field])}`;
  }
  return null;
}

function isList(value: unknown): value is { object: 'list'; data: unknown[] } {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as { object?: unknown }).object === 'list' &&
    Array.isArray((value as { data?: unknown }).data)
  );
}

function* recordsOfValue(value: unknown, file: string, line: number, first: boolean): Generator<ReplayRecord> {
  if (isHeader(value)) {
    if (!first) yield { kind: 'bad', problem: 'a billsim.header may only be the first object of a file', file, line };
    else if (value.version !== FORMAT_VERSION)
      yield { kind: 'bad', problem: `header: version ${String(value.version)} is not ${FORMAT_VERSION}`, file, line };
    else {
      const problem = headerProblem(value);
      yield problem === null ? { kind: 'header', header: value, file, line } : { kind: 'bad', problem, file, line };
    }
    return;
  }
  if (isList(value)) {
    for (const item of value.data) yield* recordsOfValue(item, file, line, false);
    return;
  }
  const problem = eventProblem(value);
  if (problem !== null) yield { kind: 'bad', problem, file, line };
  else yield { kind: 'event', event: value as Stripe.Event, file, line };
}

/** The files a path names: itself, or a directory's .json/.jsonl files in name order (a folder named x.jsonl is no file). */
export function replayFilesOf(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => /\.jsonl?$/.test(entry.name) && !entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(path, name));
}

/** Records of objects already in memory (a generated stream): element k is "line" k+1 of `name`. */
export function* recordsOfValues(values: readonly unknown[], name: string): Generator<ReplayRecord> {
  for (let k = 0; k < values.length; k++) yield* recordsOfValue(values[k], name, k + 1, k === 0);
}

/** Reads a file or a directory of replay files, record by record, streaming JSONL line by line. */
export async function* readReplayRecords(
  path: string,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<ReplayRecord> {
  for (const file of replayFilesOf(path)) yield* readReplayFile(file, onBytes);
}

async function* readReplayFile(file: string, onBytes?: (bytes: number) => void): AsyncGenerator<ReplayRecord> {
  if (startsWithBracket(file)) {
    yield* readWholeJson(file);
    return;
  }
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0,
    first = true;
  for await (const text of lines) {
    line++;
    onBytes?.(Buffer.byteLength(text) + 1);
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (line === 1 && text.trim() === '{') {
        lines.close();
        yield* readWholeJson(file);
        return;
      }
      yield { kind: 'bad', problem: 'not valid JSON', file, line };
      continue;
    }
    yield* recordsOfValue(value, file, line, first);
    first = false;
  }
}

function startsWithBracket(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').trimStart().startsWith('[');
  } finally {
    closeSync(fd);
  }
}

/** A JSON array or a pretty-printed list object: parsed whole (not streamed); line = element's 1-based index. */
function* readWholeJson(file: string): Generator<ReplayRecord> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    yield { kind: 'bad', problem: 'not valid JSON (a JSON array or list object must parse as a whole)', file, line: 1 };
    return;
  }
  const items = Array.isArray(value) ? value : isList(value) ? value.data : [value];
  for (let k = 0; k < items.length; k++) yield* recordsOfValue(items[k], file, k + 1, k === 0);
}

/**
 * Writes a replay file atomically: lines go to a temporary file, renamed into
 * place by finish(); abort() removes it. The header, when it is only known at
 * the end (the settle window of an exported run), is given to finish().
 */
export class ReplayWriter {
  private readonly bodyPath: string;
  private fd: number;
  private buffer = '';

  constructor(readonly path: string) {
    this.bodyPath = tempPathFor(path, 'body');
    try {
      ensureDir(dirname(path));
      this.fd = openSync(this.bodyPath, 'w');
    } catch (error) {
      throw cannotWrite(path, error);
    }
  }

  write(event: Stripe.Event | ReplayHeader): void {
    this.buffer += `${JSON.stringify(event)}\n`;
    if (this.buffer.length >= 1 << 20) this.flush();
  }

  /**
   * Closes the file and moves it into place, with the header as its first line
   * if given. A path that cannot take it (a folder) is one InputError naming
   * it, and no temp file is left.
   */
  finish(header?: ReplayHeader): void {
    const finalTmp = tempPathFor(this.path);
    try {
      this.flush();
      closeSync(this.fd);
      this.fd = -1;
      if (header === undefined) {
        renameSync(this.bodyPath, this.path);
        return;
      }
      const out = openSync(finalTmp, 'w');
      try {
        writeSync(out, `${JSON.stringify(header)}\n`);
        copyInto(this.bodyPath, out);
      } finally {
        closeSync(out);
      }
      unlinkSync(this.bodyPath);
      renameSync(finalTmp, this.path);
    } catch (error) {
      this.abort();
      removeQuietly(finalTmp);
      throw cannotWrite(this.path, error);
    }
  }

  abort(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    removeQuietly(this.bodyPath);
  }

  private flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}

function copyInto(from: string, toFd: number): void {
  const fd = openSync(from, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) writeSync(toFd, chunk, 0, n);
  } finally {
    closeSync(fd);
  }
}

/** Writes a whole replay file (header first when given) atomically. */
export function writeReplayFile(path: string, events: Iterable<Stripe.Event>, header?: ReplayHeader): void {
  const writer = new ReplayWriter(path);
  try {
    if (header !== undefined) writer.write(header);
    for (const event of events) writer.write(event);
    writer.finish();
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/** A header for a stream: version filled in. */
export function replayHeader(fields: Omit<ReplayHeader, 'object' | 'version'>): ReplayHeader {
  return { object: HEADER_OBJECT, version: FORMAT_VERSION, ...fields };
}
