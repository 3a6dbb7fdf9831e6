/**
 * The observed-KPI file `billsim calibrate --observed` reads:
 *
 *   kpis:  { rollbacksPerDay: 196, badDebtFromUpgradesPerDay: 48, disagreeingAccounts: 691,
 *            invoiceCoverage: 0.19, dunningCodePaths: 5 }
 *   drift: { badDebtFlagWithoutWriteOff: 906, inconsistentDebtFlags: 625, noSuccessfulPaymentFlagStale: 633 }
 *   weights: { drift: 0.25 }      # optional: weight of each drift target relative to a KPI
 *   band: { tolerance: 0.15, weight: 25 }   # optional: extra penalty on a KPI outside ±tolerance
 *
 * Every field is optional but at least one target is required; drift keys are
 * the named invariants of sim/world/check/invariants.ts. Bad files fail with one
 * line naming file, line and field (exit 2).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { INVARIANT_NAMES } from '../../world/check/invariants.js';
import { InputError } from '../../lib/errors.js';
import { parseYaml, zodInputError } from '../../lib/yaml.js';

const count = z.number().min(0).max(1e9);

const kpisSchema = z
  .object({
    rollbacksPerDay: count.optional(),
    badDebtFromUpgradesPerDay: count.optional(),
    disagreeingAccounts: count.optional(),
    invoiceCoverage: z.number().min(0).max(1).optional(),
    dunningCodePaths: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

const invariantName = z.enum(INVARIANT_NAMES as [string, ...string[]]);

export const observedSchema = z
  .object({
    kpis: kpisSchema.default({}),
    drift: z.partialRecord(invariantName, count).default({}),
    weights: z
      .object({ kpi: z.number().min(0).max(100).default(1), drift: z.number().min(0).max(100).default(0.25) })
      .strict()
      .default({ kpi: 1, drift: 0.25 }),
    /**
     * A KPI further than `tolerance` (relative) from its observation adds
     * weight × (|sim/observed − 1| − tolerance)² to the loss: the requirement
     * "each figure within 15 %" made part of the objective.
     */
    band: z
      .object({ tolerance: z.number().min(0).max(10), weight: z.number().min(0).max(10_000) })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (Object.keys(o.kpis).length + Object.keys(o.drift).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['kpis'], message: 'give at least one observed KPI or drift count to fit' });
    }
  });

export type Observed = z.infer<typeof observedSchema>;
export type KpiName = keyof Observed['kpis'];

export function parseObservedText(text: string, path: string): Observed {
  const { value, lineOf } = parseYaml(text, path, 'observed KPIs');
  const result = observedSchema.safeParse(value);
  if (!result.success) throw zodInputError(result.error, path, lineOf);
  return result.data;
}

export function loadObservedFile(path: string): Observed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`${path}: cannot read the observed KPIs file`);
  }
  return parseObservedText(text, path);
}
