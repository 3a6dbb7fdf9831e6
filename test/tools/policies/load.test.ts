import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LADDERS, RETRY_SCHEDULES } from '../../../policies/catalog.js';
import { runSimulation } from '../../../sim/world/engine/run.js';
import { main } from '../../../sim/cli/main.js';
import { loadPolicyFile, parsePolicyText } from '../../../sim/tools/policies/load.js';
import { smallBaseline } from '../../support/small.js';

const dir = mkdtempSync(join(tmpdir(), 'billsim-policy-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await main(['node', 'billsim', ...argv], {
    out: (t) => {
      out += `${t}\n`;
    },
    err: (t) => {
      err += `${t}\n`;
    },
  });
  return { code, out, err };
}

describe('policy files', () => {
  it('names a built-in schedule and ladder with their parameters and network limits', async () => {
    const set = await parsePolicyText(
      'name: mine\nnetworkRules:\n  visaReattemptsMax30d: 20\nretry:\n  schedule: smart-retries\n  retriesMax: 5\nladder:\n  name: graduated\n  suspendAfterDays: 15\n',
      'mine.yaml',
    );
    expect(set.retry.params).toMatchObject({ retriesMax: 5, networkLimits: { visaReattemptsMax30d: 20 } });
    expect(set.networkLimits?.visaReattemptsMax30d).toBe(20);
    expect(set.ladder.states.find((s) => s.name === 'suspended')?.when.daysOverdueMin).toBe(15);
    expect(set.ordering.name).toBe('pay-before-commit');
  });

  it.each([
    ['name: x\nretry:\n  schedule: smart-retries\n  retriesMax: 0\n', /^p\.yaml:4: retry\.retriesMax: /],
    ['name: x\nretry:\n  schedule: smart-retrys\n', /^p\.yaml:3: retry\.schedule: unknown schedule "smart-retrys"/],
    ['name: x\nordering: pay-after\n', /^p\.yaml:2: ordering: /],
    ['name: x\nladdr: {}\n', /^p\.yaml:2: laddr: unknown field/],
    [
      'name: x\nladder:\n  name: graduated\n  suspendAfterDays: 3\n',
      /^p\.yaml:4: ladder\.suspendAfterDays: must be >= blockChangesAfterDays/,
    ],
    [
      'name: x\nladder:\n  states:\n    - name: a\n      when: { daysOverdue: 3 }\n      actions: [notify]\n',
      /^p\.yaml:5: ladder\.states\.0\.when\.daysOverdue: unknown field/,
    ],
    ['name: x\nnetworkRules:\n  visaReattemptsMax30d: -1\n', /^p\.yaml:3: networkRules\.visaReattemptsMax30d: /],
    [
      'name: x\ndunning:\n  engine: recompute\n  engineEvents: legacy-subscriptions\n',
      /^p\.yaml:4: dunning\.engineEvents: only a hybrid engine routes events to its engine/,
    ],
    [
      'name: x\ndunning:\n  engine: hybrid\n  processors: [legacy/first-payment]\n  engineEvents: some\n',
      /^p\.yaml:2: dunning: Invalid input/, // a union: the loader names the field the union sits at
    ],
    [
      'name: x\nordering:\n  onSession: pay-before-commit\n  offSession: pay-before-commit\n  offSessionScope: retries\n  outsideScope: commit-then-pay\n',
      /^p\.yaml:2: ordering: Invalid input/,
    ],
  ])('rejects bad input with file, line and field: %s', async (text, message) => {
    await expect(parsePolicyText(text, 'p.yaml')).rejects.toThrow(message);
  });

  it('loads a custom schedule from a .ts module and a .js module, and checks what they return', async () => {
    const ts = await loadPolicyFile('examples/policies/payday-plus.yaml');
    expect(ts.retry.name).toBe('payday-plus');
    file(
      'sched.mjs',
      'export function createRetrySchedule(p) { return { name: "every-day", params: p, next: (i) => ({ kind: "retry_at", atMs: i.attempts.at(-1).atMs + 86400000 }) }; }\n',
    );
    const js = await parsePolicyText('name: js\nretry:\n  module: ./sched.mjs\n  anything: 1\n', join(dir, 'js.yaml'));
    expect(js.retry).toMatchObject({ name: 'every-day', params: { anything: 1 } });
    file('bad.mjs', 'export default function () { return { name: "bad", next: () => ({ kind: "later" }) }; }\n');
    await expect(parsePolicyText('name: b\nretry:\n  module: ./bad.mjs\n', join(dir, 'b.yaml'))).rejects.toThrow(
      /b\.yaml:3: retry\.module: \.\/bad\.mjs: next\(\) returned \{"kind":"later"\}/,
    );
    await expect(parsePolicyText('name: m\nretry:\n  module: ./missing.mjs\n', join(dir, 'm.yaml'))).rejects.toThrow(
      /m\.yaml:3: retry\.module: \.\/missing\.mjs: no such file/,
    );
  });

  it('every shipped schedule and ladder loads and runs on a small copy of baseline', async () => {
    const scenario = smallBaseline(300, 30);
    for (const schedule of Object.keys(RETRY_SCHEDULES)) {
      for (const ladder of Object.keys(LADDERS).filter((l) => l !== 'states')) {
        const set = await parsePolicyText(
          `name: ${schedule}-${ladder}\nretry:\n  schedule: ${schedule}\nladder:\n  name: ${ladder}\n`,
          'shipped.yaml',
        );
        const r = runSimulation(scenario, set, 7);
        expect(r.kpis.disagreeingAccounts, `${schedule} × ${ladder}`).toBe(0);
        expect(r.recovery.failedInvoices).toBeGreaterThan(0);
        if (schedule !== 'fixed-cadence') expect(r.recovery.networkRuleViolations, schedule).toBe(0);
      }
    }
    const states = await loadPolicyFile('examples/policies/payday-plus.yaml');
    expect(runSimulation(scenario, states, 7).kpis.disagreeingAccounts).toBe(0);
  });

  it('runs from the command line, and bad input exits 2 with one line', async () => {
    const scenario = file('small.yaml', 'name: small\naccounts: 200\ndays: 20\nsettleDays: 4\n');
    const ok = await cli('run', scenario, '--policies', 'examples/policies/smart-retries.yaml', '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ policies: 'smart-retries', lifecycle: { violations: 0 } });
    const bad = file('bad.yaml', 'name: x\nretry:\n  schedule: nope\n');
    const r = await cli('policies', 'show', bad);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('bad.yaml:3: retry.schedule');
    expect((await cli('policies', 'list')).out).toContain('payday-aware');
    expect((await cli('policies', 'show', 'killbill-days')).out).toContain('days = [8,8,8]');
    expect((await cli('policies', 'matrix')).out).toContain('request_authentication → awaiting_payment_method');
  });
});

describe('a policy module during the run', () => {
  it('a module that passes the probe but throws or answers NaN later in the run is named by file, line and field, exit 2', async () => {
    const later = (answer: string): string =>
      'let calls = 0;\nexport function createRetrySchedule() {\n' +
      `  return { name: "later", params: {}, next: (i) => (++calls > 1 ? ${answer} : { kind: "retry_at", atMs: i.nowMs + 3600000 }) };\n}\n`;
    file('throws-later.mjs', later('(() => { throw new Error("ran out of ideas"); })()'));
    file('nan-later.mjs', later('{ kind: "retry_at", atMs: NaN }'));
    const scenario = file('fails.yaml', 'accounts: 200\ndays: 20\ndeclines:\n  renewalFailureRate: 0.5\n');
    for (const [module, message] of [
      ['throws-later', /: ran out of ideas$/],
      ['nan-later', /: next\(\) returned retry_at NaN: not a finite time in ms$/],
    ] as const) {
      const policy = file(`${module}.yaml`, `name: ${module}\nretry:\n  module: ./${module}.mjs\n`);
      const r = await cli('run', scenario, '--policies', policy);
      expect(r.code).toBe(2);
      const lines = r.err.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`${policy}:3: retry.module: ./${module}.mjs`);
      expect(lines[0]).toMatch(message);
    }
  });
});
