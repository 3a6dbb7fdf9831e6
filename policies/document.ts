/**
 * The policy document: a policy set as data. It is what a policy file says
 * (docs/policies.md), and what the built-in sets are (policies/sets.ts): one
 * choice per concern, each named (a piece of policies/catalog.ts with its
 * parameters beside the name) or defined (a ladder's states; a designer's own
 * module). Being plain JSON, it is what travels: to a shard's worker thread,
 * a sweep point, a Temporal activity. `policySetOf` turns it into the
 * PolicySet a run executes; a module piece is built by the caller, which
 * alone may load code.
 */
import { z } from 'zod';
import { LADDERS, RETRY_SCHEDULES, type BuildEnv, type CatalogEntry } from './catalog.js';
import { networkLimitsSchema, PolicyConfigError } from './config.js';
import type { ConsequenceLadder } from './consequences/ladder.js';
import { forgetfulComputeDiff } from './dunning/canary.js';
import { LEGACY_PROCESSORS, type LegacyProcessor } from './dunning/legacy.js';
import type { WebhookType } from './dunning/webhook.js';
import { DEFAULT_NETWORK_LIMITS } from './network-rules.js';
import { bySession } from './ordering/by-session.js';
import { commitThenPay } from './ordering/commit-then-pay.js';
import type { PaymentOrdering } from './ordering/ordering.js';
import { payBeforeCommit } from './ordering/pay-before-commit.js';
import type { RetrySchedule } from './retry/schedule.js';
import { contactCadence, type ContactSchedule } from './contact/cadence.js';
import type { ComputeDiff, DunningEngine, PolicySet } from './sets.js';

const modulePath = z.string().regex(/\.(m?js|m?ts)$/, 'a .js or .ts file, relative to the policy file');

export const retrySectionSchema = z
  .object({
    /** A schedule from the catalog (policies/catalog.ts); its parameters sit beside it. */
    schedule: z.string().min(1).optional(),
    /** Or a module exporting createRetrySchedule(params, env) (or a default export). */
    module: modulePath.optional(),
  })
  .catchall(z.unknown())
  .refine((r) => (r.schedule === undefined) !== (r.module === undefined), {
    message: 'give exactly one of `schedule` (a built-in name) or `module` (your own)',
  });

export const ladderSectionSchema = z
  .object({
    /** A built-in ladder's name (graduated, binary), or your ladder's name when `states` or `module` is given. */
    name: z.string().min(1).optional(),
    states: z.array(z.unknown()).optional(),
    module: modulePath.optional(),
  })
  .catchall(z.unknown())
  .refine((l) => !(l.states !== undefined && l.module !== undefined), {
    message: 'give `states` or `module`, not both',
  })
  .refine((l) => l.name !== undefined || l.states !== undefined || l.module !== undefined, {
    message: 'name a built-in ladder, or give `states` or `module`',
  });

/** The dunning-contact schedule (policies/contact/cadence.ts): `none`, or a cadence with its parameters beside it. */
export const contactSectionSchema = z.union([
  z.literal('none'),
  z.object({ schedule: z.literal('cadence') }).catchall(z.unknown()),
]);

const orderingName = z.enum(['commit-then-pay', 'pay-before-commit']);

/** One ordering for every flow, or one per channel with the off-session scope it already covers. */
export const orderingSchema = z.union([
  orderingName,
  z
    .object({
      onSession: orderingName,
      offSession: orderingName,
      offSessionScope: z.enum(['none', 'first-renewal', 'renewals', 'all']),
      outsideScope: orderingName,
    })
    .strict(),
]);

const processorName = z.enum(LEGACY_PROCESSORS.map((p) => p.codePath) as [string, ...string[]]);

/** The recompute engine, the legacy processors, or the engine with some legacy processors still writing beside it. */
export const dunningSchema = z.union([
  z.enum(['recompute', 'legacy-processors']),
  z
    .object({
      engine: z.enum(['recompute', 'legacy-processors', 'hybrid']),
      /** The legacy processors that run (legacy-processors: all unless listed; hybrid: those still writing). */
      processors: z.array(processorName).optional(),
      /** The recompute engine's step: `production`, or `forgetful`, which breaks an invariant on purpose (the canary). */
      computeDiff: z.enum(['production', 'forgetful']).default('production'),
      /** hybrid: the engine hears every event (`all`), or only the event types the legacy processors subscribe to (`legacy-subscriptions`). */
      engineEvents: z.enum(['all', 'legacy-subscriptions']).optional(),
    })
    .strict(),
]);

