import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { builtCli } from '../../support/cli.js';
import { parse } from 'yaml';

const billsim = builtCli;

function validates(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const schemaPath = resolve(dirname(path), /^# yaml-language-server: \$schema=(\S+)/.exec(text)![1]!);
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  return validate(parse(text)) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('billsim init', () => {
  it('scaffolds a scenario, policy file, thresholds and workflow that validate and gate green', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billsim-init-'));
    const r = await billsim(['init', dir]);
    expect(r.code).toBe(0);
    for (const file of ['scenario.yaml', 'policy.yaml', 'gate-thresholds.yaml'])
      expect(validates(join(dir, 'billsim', file))).toEqual([]);
    const workflow = parse(readFileSync(join(dir, '.github/workflows/billsim-gate.yml'), 'utf8')) as {
      jobs: { gate: { steps: { run?: string }[] } };
    };
    expect(workflow.jobs.gate.steps.some((s) => s.run?.includes('billsim gate billsim/scenario.yaml'))).toBe(true);
    const gate = await billsim([
      'gate',
      join(dir, 'billsim/scenario.yaml'),
      '--policies',
      join(dir, 'billsim/policy.yaml'),
      '--thresholds',
      join(dir, 'billsim/gate-thresholds.yaml'),
      '--seeds',
      '2',
    ]);
    expect(gate.code).toBe(0);
    expect(gate.out).toContain('PASS');
  });

  it('never overwrites: one existing file makes it exit 2 and write nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'billsim-init-'));
    mkdirSync(join(dir, 'billsim'));
    writeFileSync(join(dir, 'billsim', 'policy.yaml'), 'mine\n');
    const r = await billsim(['init', dir]);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(
      `billsim: ${join(dir, 'billsim', 'policy.yaml')}: already exists; billsim init never overwrites a file`,
    );
    expect(readdirSync(join(dir, 'billsim'))).toEqual(['policy.yaml']);
    expect(readFileSync(join(dir, 'billsim', 'policy.yaml'), 'utf8')).toBe('mine\n');
  });
});
