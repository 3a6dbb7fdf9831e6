/**
 * Scenarios embedded in the program, so `billsim demo` needs no file.
 * The same text ships as scenarios/baseline.yaml.
 */
export const BASELINE_YAML = `# The baseline world: 10,000 accounts for 90 days, with the documented
# defaults for everything the case study leaves open (see docs/scenarios.md).
name: baseline
description: Ten thousand accounts, a quarter of a year, production-like webhook weather.
accounts: 10000
days: 90
settleDays: 5
`;

/** The small world `billsim verify` runs each fault-weather seed in. */
export const VERIFY_YAML = `name: verify
description: A small world for fault-weather seeds (billsim verify).
accounts: 300
days: 60
settleDays: 5
`;

export const BUILT_IN_SCENARIOS: Readonly<Record<string, string>> = { baseline: BASELINE_YAML, verify: VERIFY_YAML };
