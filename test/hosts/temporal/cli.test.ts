/**
 * `--temporal host:port` (billsim worker, billsim sweep): a malformed address
 * or a frontend nobody answers on is one line naming it, exit 2; a sweep finds
 * out before it opens its store. No server is needed: nothing listens on port 1.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTemporalAddress } from '../../../sim/hosts/temporal/client.js';
import { cli } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'billsim-temporal-cli-'));
const scenario = join(dir, 'tiny.yaml');
writeFileSync(scenario, 'name: tiny\naccounts: 20\ndays: 5\n');

describe('--temporal', () => {
  it('takes host:port, an IPv4 or bracketed IPv6 address, and refuses anything else', () => {
    for (const good of ['localhost:7233', '10.0.0.5:7233', '[::1]:7233', 'temporal-frontend.internal:443'])
      expect(parseTemporalAddress(good)).toBe(good);
    for (const bad of ['localhost', 'localhost:0', 'localhost:65536', ':7233', 'http://localhost:7233', 'a b:1']) {
      expect(() => parseTemporalAddress(bad)).toThrow(/--temporal: ".*" is not host:port/);
    }
  });

  it('worker: a malformed address or a refused connection is one line, exit 2', async () => {
    const malformed = await cli('worker', '--temporal', 'nohost');
    expect([malformed.code, malformed.stderr.trim()]).toEqual([
      2,
      'billsim: --temporal: "nohost" is not host:port (e.g. localhost:7233)',
    ]);
    const refused = await cli('worker', '--temporal', '127.0.0.1:1');
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^billsim: --temporal: 127\.0\.0\.1:1: cannot connect \(/),
    ]);
  });

  it('sweep: a malformed address is refused before the store is opened', async () => {
    const db = join(dir, 'sweep.duckdb');
    const r = await cli(
      'sweep',
      scenario,
      '--policies',
      'target',
      '--vary',
      'retry.attemptsPerPaymentMethodMax=4',
      '--temporal',
      'nohost',
      '--db',
      db,
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('billsim: --temporal: "nohost" is not host:port (e.g. localhost:7233)');
    expect(existsSync(db)).toBe(false);
  });

  it('run: a malformed address, or --temporal with a flag that records one event stream, is one line, exit 2', async () => {
    const malformed = await cli('run', scenario, '--temporal', 'nohost');
    expect([malformed.code, malformed.stderr.trim()]).toEqual([
      2,
      'billsim: --temporal: "nohost" is not host:port (e.g. localhost:7233)',
    ]);
    const oneStream = await cli('run', scenario, '--temporal', '127.0.0.1:1', '--db-events');
    expect([oneStream.code, oneStream.stderr.trim()]).toEqual([
      2,
      'billsim: --db-events: records one event stream, so it needs no --temporal',
    ]);
  });
});
