import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../support/cli.js';
import { exportedRun, scratch } from './support.js';

const run = exportedRun('cli', 300, 30);
const good = readFileSync(run.path, 'utf8')
  .split('\n')
  .filter((l) => l !== '');

function streamWith(name: string, badLine: string): string {
  const path = join(scratch, `${name}.jsonl`);
  writeFileSync(path, [...good.slice(0, 5), badLine, ...good.slice(5)].join('\n') + '\n');
  return path;
}

const event = JSON.parse(good[3]!) as Record<string, unknown>;
/** The first recorded event of a type, with `fields` set on its object. */
function recordedWith(type: string, fields: Record<string, unknown>): string {
  const found = JSON.parse(good.find((l) => l.includes(`"type":"${type}`))!) as {
    data: { object: Record<string, unknown> };
  };
  return JSON.stringify({ ...found, data: { object: { ...found.data.object, ...fields } } });
}
const BAD_LINES: readonly [string, string, RegExp][] = [
  ['not JSON', '{"id": "evt_x", oops', /:6: not valid JSON/],
  ['not an event', JSON.stringify({ object: 'customer', id: 'cus_1' }), /:6: not a Stripe event/],
  ['no data.object', JSON.stringify({ ...event, data: {} }), /:6: data\.object: missing/],
  [
    'created of the wrong type',
    JSON.stringify({ ...event, created: '2025-01-01' }),
    /:6: created: expected integer seconds/,
  ],
  [
    'an invoice amount that is not whole cents',
    recordedWith('invoice.', { amount_due: 'lots' }),
    /:6: data\.object\.amount_due: expected whole cents/,
  ],
  [
    'an invoice status Stripe never sends',
    recordedWith('invoice.', { status: 'weird' }),
    /:6: data\.object\.status: expected draft, open/,
  ],
  [
    'a charge without its creation time',
    recordedWith('charge.', { created: null }),
    /:6: data\.object\.created: expected integer seconds/,
  ],
];

/** `billsim replay <path> --json` refuses the file: exit 2, nothing on stdout, one stderr line naming it and matching `message`. */
async function expectRefused(path: string, message: RegExp): Promise<void> {
  const r = await cli('replay', path, '--json');
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(path);
  expect(r.stderr).toMatch(message);
}

