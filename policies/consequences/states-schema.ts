/**
 * A ladder written as data (a policy file's `ladder.states`, an imported
 * Kill Bill overdue.xml): states most severe first, each with its conditions
 * and its actions.
 */
import { z } from 'zod';
import { parseConfig } from '../config.js';
import { declineCodeSchema } from '../decline-codes.js';
import { LADDER_ACTIONS, stateFromActions } from './actions.js';
import { ladder, type ConsequenceLadder } from './ladder.js';

export const conditionSchema = z
  .object({
    /** Days since the oldest owed invoice first failed. */
    daysOverdueMin: z.number().min(0).max(3660).optional(),
    owedCentsMin: z.number().int().min(0).optional(),
    owedInvoicesMin: z.number().int().min(1).optional(),
    lastDeclineIn: z.array(declineCodeSchema).min(1).optional(),
    retriesExhausted: z.boolean().optional(),
    writtenOff: z.boolean().optional(),
  })
  .strict();

export const stateSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(60)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    when: conditionSchema.default({}),
    actions: z.array(z.enum(LADDER_ACTIONS)).min(1),
    message: z.string().max(500).optional(),
  })
  .strict();

export const statesLadderSchema = z
  .object({
    name: z.string().min(1).max(60).default('custom'),
    states: z
      .array(stateSchema)
      .min(1)
      .max(50)
      .superRefine((states, ctx) => {
        const seen = new Set<string>();
        states.forEach((s, k) => {
          if (seen.has(s.name))
            ctx.addIssue({ code: 'custom', path: [k, 'name'], message: `state ${s.name} is listed twice` });
          seen.add(s.name);
          if (s.actions.includes('cancel_immediately') && s.actions.includes('cancel_at_term_end')) {
            ctx.addIssue({
              code: 'custom',
              path: [k, 'actions'],
              message: 'cancel_immediately and cancel_at_term_end exclude each other',
            });
          }
        });
      }),
  })
  .strict();
export type StatesLadderInput = z.input<typeof statesLadderSchema>;

/** A ladder from states written as actions, most severe first. */
export function statesLadder(input: StatesLadderInput): ConsequenceLadder {
  const config = parseConfig(statesLadderSchema, 'ladder', input);
  return ladder(
    config.name,
    config.states.map((s) => stateFromActions(s)),
  );
}
