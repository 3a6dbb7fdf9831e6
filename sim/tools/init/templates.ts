/**
 * What `billsim init` writes: a small scenario, a policy file (the target
 * design, to edit), gate thresholds and a CI workflow that gates the policy
 * on every pull request. Each YAML's schema line is added by the command,
 * relative to where the file lands.
 */

export interface Template {
  /** Path relative to the folder init writes into. */
  readonly path: string;
  /** The schema file under scenarios/schemas/, for YAML files a user edits. */
  readonly schema: string | null;
  readonly text: string;
}

const SCENARIO = `# Your simulated world. Only accounts and days are required; every other field has a default
# and a bound (see docs/scenarios.md in the billsim package). Run it:
#   npx billsim run billsim/scenario.yaml --policies billsim/policy.yaml
name: my-world
description: A baseline-like world at CI size.
accounts: 2000
days: 45
settleDays: 5
webhooks:
  tailShare: 0.04 # share of deliveries delayed minutes to days
  duplicateRate: 0.03
`;

const POLICY = `# Your policy set: one policy per concern (see docs/policies.md in the billsim package).
# This is the target design; change a piece and gate it:
#   npx billsim gate billsim/scenario.yaml --policies billsim/policy.yaml --thresholds billsim/gate-thresholds.yaml
name: my-policy
description: The target design, to edit.
ordering: pay-before-commit
dunning: recompute
retry:
  schedule: reason-aware
ladder:
  name: graduated
`;

const THRESHOLDS = `# What must hold for the policy to ship, over the seeds: "[mean|min|max|ciLow|ciHigh] op number".
thresholds:
  disagreeingAccounts: ["== 0"]
  rollbacksPerDay: ["== 0"]
  invoiceCoverage: [">= 1"]
  recoveryRate: [">= 0.5"]
  networkRuleViolations: ["max == 0"]
  lifecycleViolations: ["max == 0"]
`;

const WORKFLOW = `# Gates the policy set on every pull request: exit 1 on a failed threshold, 2 on bad input,
# 4 when billsim itself fails. The summary shows on the run's page; JUnit is kept as an artifact.
name: billsim policy gate
on: [pull_request]
jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci --no-audit --no-fund
      - name: Gate the policy set
        run: >
          npx billsim gate billsim/scenario.yaml --policies billsim/policy.yaml
          --thresholds billsim/gate-thresholds.yaml --seeds 5
          --markdown "$GITHUB_STEP_SUMMARY" --junit billsim-gate.xml
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: billsim-gate
          path: billsim-gate.xml
`;

export const TEMPLATES: readonly Template[] = [
  { path: 'billsim/scenario.yaml', schema: 'scenario.schema.json', text: SCENARIO },
  { path: 'billsim/policy.yaml', schema: 'policy.schema.json', text: POLICY },
  { path: 'billsim/gate-thresholds.yaml', schema: 'thresholds.schema.json', text: THRESHOLDS },
  { path: '.github/workflows/billsim-gate.yml', schema: null, text: WORKFLOW },
];
