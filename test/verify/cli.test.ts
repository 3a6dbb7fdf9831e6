import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../sim/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'billsim-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = '', err = '';
  process.exitCode = undefined;
  const code = await main(['node', 'billsim', ...args], { out: (t) => { out += `${t}\n`; }, err: (t) => { err += `${t}\n`; } });
  process.exitCode = undefined;
  return { out, err, code };
}

interface Inv { name: string; status: string; counterexample: string | null; class: string }

describe('billsim verify', () => {
  it('target: every invariant holds (exit 0); the weather is printed first', async () => {
    const r = await cli('verify', '--policies', 'target', '--runs', '2', '--property-runs', '30', '--json', '--out-dir', join(dir, 't'));
    expect(r.code).toBe(0);
    expect(r.err.indexOf('weather:')).toBeGreaterThanOrEqual(0);
    const inv = JSON.parse(r.out).invariants as Inv[];
    expect(inv.every((i) => i.status === 'passed')).toBe(true);
  });

  it('legacy: fails convergence and names the invariant (exit 1)', async () => {
    const r = await cli('verify', '--policies', 'legacy', '--runs', '1', '--property-runs', '40', '--json', '--out-dir', join(dir, 'l'));
    expect(r.code).toBe(1);
    const failed = (JSON.parse(r.out).invariants as Inv[]).filter((i) => i.status === 'failed');
    expect(failed.map((i) => i.name)).toContain('orderIndependent');
    expect(failed.map((i) => i.name)).toContain('payBeforeCommit');
    expect(failed.some((i) => i.class === 'convergence')).toBe(true);
  });

  it('canary: fails, points to a small counterexample that replays to the same failure', async () => {
    const r = await cli('verify', '--policies', 'canary', '--runs', '1', '--seed', '42', '--property-runs', '200', '--out-dir', join(dir, 'c'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED\s+convergence\s+agreesWithReferenceModel\s+counterexample: (\S+)/);
    const file = /FAILED\s+convergence\s+agreesWithReferenceModel\s+counterexample: (\S+)/.exec(r.out)![1]!;
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(7);
    expect(JSON.parse(lines[0]!)).toMatchObject({ object: 'billsim.header', policies: 'canary', invariant: 'agreesWithReferenceModel' });
    const replay = await cli('verify', '--replay', file);
    expect(replay.code).toBe(1);
    expect(replay.out).toContain('agreesWithReferenceModel');
    const weatherFile = /FAILED\s+convergence\s+dunningOnSettledInvoice\s+counterexample: (\S+)/.exec(r.out)![1]!;
    expect((await cli('verify', '--replay', weatherFile)).out).toContain('dunningOnSettledInvoice');
  });

  it('bad input exits 2 with one line', async () => {
    const r = await cli('verify', '--runs', '0');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    const bad = join(dir, 'bad.jsonl');
    (await import('node:fs')).writeFileSync(bad, '{"object":"billsim.header","seed":1,"policies":"target","command":"x"}\n{"object":"event"}\n');
    const b = await cli('verify', '--replay', bad);
    expect(b.code).toBe(2);
    expect(b.err).toContain(`${bad}:2:`);
  });

  it('run --check-determinism prints both hashes and exits 0', async () => {
    const r = await cli('run', 'verify', '--check-determinism', '--seed', '5');
    expect(r.code).toBe(0);
    expect(r.out).toContain('deterministic: both runs match');
  });
});
