import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConsequenceLadder } from '../../../policies/consequences/ladder.js';
import { MS_PER_DAY } from '../../../policies/types.js';
import { main } from '../../../sim/cli/main.js';
import { runSimulation } from '../../../sim/world/engine/run.js';
import { importKillBillOverdue } from '../../../sim/tools/policies/killbill.js';
import { parsePolicyText } from '../../../sim/tools/policies/load.js';
import { lifecycleSpec } from '../../../sim/tools/lifecycle/spec.js';
import { smallBaseline } from '../../support/small.js';

const SAMPLE = readFileSync('scenarios/killbill-overdue.xml', 'utf8');
const options = { name: 'kb', retryDays: [8, 8, 8], source: 'overdue.xml' };

function overdue(states: string): string {
  return `<overdueConfig><accountOverdueStates>${states}</accountOverdueStates></overdueConfig>`;
}

describe('billsim policies import-killbill', () => {
  it("maps the sample's states, conditions and blocking flags, most severe first", async () => {
    const { yaml, warnings } = importKillBillOverdue(SAMPLE, options);
    const set = await parsePolicyText(yaml, 'kb.yaml');
    expect(set.ladder.states.map((s) => [s.name, s.when.daysOverdueMin, s.level, s.cancel ?? null])).toEqual([
      ['OD3', 30, 'cancel', 'immediately'],
      ['OD2', 14, 'suspend', null],
      ['OD1', 7, 'block_changes', null],
    ]);
    expect(set.retry.params).toMatchObject({ days: [8, 8, 8] });
    expect(warnings.join('\n')).toContain('initialReevaluationInterval');
    expect(warnings.filter((w) => w.includes('autoReevaluationInterval'))).toHaveLength(2);
  });

  it('names every element it cannot carry over, and maps the other conditions', async () => {
    const xml = overdue(`<state name="OD1"><condition>
      <numberOfUnpaidInvoicesEqualsOrExceeds>2</numberOfUnpaidInvoicesEqualsOrExceeds>
      <totalUnpaidInvoiceBalanceEqualsOrExceeds>12.50</totalUnpaidInvoiceBalanceEqualsOrExceeds>
      <responseForLastFailedPaymentIn><response>INSUFFICIENT_FUNDS</response><response>BANK_CLOSED</response></responseForLastFailedPaymentIn>
      <controlTagInclusion>AUTO_PAY_OFF</controlTagInclusion>
    </condition><subscriptionCancellationPolicy>END_OF_TERM</subscriptionCancellationPolicy><inventedFlag>1</inventedFlag></state>`);
    const { yaml, warnings } = importKillBillOverdue(xml, options);
    const state = (await parsePolicyText(yaml, 'kb.yaml')).ladder.states[0]!;
    expect(state.when).toEqual({ owedInvoicesMin: 2, owedCentsMin: 1250, lastDeclineIn: ['insufficient_funds'] });
    expect(state.cancel).toBe('end_of_term');
    const all = warnings.join('\n');
    for (const element of ['controlTagInclusion> (AUTO_PAY_OFF)', 'BANK_CLOSED', '<inventedFlag>'])
      expect(all).toContain(element);
  });

  it('rejects bad XML with its line, and a bad number with its state and field', () => {
    expect(() => importKillBillOverdue('<overdueConfig>\n<accountOverdueStates>\n</overdueConfig>', options)).toThrow(
      /^overdue\.xml:\d+: not valid XML/,
    );
    expect(() =>
      importKillBillOverdue(
        overdue(
          '<state name="OD1"><condition><numberOfUnpaidInvoicesEqualsOrExceeds>many</numberOfUnpaidInvoicesEqualsOrExceeds></condition></state>',
        ),
        options,
      ),
    ).toThrow('overdue.xml: state OD1: numberOfUnpaidInvoicesEqualsOrExceeds: "many"');
  });

  it('writes the file from the command line, warnings on stderr', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'billsim-kb-')), 'kb.yaml');
    let err = '';
    const code = await main(
      [
        'node',
        'billsim',
        'policies',
        'import-killbill',
        'scenarios/killbill-overdue.xml',
        '--retry-days',
        '4,6',
        '-o',
        out,
      ],
      {
        out: () => undefined,
        err: (t) => {
          err += `${t}\n`;
        },
      },
    );
    expect(code).toBe(0);
    expect(err).toContain('warning: scenarios/killbill-overdue.xml: state OD1: <autoReevaluationInterval>');
    expect((await parsePolicyText(readFileSync(out, 'utf8'), out)).retry.params).toMatchObject({ days: [4, 6] });
    expect(
      await main(
        [
          'node',
          'billsim',
          'policies',
          'import-killbill',
          'scenarios/killbill-overdue.xml',
          '--retry-days',
          '4,x',
          '-o',
          out,
        ],
        { out: () => undefined, err: () => undefined },
      ),
    ).toBe(2);
  });
});

describe('an imported Kill Bill configuration', () => {
  it('drives the simulator: an account reaches each imported state on the day its condition says', async () => {
    const set = await parsePolicyText(importKillBillOverdue(SAMPLE, options).yaml, 'kb.yaml');
    // Every renewal fails, no retry succeeds (the fixed-chance model at 0) and no customer acts, so each failed account walks down the ladder.
    const scenario = smallBaseline(
      1,
      60,
      'declines:\n  renewalFailureRate: 1\n  retrySuccess: { default: 0 }\nrecovery:\n  model: fixed-chance\ncustomers:\n  updateAfterFailureShare: 0\n  payOutOfBandShare: 0\n  upgradesPerAccountMonth: 0\n  paymentMethodUpdatesPerAccountMonth: 0\n  cardExpiryShare: 0\n  annualShare: 0\nfaults:\n  cfProdCallFailureRate: 0\n',
    );
    for (const seed of [1, 2, 3]) {
      const seen: [number, string][] = [];
      const ladder: ConsequenceLadder = {
        ...set.ladder,
        evaluate: (input) => {
          const d = set.ladder.evaluate(input);
          seen.push([input.nowMs, d.state]);
          return d;
        },
      };
      const r = runSimulation(scenario, { ...set, ladder }, seed, { lifecycle: lifecycleSpec() });
      const failedAtMs = r.invoices[0]!.firstFailedAtMs;
      const entered = (state: string) => seen.find(([, s]) => s === state)?.[0];
      for (const [state, days] of [
        ['OD1', 7],
        ['OD2', 14],
        ['OD3', 30],
      ] as const) {
        if (failedAtMs + days * MS_PER_DAY <= 60 * MS_PER_DAY)
          expect(entered(state), `seed ${seed} ${state}`).toBe(failedAtMs + days * MS_PER_DAY);
      }
      if (failedAtMs + 30 * MS_PER_DAY <= 60 * MS_PER_DAY) expect(r.recovery.involuntaryChurn).toBe(1);
      expect(r.lifecycle?.violations).toBe(0);
    }
  });
});