describe('billsim replay: bad input', () => {
  for (const [what, line, message] of BAD_LINES) {
    it(`${what}: one line naming file and line, exit 2, nothing on stdout; --skip-bad counts and skips it`, async () => {
      const path = streamWith(what.replace(/\W+/g, '-'), line);
      await expectRefused(path, message);
      const skipped = await cli('replay', path, '--json', '--skip-bad');
      expect(skipped.code).toBe(0);
      expect(JSON.parse(skipped.stdout).skippedLines).toBe(1);
    });
  }

  const header = JSON.parse(good[0]!) as Record<string, unknown>;
  const BAD_HEADERS: readonly [string, Record<string, unknown>, RegExp][] = [
    ['settleMs not a number', { settleMs: 'abc' }, /:1: header\.settleMs: expected whole milliseconds/],
    ['settleMs negative', { settleMs: -5 }, /:1: header\.settleMs: expected whole milliseconds/],
    ['settleMs past 730 days', { settleMs: 1e30 }, /:1: header\.settleMs: expected whole milliseconds/],
    ['seed not an integer', { seed: 'x' }, /:1: header\.seed: expected an integer/],
    ['invariant not a string', { invariant: 42 }, /:1: header\.invariant: expected a string/],
  ];
  for (const [what, fields, message] of BAD_HEADERS) {
    it(`a header whose ${what}: one line naming file, line 1 and the field, exit 2`, async () => {
      const path = join(scratch, `header-${what.replace(/\W+/g, '-')}.jsonl`);
      writeFileSync(path, [JSON.stringify({ ...header, ...fields }), ...good.slice(1)].join('\n') + '\n');
      await expectRefused(path, message);
    });
  }

  it('--export-events to a path that cannot be written: one line naming it, exit 2, no temp file', async () => {
    const file = join(scratch, 'plain-file');
    writeFileSync(file, 'not a folder');
    const r = await cli('run', 'baseline', '--seed', '7', '--export-events', join(file, 'x.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stdout).not.toMatch(/KPI/);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(
      /plain-file\/x\.jsonl: cannot write the file \(.*plain-file is a file, not a folder/,
    );
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });

  it('--export-events or redact into an existing folder: one line naming it, exit 2, before the run, no temp file', async () => {
    const folder = join(scratch, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const scenario = join(scratch, 'export-small.yaml');
    writeFileSync(scenario, 'name: export-small\naccounts: 50\ndays: 10\n');
    for (const args of [
      ['run', scenario, '--export-events', folder],
      ['redact', run.path, folder],
    ]) {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.stdout).not.toMatch(/rollbacks per day/);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/a-folder: cannot write the file/)]);
      expect(readdirSync(scratch).filter((name) => name.startsWith('a-folder.'))).toEqual([]);
    }
  });

  it('a bad --perturb spec is an input error', async () => {
    const r = await cli('replay', run.path, '--perturb', 'late=2:1h');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--perturb: late/);
    for (const [spec, message] of [
      ['dup=0.1,dup=0.2', '--perturb: dup given twice'],
      [' , ', '--perturb: " , " names no part'],
    ] as const) {
      const bad = await cli('replay', run.path, '--perturb', spec);
      expect(bad.code).toBe(2);
      expect(bad.stderr.trim()).toMatch(new RegExp(`^billsim: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });
});

describe('billsim replay --json and billsim redact', () => {
  it('prints one object with accounts, kpis and ignoredEventTypes; personal data redacted unless --keep-pii', async () => {
    const r = await cli('replay', run.path, '--json', '--policies', 'target');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.kpis.disagreeingAccounts).toBe(0);
    expect(out.ignoredEventTypes).toEqual({});
    expect(out.accounts).toHaveLength(300);
    const a = out.accounts[0];
    for (const key of ['customer', 'invoices', 'inDunning', 'restricted', 'subscriptionStatus'])
      expect(a).toHaveProperty(key);
    expect(a.email).toMatch(/@redacted\.invalid$/);
    const kept = JSON.parse((await cli('replay', run.path, '--json', '--keep-pii')).stdout);
    expect(kept.accounts[0].email).toMatch(/@example\.com$/);
  });

  it('lists event types that do not drive the replay', async () => {
    const path = join(scratch, 'with-payout.jsonl');
    const payout = {
      id: 'evt_po',
      object: 'event',
      type: 'payout.paid',
      created: 1735689700,
      data: { object: { id: 'po_1', object: 'payout' } },
    };
    writeFileSync(path, [...good, JSON.stringify(payout)].join('\n') + '\n');
    const out = JSON.parse((await cli('replay', path, '--json')).stdout);
    expect(out.ignoredEventTypes).toEqual({ 'payout.paid': 1 });
  });

  it('redact replaces emails, names, addresses, phones and fingerprints with stable pseudonyms', async () => {
    const out = join(scratch, 'redacted.jsonl');
    const r = await cli('redact', run.path, out);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/@example\.com|Main St|\+1555|"fingerprint":"fp[0-9a-z]+"/);
    const original = readFileSync(run.path, 'utf8');
    const email = /"email":"([^"]+)"/.exec(original)![1]!;
    const mentions = original.split(`"${email}"`).length - 1;
    const pseudonym = /"email":"([^"]+)"/.exec(text)![1]!;
    expect(mentions).toBeGreaterThan(1);
    expect(text.split(`"${pseudonym}"`).length - 1).toBe(mentions);
    const again = join(scratch, 'redacted-again.jsonl');
    await cli('redact', run.path, again);
    expect(readFileSync(again, 'utf8')).toBe(text);
    expect((await cli('replay', out, '--json')).code).toBe(0);
  });

  it('redact of a folder with no events is bad input, as replay says, and writes nothing', async () => {
    const empty = join(scratch, 'empty-stream');
    mkdirSync(empty, { recursive: true });
    const out = join(scratch, 'never-empty.jsonl');
    const r = await cli('redact', empty, out);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`billsim: ${empty}: no Stripe events to redact`);
    expect(existsSync(out)).toBe(false);
  });

  it('redact of a bad stream exits 2 and writes nothing', async () => {
    const out = join(scratch, 'never.jsonl');
    const r = await cli('redact', streamWith('redact-bad', 'nope'), out);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
