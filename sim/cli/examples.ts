/**
 * An example for every command's --help (as Stripe's and k6's CLIs give
 * them), in one table so the vocabulary stays the same across commands.
 * A test checks that every command has one and that each names the command.
 */
import type { Command } from 'commander';

export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  run: [
    'billsim run baseline --policies legacy --seed 7',
    'billsim run scenarios/large.yaml --policies target --workers 4 --json > run.json',
    'billsim run baseline --policies target --db runs.duckdb --report report.html',
  ],
  demo: ['billsim demo', 'billsim demo --seed 3 -o demo.html'],
  calibrate: [
    'billsim calibrate scenarios/case-study-base.yaml --observed scenarios/case-study-observed.yaml --policies legacy -o calibrated.yaml',
  ],
  whatif: ['billsim whatif events.jsonl --policies target --seeds 5'],
  roadmap: ['billsim roadmap scenarios/case-study.yaml --seed 5'],
  sql: [
    'billsim sql "SELECT run_id, policies, recovery_rate FROM runs"',
    'billsim sql --db runs.duckdb --csv "SELECT * FROM daily_kpis"',
  ],
  export: ['billsim export -o parquet/', 'billsim export --db runs.duckdb --format parquet -o parquet/'],
  report: ['billsim report -o report.html', 'billsim report --db runs.duckdb --runs 1,2 -o report.html'],
  verify: ['billsim verify --policies target --runs 20', 'billsim verify --policies canary --seed 3 --json'],
  compare: [
    'billsim compare baseline --policies legacy,target --seeds 5',
    'billsim compare baseline --policies target,examples/policies/smart-retries.yaml --json',
  ],
  gate: [
    'billsim gate baseline --policies target --thresholds scenarios/gate-thresholds.yaml --junit gate.xml',
    'billsim gate baseline --policies policy.yaml --baseline baseline.json --tolerance recoveryRate=1% --json',
  ],
  sweep: ['billsim sweep baseline --policies target --vary retry.attemptsPerPaymentMethodMax=4,8 --seeds 3'],
  'policies list': ['billsim policies list'],
  'policies show': ['billsim policies show target', 'billsim policies show examples/policies/smart-retries.yaml'],
  'policies matrix': ['billsim policies matrix'],
  'policies check-rules': [
    'billsim policies check-rules legacy',
    'billsim policies check-rules examples/policies/smart-retries.yaml',
  ],
  'policies import-killbill': ['billsim policies import-killbill scenarios/killbill-overdue.xml -o killbill.yaml'],
  'lifecycle render': [
    'billsim lifecycle render -o lifecycle.svg',
    'billsim lifecycle render --format dot -o lifecycle.dot',
  ],
  replay: [
    'billsim replay scenarios/streams/sample.jsonl --policies target',
    'billsim replay events.jsonl --policies legacy --json',
  ],
  redact: ['billsim redact events.jsonl redacted.jsonl'],
  worker: ['billsim worker --temporal 127.0.0.1:7233 --task-queue billsim'],
  init: ['billsim init', 'billsim init my-billing-repo'],
};

/** The name a command is known by in EXAMPLES: its path below the program ("policies show"). */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent != null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Every leaf command below `program`. */
export function leafCommands(program: Command): Command[] {
  return program.commands.flatMap((c) => (c.commands.length > 0 ? leafCommands(c) : [c]));
}

/** Appends each command's examples to its --help. */
export function addExamples(program: Command): void {
  for (const command of leafCommands(program)) {
    const lines = EXAMPLES[commandPath(command)];
    if (lines !== undefined) command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
  }
}
