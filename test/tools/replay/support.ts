import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { targetPolicies } from '../../../policies/sets.js';
import type { PolicySet } from '../../../policies/sets.js';
import { Simulation } from '../../../sim/world/engine/simulation.js';
import { EventExporter, simulatedFinalStates } from '../../../sim/tools/replay/export.js';
import { replayStream, type FinalAccount } from '../../../sim/tools/replay/replay.js';
import type { PerturbSpec } from '../../../sim/tools/replay/perturb.js';
import { scenarioSchema } from '../../../sim/world/scenario/schema.js';
import { lifecycleSpec } from '../../../sim/tools/lifecycle/spec.js';

export const scratch = mkdtempSync(join(tmpdir(), 'billsim-replay-'));

/** Final states without the personal fields (they are checked apart). */
export function states(accounts: readonly FinalAccount[]): unknown[] {
  return accounts.map(({ email: _email, name: _name, ...rest }) => rest);
}

/** A small target run exported to a stream; returns the path and the run's final states. */
export function exportedRun(
  name: string,
  accounts = 400,
  days = 45,
  seed = 7,
): { path: string; final: FinalAccount[] } {
  const scenario = scenarioSchema.parse({ name, accounts, days });
  const sim = new Simulation(scenario, targetPolicies(), seed);
  const path = join(scratch, `${name}.jsonl`);
  const exporter = new EventExporter(path, sim.ctx.plans);
  sim.observeEvents(exporter);
  sim.run();
  exporter.finish(sim.ctx.endMs, seed, `test ${name}`);
  return { path, final: simulatedFinalStates(sim) };
}

export async function replay(
  path: string,
  policies: PolicySet,
  perturb: PerturbSpec | null = null,
  seed = 1,
): Promise<readonly FinalAccount[]> {
  return (
    await replayStream(path, { policies, lifecycle: lifecycleSpec(), seed, perturb, skipBad: false, settleMs: null })
  ).accounts;
}
