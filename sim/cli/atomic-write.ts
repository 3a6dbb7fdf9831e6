/** Writing an output file whole or not at all: a temp file beside it, then a rename. */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { cannotWrite } from './errors.js';

/**
 * Writes `text` to `path` atomically. A path the user named that cannot be
 * written (its folder is a file, no permission) is bad input: one line naming
 * the path, exit 2, and no temp file left behind.
 */
export function writeFileAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw cannotWrite(path, error);
  }
}