export const policyDocumentSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(80)
      .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    description: z.string().max(2000).default(''),
    ordering: orderingSchema.default('pay-before-commit'),
    /**
     * Stripe's payment_behavior on subscription updates under pay-before-commit: pending_if_incomplete
     * (the default: the change waits for its payment) or default_incomplete (applied at once, paid or not).
     */
    updatePaymentBehavior: z.enum(['pending_if_incomplete', 'default_incomplete']).optional(),
    dunning: dunningSchema.default('recompute'),
    /** The card-network limits in force; the built-in sets leave them at the defaults. */
    networkRules: networkLimitsSchema.optional(),
    retry: retrySectionSchema.default({ schedule: 'reason-aware' }),
    ladder: ladderSectionSchema.default({ name: 'graduated' }),
    /** When the platform emails or notifies the customer about a failed payment; absent: it never does. */
    contact: contactSectionSchema.optional(),
  })
  .strict();

/**
 * A policy set as data: a parsed policy file, or a built-in set. `source`
 * is the file it was read from, kept for error messages only (a worker names
 * the file and line of a field as the command would).
 */
export type PolicyDocument = z.infer<typeof policyDocumentSchema> & { readonly source?: string };
/** A policy document as written (defaults not yet applied). */
export type PolicyDocumentInput = z.input<typeof policyDocumentSchema>;

/** Builds the pieces a document takes from a designer's module; only the caller may load code. */
export interface ModulePieces {
  retry(modulePath: string, params: Record<string, unknown>, env: BuildEnv): RetrySchedule;
  ladder(modulePath: string, params: Record<string, unknown>, env: BuildEnv): ConsequenceLadder;
}

/** The policy set a document describes. A bad parameter is a PolicyConfigError naming its field from the document's top. */
export function policySetOf(document: PolicyDocument, modules: ModulePieces | null = null): PolicySet {
  const env: BuildEnv = { networkLimits: document.networkRules ?? DEFAULT_NETWORK_LIMITS };
  return {
    name: document.name,
    description: document.description,
    ordering: orderingOf(document.ordering, document.updatePaymentBehavior),
    dunning: dunningOf(document.dunning),
    retry: retryOf(document, env, modules),
    ladder: ladderOf(document, env, modules),
    ...(document.networkRules !== undefined ? { networkLimits: document.networkRules } : {}),
    ...contactOf(document.contact),
  };
}

type UpdateBehavior = PolicyDocument['updatePaymentBehavior'];

function contactOf(contact: PolicyDocument['contact']): { contact?: ContactSchedule } {
  if (contact === undefined || contact === 'none') return {};
  const { schedule: _schedule, ...params } = contact;
  try {
    return { contact: contactCadence(params) };
  } catch (error) {
    if (!(error instanceof PolicyConfigError)) throw error;
    throw new PolicyConfigError(error.owner, `contact.${error.field}`, error.reason);
  }
}

function orderingNamed(name: z.infer<typeof orderingName>, update: UpdateBehavior): PaymentOrdering {
  return name === 'pay-before-commit' ? payBeforeCommit(update) : commitThenPay();
}

function orderingOf(ordering: PolicyDocument['ordering'], update: UpdateBehavior): PaymentOrdering {
  if (typeof ordering === 'string') return orderingNamed(ordering, update);
  return bySession({
    onSession: orderingNamed(ordering.onSession, update),
    offSession: orderingNamed(ordering.offSession, undefined),
    offSessionScope: ordering.offSessionScope,
    outsideScope: orderingNamed(ordering.outsideScope, undefined),
  });
}

function processorsNamed(codePaths: readonly string[] | undefined): readonly LegacyProcessor[] {
  if (codePaths === undefined) return LEGACY_PROCESSORS;
  return codePaths.map((codePath) => LEGACY_PROCESSORS.find((p) => p.codePath === codePath)!);
}

