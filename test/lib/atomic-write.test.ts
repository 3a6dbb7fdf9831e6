import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWritableDir, checkWritableFile, ensureDir, writeFileAtomic } from '../../sim/lib/atomic-write.js';
import { InputError } from '../../sim/lib/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'billsim-atomic-'));
const aFile = join(dir, 'a-file.txt');
writeFileSync(aFile, 'x');

function inputErrorOf(action: () => void): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('writeFileAtomic', () => {
  it('writes the file whole, creating missing folders', () => {
    const path = join(dir, 'new', 'deeper', 'out.txt');
    writeFileAtomic(path, 'hello');
    expect(readFileSync(path, 'utf8')).toBe('hello');
  });

  it('a path under a file is one InputError naming the path, and no temp file is left', () => {
    const path = join(aFile, 'out.html');
    expect(inputErrorOf(() => writeFileAtomic(path, 'x'))).toMatch(/a-file\.txt\/out\.html: cannot write the file/);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });

  it('a folder as the path is one InputError, and no temp file is left', () => {
    const folder = join(dir, 'a-folder');
    ensureDir(folder);
    expect(inputErrorOf(() => writeFileAtomic(folder, 'x'))).toMatch(/a-folder: cannot write the file/);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });
});

describe('checking an output path before the work', () => {
  it('accepts a new file in a missing folder, and an existing file', () => {
    expect(() => checkWritableFile(join(dir, 'later', 'x.html'))).not.toThrow();
    expect(() => checkWritableFile(aFile)).not.toThrow();
    expect(existsSync(join(dir, 'later'))).toBe(false);
  });

  it('refuses a folder as a file, and a path under a file', () => {
    expect(inputErrorOf(() => checkWritableFile(dir))).toMatch(/it is a folder/);
    expect(inputErrorOf(() => checkWritableFile(join(aFile, 'sub', 'x.html')))).toMatch(
      /a-file\.txt is a file, not a folder/,
    );
  });

  it('an output folder: a file is refused, a missing folder is fine', () => {
    expect(inputErrorOf(() => checkWritableDir(aFile))).toMatch(/it is a file, not a folder/);
    expect(() => checkWritableDir(join(dir, 'parquet-out'))).not.toThrow();
    expect(inputErrorOf(() => checkWritableDir(join(aFile, 'parquet')))).toMatch(/is a file, not a folder/);
  });
});
