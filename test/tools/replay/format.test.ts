import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayFilesOf } from '../../../sim/tools/replay/format.js';
import { scratch } from './support.js';

describe('replayFilesOf', () => {
  it('a directory: its .json and .jsonl files in name order, never a folder that is named like one', () => {
    const dir = join(scratch, 'stream-dir');
    mkdirSync(join(dir, 'a-folder.jsonl'), { recursive: true });
    for (const name of ['b.jsonl', 'a.json', 'notes.txt']) writeFileSync(join(dir, name), '');
    expect(replayFilesOf(dir)).toEqual([join(dir, 'a.json'), join(dir, 'b.jsonl')]);
  });
});
