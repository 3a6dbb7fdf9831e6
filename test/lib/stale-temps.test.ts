import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageFile, writeFileAtomic } from '../../sim/lib/atomic-write.js';
import { inTransaction } from '../../reports/store.js';

/** A pid no process holds: above Linux's pid_max ceiling (2^22). */
const DEAD_PID = 4_194_305;

describe('temp files', () => {
  it("the next write of an output removes a killed writer's temp files, and leaves a live writer's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'billsim-stale-'));
    const out = join(dir, 'events.jsonl');
    const stale = [
      `${out}.${DEAD_PID}.tmp`,
      `${out}.${DEAD_PID}-body.tmp`,
      join(dir, `tmp_events.jsonl.${DEAD_PID}.tmp`),
    ];
    const live = `${out}.${process.ppid}.tmp`;
    const other = join(dir, `other.jsonl.${DEAD_PID}.tmp`);
    for (const path of [...stale, live, other]) writeFileSync(path, 'half');
    writeFileAtomic(out, 'whole\n');
    expect(readFileSync(out, 'utf8')).toBe('whole\n');
    for (const path of stale) expect(existsSync(path), path).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(other)).toBe(true);
  });

  it('a staged output is not in place until committed, and abort leaves nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'billsim-staged-'));
    const out = join(dir, 'report.html');
    const staged = stageFile(out, 'x');
    expect(existsSync(out)).toBe(false);
    staged.abort();
    expect(existsSync(out)).toBe(false);
    stageFile(out, 'y').commit();
    expect(readFileSync(out, 'utf8')).toBe('y');
  });
});

describe('a commit that fails', () => {
  it('shows the commit error, not "cannot rollback - no transaction is active"', async () => {
    const ran: string[] = [];
    const conn = {
      run: async (sql: string) => {
        ran.push(sql);
        if (sql === 'COMMIT')
          throw new Error('IO Error: Could not write file "runs.duckdb.wal": No space left on device');
        if (sql === 'ROLLBACK') throw new Error('TransactionContext Error: cannot rollback - no transaction is active');
        return undefined as never;
      },
    };
    await expect(inTransaction(conn, async () => 'id')).rejects.toThrow(
      /^could not commit the write, nothing of it was stored \(IO Error: .*No space left on device\)$/,
    );
    expect(ran).toEqual(['BEGIN TRANSACTION', 'COMMIT', 'ROLLBACK']);
  });
});
