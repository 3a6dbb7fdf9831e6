/** Writing an output file whole or not at all: a temp file beside it, then a rename. */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { cannotWrite, InputError, reasonOf } from './errors.js';

/**
 * Writes `text` to `path` atomically. A path the user named that cannot be
 * written (its folder is a file, no permission) is bad input: one line naming
 * the path, exit 2, and no temp file left behind.
 */
export function writeFileAtomic(path: string, text: string): void {
  stageFile(path, text).commit();
}

/** An output written in full to its temp file, not yet in place: commit() renames it there, abort() removes it. */
export interface StagedFile {
  commit(): void;
  abort(): void;
}

/**
 * Writes `text` beside `path` now and puts it in place later, so an output
 * that cannot be written fails before the step it must follow (storing a run)
 * rather than after it. Errors are the one-line InputError writeFileAtomic throws.
 */
export function stageFile(path: string, text: string): StagedFile {
  const temp = tempPathFor(path);
  const fail = (error: unknown): never => {
    removeQuietly(temp);
    throw cannotWrite(path, error);
  };
  try {
    ensureDir(dirname(path));
    writeFileSync(temp, text);
  } catch (error) {
    fail(error);
  }
  return {
    commit: () => {
      try {
        renameSync(temp, path);
      } catch (error) {
        fail(error);
      }
    },
    abort: () => removeQuietly(temp),
  };
}

/**
 * The temp file an output is written to before it is renamed into place:
 * beside it (so the rename is atomic), named for this process, and ending in
 * `.tmp` whatever writes it. `part` tells apart two temps of one output.
 */
export function tempPathFor(path: string, part = ''): string {
  removeStaleTemps(path);
  return `${path}.${process.pid}${part === '' ? '' : `-${part}`}.tmp`;
}

/**
 * Removes the temp files a killed writer left beside `path`: named
 * `<output>.<pid>[-part].tmp` (or DuckDB's own `tmp_` copy of one) for a
 * process that no longer runs. A live writer's temp files are left alone.
 */
export function removeStaleTemps(path: string): void {
  const dir = dirname(path);
  const base = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^(?:tmp_)?${base}\\.(\\d+)(?:-[\\w-]+)?\\.tmp$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no folder yet: nothing stale in it
  }
  for (const name of names) {
    const pid = pattern.exec(name)?.[1];
    if (pid !== undefined && !processRuns(Number(pid))) removeQuietly(join(dir, name));
  }
}

function processRuns(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes a file if it is there; a path that cannot exist (its folder is a file) is nothing to remove. */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // ENOTDIR and the like: there is no such file
  }
}

/**
 * Creates a folder and its missing parents, one level at a time (Node's
 * recursive mkdir never returns on some paths, e.g. under /proc).
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}

/**
 * Checks, before any work, that an output file the user named can be
 * written: not a folder, and its nearest existing folder is a writable folder.
 * Throws the same one-line InputError a failed write would.
 */
export function checkWritableFile(path: string): void {
  const problem = fileProblem(path);
  if (problem !== null) throw cannotWrite(path, problem);
}

/** Why an output file cannot be written there, or null (see checkWritableFile). */
export function fileProblem(path: string): string | null {
  if (!existsSync(path)) return creatableProblem(path);
  return statSync(path).isDirectory() ? 'it is a folder' : accessProblem(path);
}

/** As checkWritableFile, for an output folder: an existing path must be a writable folder. */
export function checkWritableDir(path: string): void {
  const problem = !existsSync(path)
    ? creatableProblem(path)
    : !statSync(path).isDirectory()
      ? 'it is a file, not a folder'
      : accessProblem(path);
  if (problem !== null) throw cannotWrite(path, problem);
}

function creatableProblem(path: string): string | null {
  let ancestor = dirname(path);
  while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
  return statSync(ancestor).isDirectory() ? accessProblem(ancestor) : `${ancestor} is a file, not a folder`;
}

function accessProblem(existing: string): string | null {
  try {
    accessSync(existing, constants.W_OK);
    return null;
  } catch (error) {
    return reasonOf(error);
  }
}

/** A path the user gave, with the flag or argument that named it (for the message). */
export interface NamedPath {
  readonly flag: string;
  readonly path: string | undefined;
}

/**
 * Refuses, before any work, an output that is also an input or another
 * output: `replay rec.jsonl --report rec.jsonl` would destroy the recording.
 * Paths are compared where they really lead (symlinks, `./` and `..`
 * resolved; an existing file by device and inode, so hard links count too).
 */
export function checkDistinctOutputs(outputs: readonly NamedPath[], inputs: readonly NamedPath[]): void {
  const seen: { flag: string; place: string; role: string }[] = [];
  for (const { flag, path } of inputs) if (path !== undefined) seen.push({ flag, place: placeOf(path), role: 'input' });
  for (const { flag, path } of outputs) {
    if (path === undefined) continue;
    const place = placeOf(path);
    const clash = seen.find((s) => s.place === place);
    if (clash !== undefined)
      throw new InputError(
        `${flag}: ${path} is also the ${clash.role} ${clash.flag}; refusing to write over it (name another file)`,
      );
    seen.push({ flag, place, role: 'output' });
  }
}

/** Where a path leads: device and inode of an existing file, else the real path of its nearest existing folder plus the rest. */
function placeOf(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) {
    const stat = statSync(absolute);
    return `inode:${stat.dev}:${stat.ino}`;
  }
  const rest: string[] = [];
  let dir = absolute;
  while (!existsSync(dir) && dirname(dir) !== dir) {
    rest.unshift(basename(dir));
    dir = dirname(dir);
  }
  return `path:${join(realpathSync(dir), ...rest)}`;
}

/** Inputs given as names or files (a scenario, a policy set): those that name an existing file. */
export function inputFiles(named: readonly NamedPath[]): NamedPath[] {
  return named.filter((n) => n.path !== undefined && existsSync(n.path));
}
