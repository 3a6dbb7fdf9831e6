import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeStore, openStore, query } from '../../../reports/store.js';
import { cli } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'billsim-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Inv {
  name: string;
  status: string;
  counterexample: string | null;
  class: string;
  reproducesInReplay: boolean | null;
}

function failedOf(stdout: string): Inv[] {
  return (JSON.parse(stdout).invariants as Inv[]).filter((i) => i.status === 'failed');
}

/** The replay's verdict on a file: its exit code and the invariants it names as failed. */
async function replayed(file: string, policies: string): Promise<{ code: number; failed: string[] }> {
  const r = await cli('replay', file, '--policies', policies, '--json');
  return {
    code: r.code,
    failed: (JSON.parse(r.stdout).invariants as Inv[]).filter((i) => i.status === 'failed').map((i) => i.name),
  };
}

function linesOf(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A canary counterexample: a small one-customer replay file; replay fails it on the same invariant under canary, passes it under target. */
async function expectReproducible(inv: Inv): Promise<void> {
  expect(inv.reproducesInReplay).toBe(true);
  const [header, ...events] = linesOf(inv.counterexample!);
  expect(header).toMatchObject({
    object: 'billsim.header',
    policies: 'canary',
    invariant: inv.name,
    command: `billsim replay ${inv.counterexample!} --policies canary`,
  });
  expect(events.length).toBeGreaterThan(0);
  expect(events.length).toBeLessThanOrEqual(12);
  expect(new Set(events.map((e) => JSON.stringify(e.data).match(/cus_\w+/)![0])).size).toBe(1);
  const onCanary = await replayed(inv.counterexample!, 'canary');
  expect(onCanary.failed).toContain(inv.name);
  expect(onCanary.code).toBe(
    onCanary.failed.every((name) => name === 'settlesWithinBound' || name === 'paymentLiftsConsequences') ? 3 : 1,
  );
  expect(await replayed(inv.counterexample!, 'target')).toEqual({ code: 0, failed: [] });
}

describe('billsim verify', () => {
  it('target: every invariant holds (exit 0); the weather is printed first', async () => {
    const r = await cli(
      'verify',
      '--policies',
      'target',
      '--runs',
      '2',
      '--property-runs',
      '30',
      '--json',
      '--out-dir',
      join(dir, 't'),
    );
    expect(r.code).toBe(0);
    expect(r.stderr.indexOf('weather:')).toBeGreaterThanOrEqual(0);
    expect(failedOf(r.stdout)).toEqual([]);
  });

  it('legacy: fails convergence and names the invariant (exit 1); a failure only the simulator sees is reproduced by seed', async () => {
    const r = await cli(
      'verify',
      '--policies',
      'legacy',
      '--runs',
      '1',
      '--property-runs',
      '40',
      '--json',
      '--out-dir',
      join(dir, 'l'),
    );
    expect(r.code).toBe(1);
    const failed = failedOf(r.stdout);
    expect(failed.map((i) => i.name)).toContain('orderIndependent');
    expect(failed.map((i) => i.name)).toContain('payBeforeCommit');
    expect(failed.some((i) => i.class === 'convergence')).toBe(true);
    const order = failed.find((i) => i.name === 'orderIndependent')!;
    expect(await replayed(order.counterexample!, 'legacy')).toMatchObject({
      code: 1,
      failed: expect.arrayContaining(['orderIndependent']),
    });
    const pay = failed.find((i) => i.name === 'payBeforeCommit')!;
    expect(pay.reproducesInReplay).toBe(false);
    expect(linesOf(pay.counterexample!)[0]).toMatchObject({
      command: 'billsim verify --policies legacy --seed 1 --runs 1',
      reproducesInReplay: false,
    });
    expect((await cli('replay', pay.counterexample!, '--policies', 'legacy')).stdout).toContain(
      "payBeforeCommit (this counterexample's invariant) is not judged in a replay: reproduce it with billsim verify --policies legacy --seed 1 --runs 1",
    );
  });

  it('canary: fails; each counterexample is a small replay file that `billsim replay` fails on the same invariant, and target passes it', async () => {
    const r = await cli(
      'verify',
      '--policies',
      'canary',
      '--runs',
      '1',
      '--seed',
      '42',
      '--property-runs',
      '100',
      '--json',
      '--out-dir',
      join(dir, 'c'),
    );
    expect(r.code).toBe(1);
    const failed = failedOf(r.stdout);
    const names = failed.map((i) => i.name);
    expect(names).toContain('dunningOnSettledInvoice'); // found by the fault weather
    expect(names).toContain('agreesWithReferenceModel'); // found by the model-based property
    for (const inv of failed) await expectReproducible(inv);
    const text = await cli('replay', failed[0]!.counterexample!, '--policies', 'canary');
    expect(text.stdout).toMatch(new RegExp(`FAILED\\s+\\w+\\s+${failed[0]!.name}`));
  });
});

describe('billsim verify: store, bad input, determinism', () => {
  it('--db at a path that cannot hold a store: one line naming the flag and path, exit 2, before any batch runs', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'not a folder');
    const outDir = join(dir, 'never');
    const r = await cli(
      'verify',
      '--policies',
      'canary',
      '--runs',
      '1',
      '--property-runs',
      '5',
      '--out-dir',
      outDir,
      '--db',
      join(file, 'x.duckdb'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--db: .*plain-file\/x\.duckdb: cannot open or create the store/);
    expect(r.stdout).toBe('');
    expect(existsSync(outDir)).toBe(false);
  });

  it('--db stores the weather runs and one verify_results row per invariant', async () => {
    const db = join(dir, 'verify.duckdb');
    const r = await cli(
      'verify',
      '--policies',
      'canary',
      '--runs',
      '2',
      '--seed',
      '42',
      '--property-runs',
      '20',
      '--out-dir',
      join(dir, 'd'),
      '--db',
      db,
    );
    expect(r.code).toBe(1);
    const store = await openStore(db, { readOnly: true });
    try {
      const runs = await query(store, 'select run_id, seed from runs order by seed');
      expect(runs.map((x) => Number(x['seed']))).toEqual([42, 43]);
      expect(Number((await query(store, 'select count(*) as n from daily_kpis'))[0]!['n'])).toBeGreaterThan(0);
      const rows = await query(store, "select * from verify_results where invariant = 'dunningOnSettledInvoice'");
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        policies: 'canary',
        status: 'failed',
        class: 'convergence',
        reproduces_in_replay: true,
      });
      expect(runs.map((x) => x['run_id'])).toContain(rows[0]!['run_id']);
      expect(String(rows[0]!['counterexample'])).toMatch(/canary-dunningOnSettledInvoice\.jsonl$/);
      const passed = await query(store, "select count(*) as n from verify_results where status = 'passed'");
      expect(Number(passed[0]!['n'])).toBeGreaterThan(10);
    } finally {
      closeStore(store);
    }
    const exported = await cli('export', '--db', db, '--format', 'parquet', '-o', join(dir, 'pq'));
    expect(exported.code).toBe(0);
    expect(existsSync(join(dir, 'pq', 'verify_results.parquet'))).toBe(true);
  });

  it('bad input exits 2 with one line', async () => {
    const r = await cli('verify', '--runs', '0');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"object":"billsim.header","version":1,"seed":1}\n{"object":"event"}\n');
    const b = await cli('replay', bad);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain(`${bad}:2:`);
  });

  it('run --check-determinism prints both hashes and exits 0', async () => {
    const r = await cli('run', 'verify', '--check-determinism', '--seed', '5');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deterministic: both runs match');
  });
});
