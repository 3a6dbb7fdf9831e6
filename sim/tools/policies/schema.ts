/**
 * The policy-file format: one choice per concern, each named (a built-in
 * piece from policies/catalog.ts, with its parameters beside the name) or
 * defined (a ladder's states; a custom module). Strict: a misspelt field is
 * an error. The pieces' own parameters are checked by their own schemas.
 */
import { z } from 'zod';
import { networkLimitsSchema } from '../../../policies/config.js';

const modulePath = z.string().regex(/\.(m?js|m?ts)$/, 'a .js or .ts file, relative to the policy file');

export const retrySectionSchema = z.object({
  /** A schedule from the catalog (policies/catalog.ts); its parameters sit beside it. */
  schedule: z.string().min(1).optional(),
  /** Or a module exporting createRetrySchedule(params, env) (or a default export). */
  module: modulePath.optional(),
}).catchall(z.unknown()).refine((r) => (r.schedule === undefined) !== (r.module === undefined), {
  message: 'give exactly one of `schedule` (a built-in name) or `module` (your own)',
});

export const ladderSectionSchema = z.object({
  /** A built-in ladder's name (graduated, binary), or your ladder's name when `states` or `module` is given. */
  name: z.string().min(1).optional(),
  states: z.array(z.unknown()).optional(),
  module: modulePath.optional(),
}).catchall(z.unknown()).refine((l) => !(l.states !== undefined && l.module !== undefined), {
  message: 'give `states` or `module`, not both',
}).refine((l) => l.name !== undefined || l.states !== undefined || l.module !== undefined, {
  message: 'name a built-in ladder, or give `states` or `module`',
});

export const policyFileSchema = z.object({
  name: z.string().min(1).max(80).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  description: z.string().max(2000).default(''),
  ordering: z.enum(['commit-then-pay', 'pay-before-commit']).default('pay-before-commit'),
  dunning: z.enum(['recompute', 'legacy-processors']).default('recompute'),
  /** The card-network limits in force: visaReattemptsMax30d 15, or 20 under the May 2025 rules. */
  networkRules: networkLimitsSchema.default({ visaReattemptsMax30d: 15, mcAttemptsMax30d: 35 }),
  retry: retrySectionSchema.default({ schedule: 'reason-aware' }),
  ladder: ladderSectionSchema.default({ name: 'graduated' }),
}).strict();

export type PolicyFile = z.infer<typeof policyFileSchema>;