function dunningOf(dunning: PolicyDocument['dunning']): DunningEngine {
  if (dunning === 'recompute') return { kind: 'recompute' };
  if (dunning === 'legacy-processors') return { kind: 'legacy-processors', processors: LEGACY_PROCESSORS };
  if (dunning.engine !== 'hybrid' && dunning.engineEvents !== undefined)
    throw new PolicyConfigError('dunning', 'dunning.engineEvents', 'only a hybrid engine routes events to its engine');
  if (dunning.engine === 'recompute') {
    const computeDiff: ComputeDiff | undefined = dunning.computeDiff === 'forgetful' ? forgetfulComputeDiff : undefined;
    return computeDiff === undefined ? { kind: 'recompute' } : { kind: 'recompute', computeDiff };
  }
  if (dunning.engine === 'hybrid' && (dunning.processors === undefined || dunning.processors.length === 0)) {
    throw new PolicyConfigError(
      'dunning',
      'dunning.processors',
      'a hybrid engine names the legacy processors still writing',
    );
  }
  const processors = processorsNamed(dunning.processors);
  if (dunning.engine === 'legacy-processors') return { kind: 'legacy-processors', processors };
  return { kind: 'hybrid', processors, engineEvents: engineEventsOf(dunning.engineEvents) };
}

/** The event types the hybrid's engine hears; null: all of them. */
function engineEventsOf(routing: 'all' | 'legacy-subscriptions' | undefined): readonly WebhookType[] | null {
  if (routing !== 'legacy-subscriptions') return null;
  return [...new Set(LEGACY_PROCESSORS.flatMap((p) => p.handles))];
}

/** Builds a catalog piece; a config error names the field under `section`. */
function built<T>(entry: CatalogEntry<T>, params: unknown, env: BuildEnv, section: string): T {
  try {
    return entry.create(params, env);
  } catch (error) {
    if (!(error instanceof PolicyConfigError)) throw error;
    throw new PolicyConfigError(error.owner, `${section}.${error.field}`, error.reason);
  }
}

function needModules(modules: ModulePieces | null, section: string): ModulePieces {
  if (modules === null)
    throw new PolicyConfigError(section, `${section}.module`, 'a module piece needs its module loaded first');
  return modules;
}

function retryOf(document: PolicyDocument, env: BuildEnv, modules: ModulePieces | null): RetrySchedule {
  const { schedule, module, ...params } = document.retry;
  if (module !== undefined) return needModules(modules, 'retry').retry(module, params, env);
  const entry = RETRY_SCHEDULES[schedule!];
  if (entry === undefined) {
    const known = Object.keys(RETRY_SCHEDULES).join(', ');
    throw new PolicyConfigError(
      'retry',
      'retry.schedule',
      `unknown schedule "${schedule}" (known: ${known}; or give module:)`,
    );
  }
  return built(entry, params, env, 'retry');
}

function ladderOf(document: PolicyDocument, env: BuildEnv, modules: ModulePieces | null): ConsequenceLadder {
  const { name, states, module, ...params } = document.ladder;
  if (module !== undefined) return needModules(modules, 'ladder').ladder(module, { name, ...params }, env);
  if (states !== undefined)
    return built(LADDERS.states!, { ...(name !== undefined ? { name } : {}), states, ...params }, env, 'ladder');
  const entry = name === 'states' ? undefined : LADDERS[name!];
  if (entry === undefined) {
    const reason = `unknown ladder "${name}" (built-in: graduated, binary; or give states: or module:)`;
    throw new PolicyConfigError('ladder', 'ladder.name', reason);
  }
  return built(entry, params, env, 'ladder');
}

/**
 * The document with every catalog piece's parameters written out, defaults
 * included, so that each one is a path a sweep can set (retry.retriesMax).
 * The network limits are written out too. Module pieces and a ladder's own
 * states stay as given.
 */
export function resolvedDocument(document: PolicyDocument): PolicyDocument {
  const { schedule, module: retryModule, ...retryParams } = document.retry;
  const retry =
    retryModule !== undefined || RETRY_SCHEDULES[schedule!] === undefined
      ? document.retry
      : { schedule, ...withDefaults(RETRY_SCHEDULES[schedule!]!, retryParams) };
  const { name, states, module: ladderModule, ...ladderParams } = document.ladder;
  const entry = name === undefined ? undefined : LADDERS[name];
  const ladder =
    states !== undefined || ladderModule !== undefined || entry === undefined
      ? document.ladder
      : { name, ...withDefaults(entry, ladderParams) };
  return { ...document, networkRules: document.networkRules ?? { ...DEFAULT_NETWORK_LIMITS }, retry, ladder };
}

function withDefaults(entry: CatalogEntry<unknown>, params: Record<string, unknown>): Record<string, unknown> {
  const parsed = entry.schema.safeParse(params);
  return parsed.success ? (JSON.parse(JSON.stringify(parsed.data)) as Record<string, unknown>) : params;
}
