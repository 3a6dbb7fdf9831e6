/**
 * The dunning-contact schedule: when the platform tells a customer that a
 * payment failed, and how (an email, an in-app notice), and when it stops.
 * It runs beside the retry schedule: the retries ask the card again, the
 * contacts ask the customer (to add a new card, or pay on the hosted page).
 * Pure: it reads the contacts already sent and the time of the first failure.
 */
import { z } from 'zod';
import { parseConfig } from '../config.js';
import { MS_PER_DAY } from '../types.js';

export const CONTACT_CHANNELS = ['email', 'in_app'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface ContactRecord {
  readonly atMs: number;
  readonly channel: ContactChannel;
}

export interface ContactInput {
  /** The invoice's first failed attempt. */
  readonly firstFailedAtMs: number;
  /** Contacts already sent about this invoice, oldest first. */
  readonly contacts: readonly ContactRecord[];
}

export type ContactDecision =
  { readonly kind: 'contact_at'; readonly atMs: number; readonly channel: ContactChannel } | { readonly kind: 'stop' };

export interface ContactSchedule {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>>;
  next(input: ContactInput): ContactDecision;
}

const contactStepSchema = z
  .object({
    /** Days after the first failure. */
    afterDays: z.number().min(0).max(120),
    channel: z.enum(CONTACT_CHANNELS),
  })
  .strict();

/**
 * A dunning cadence like Stripe's and Recurly's dunning emails: on the day of
 * the failure, a reminder a few days later, an in-app notice, a last notice
 * before service is cut (docs/recovery-model.md cites the sources).
 */
export const DEFAULT_CONTACT_STEPS: readonly z.infer<typeof contactStepSchema>[] = [
  { afterDays: 0, channel: 'email' },
  { afterDays: 3, channel: 'email' },
  { afterDays: 5, channel: 'in_app' },
  { afterDays: 7, channel: 'email' },
  { afterDays: 14, channel: 'email' },
];

export const contactCadenceSchema = z
  .object({
    /** The contacts, in order; each is sent unless the invoice is settled first. */
    steps: z
      .array(contactStepSchema)
      .max(50)
      .default([...DEFAULT_CONTACT_STEPS])
      .refine((steps) => steps.every((s, i) => i === 0 || s.afterDays >= steps[i - 1]!.afterDays), {
        message: 'steps must be in order of afterDays',
      }),
    /** No contact later than this many days after the first failure. */
    stopAfterDays: z.number().min(0).max(120).default(21),
  })
  .strict();
export type ContactCadenceInput = z.input<typeof contactCadenceSchema>;

export function contactCadence(input: ContactCadenceInput = {}): ContactSchedule {
  const config = parseConfig(contactCadenceSchema, 'contact-cadence', input);
  return {
    name: 'contact-cadence',
    params: { ...config },
    next({ firstFailedAtMs, contacts }) {
      const step = config.steps[contacts.length];
      if (step === undefined || step.afterDays > config.stopAfterDays) return { kind: 'stop' };
      return {
        kind: 'contact_at',
        atMs: firstFailedAtMs + Math.round(step.afterDays * MS_PER_DAY),
        channel: step.channel,
      };
    },
  };
}
