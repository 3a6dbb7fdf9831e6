/**
 * Client entry points: start a dunning workflow, send it webhooks, and run a
 * sweep on Temporal workers.
 */
import { randomUUID } from 'node:crypto';
import type { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { InputError, reasonOf } from '../../lib/errors.js';
import type { ShardJob } from '../../world/engine/job.js';
import type { ShardTally } from '../../world/engine/tally.js';
import type { RunResult } from '../../world/result.js';
import { taskIndexOf, type SweepTask } from './sweep-types.js';
import type { DunningInput, DunningSignal } from './types.js';
import type { dunningWorkflow } from './workflows.js';

export const DEFAULT_TASK_QUEUE = 'billsim';

export interface TemporalTarget {
  /** host:port of a Temporal frontend; or pass `client` (e.g. a TestWorkflowEnvironment's). */
  readonly address?: string;
  readonly client?: Client;
  readonly namespace?: string;
  readonly taskQueue?: string;
}

/** `--temporal host:port` (a name, an IPv4 address or a bracketed IPv6 one; port 1–65535): the address, or one InputError. */
export function parseTemporalAddress(text: string): string {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (match === null || port < 1 || port > 65_535)
    throw new InputError(`--temporal: "${text}" is not host:port (e.g. localhost:7233)`);
  return text;
}

/** A frontend that cannot be reached is the flag's fault: one line naming the address and why (exit 2). */
export function cannotConnect(address: string, error: unknown): InputError {
  return new InputError(`--temporal: ${address}: cannot connect (${reasonOf(error)})`);
}

/**
 * Temporal's client library, loaded on first use: it takes a few hundred ms to
 * load, and only the Temporal path needs it (`billsim run` and friends start
 * without it).
 */
async function temporalClient(): Promise<typeof import('@temporalio/client')> {
  return import('@temporalio/client');
}

/**
 * The largest gRPC message the client accepts: a page of history carries task
 * results (a baseline-sized RunResult is about half a megabyte), past gRPC's
 * default of 4 MB; Temporal's history limit is 50 MB.
 */
const HISTORY_MESSAGE_BYTES_MAX = 64 * 1024 * 1024;

/** Connects to a Temporal frontend, failing as cannotConnect says. */
async function connectTo(address: string): Promise<Connection> {
  const { Connection } = await temporalClient();
  try {
    return await Connection.connect({
      address: parseTemporalAddress(address),
      channelArgs: { 'grpc.max_receive_message_length': HISTORY_MESSAGE_BYTES_MAX },
    });
  } catch (error) {
    throw error instanceof InputError ? error : cannotConnect(address, error);
  }
}

/** Fails now, before a sweep opens its store, when the frontend cannot be reached. */
export async function checkReachable(address: string): Promise<void> {
  await (await connectTo(address)).close();
}

/** A client for the target, and how to let it go. */
async function clientFor(target: TemporalTarget): Promise<{ client: Client; close: () => Promise<void> }> {
  if (target.client !== undefined) return { client: target.client, close: async () => {} };
  if (target.address === undefined) throw new Error('temporal: give an address (host:port) or a client');
  const connection = await connectTo(target.address);
  const { Client } = await temporalClient();
  const client = new Client({ connection, ...(target.namespace !== undefined ? { namespace: target.namespace } : {}) });
  return { client, close: () => connection.close() };
}

/** The workflow id of an invoice's dunning: one execution per failed invoice. */
export function dunningWorkflowId(accountId: number, invoiceId: number): string {
  return `dunning-${accountId}-${invoiceId}`;
}

export async function startDunning(
  client: Client,
  input: DunningInput,
  taskQueue = DEFAULT_TASK_QUEUE,
  workflowId = dunningWorkflowId(input.snapshot.accountId, input.invoiceId),
): Promise<WorkflowHandle<typeof dunningWorkflow>> {
  return client.workflow.start<typeof dunningWorkflow>('dunningWorkflow', { args: [input], taskQueue, workflowId });
}

/** Deliver a webhook to a running dunning workflow. */
export async function sendWebhook(
  handle: WorkflowHandle<typeof dunningWorkflow>,
  signal: DunningSignal,
): Promise<void> {
  const { invoicePaidSignal, invoiceVoidedSignal, paymentMethodUpdatedSignal } = await import('./signals.js');
  if (signal.kind === 'invoice_paid') await handle.signal(invoicePaidSignal, signal);
  else if (signal.kind === 'invoice_voided') await handle.signal(invoiceVoidedSignal, signal);
  else await handle.signal(paymentMethodUpdatedSignal, signal);
}

export interface SweepOnTemporalOptions extends TemporalTarget {
  /** Tasks in flight at once; defaults to all of them (the workers' slots bound it anyway). */
  readonly inFlightMax?: number;
  readonly workflowId?: string;
}

/** How long a client keeps asking for a workflow's result while the frontend does not answer (a server restart). */
export const FRONTEND_OUTAGE_MAX_MS = 5 * 60_000;

/** gRPC's UNAVAILABLE and DEADLINE_EXCEEDED: the frontend is not answering now. */
const OUTAGE_CODES = new Set([14, 4]);

/** Whether an error (or one it was caused by) is an outage of the frontend rather than an answer. */
function isOutage(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | null; e; e = e.cause as typeof e) {
    if (typeof e.code === 'number' && OUTAGE_CODES.has(e.code)) return true;
    if (typeof e !== 'object') return false;
  }
  return false;
}

/**
 * A workflow's result (or history), asked again while the frontend is away:
 * the workflow's state is the server's (kept in its database), so after a
 * restart the same execution goes on and its result arrives here.
 */
async function survivingOutages<R>(ask: () => Promise<R>): Promise<R> {
  let outageSinceMs: number | null = null;
  for (;;) {
    try {
      return await ask();
    } catch (error) {
      if (!isOutage(error)) throw error;
      outageSinceMs ??= performance.now();
      if (performance.now() - outageSinceMs > FRONTEND_OUTAGE_MAX_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

/** The history's events the task results are read from (the client's fetchHistory shape, reduced). */
interface TaskEvent {
  eventId?: { toString(): string } | number | null;
  activityTaskScheduledEventAttributes?: { activityId?: string | null } | null;
  activityTaskCompletedEventAttributes?: {
    scheduledEventId?: { toString(): string } | number | null;
    result?: { payloads?: unknown[] | null } | null;
  } | null;
}

/** Each task's result, in task order, from its one ActivityTaskCompleted event (activity `task-<k>`). */
async function taskResults<R>(events: readonly TaskEvent[], count: number): Promise<R[]> {
  const { defaultPayloadConverter } = await temporalClient();
  const taskOfScheduled = new Map<string, number>();
  const results = new Array<R>(count);
  let found = 0;
  for (const event of events) {
    const activityId = event.activityTaskScheduledEventAttributes?.activityId;
    const k = activityId ? taskIndexOf(activityId) : null;
    if (k !== null) taskOfScheduled.set(String(event.eventId), k);
    const completed = event.activityTaskCompletedEventAttributes;
    const task = completed ? taskOfScheduled.get(String(completed.scheduledEventId)) : undefined;
    const payload = completed?.result?.payloads?.[0];
    if (task === undefined || payload === undefined) continue;
    results[task] = defaultPayloadConverter.fromPayload(payload as never) as R;
    found++;
  }
  if (found !== count) throw new Error(`temporal: ${found} task results in the history, expected ${count}`);
  return results;
}

/** Starts a workflow on the target, waits for it (through frontend outages) and reads its tasks' results. */
async function executeOnTemporal<R>(
  workflowType: string,
  input: unknown,
  options: SweepOnTemporalOptions,
  idPrefix: string,
): Promise<R[]> {
  const { client, close } = await clientFor(options);
  try {
    const handle = await client.workflow.start(workflowType, {
      args: [input],
      taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
      workflowId: options.workflowId ?? `${idPrefix}-${randomUUID()}`,
    });
    const count = (await survivingOutages(() => handle.result())) as number;
    const history = await survivingOutages(() => handle.fetchHistory());
    return await taskResults<R>((history.events ?? []) as TaskEvent[], count);
  } finally {
    await close();
  }
}

/**
 * Run sweep tasks as activities on whatever workers poll the task queue
 * (`billsim worker`) and return their RunResults in task order.
 */
export async function runSweepOnTemporal(
  tasks: readonly SweepTask[],
  options: SweepOnTemporalOptions,
): Promise<RunResult[]> {
  const input = { tasks, inFlightMax: options.inFlightMax ?? tasks.length };
  return executeOnTemporal<RunResult>('sweepWorkflow', input, options, 'sweep');
}

/** Run a run's shards as activities on the workers and return their tallies in shard order. */
export async function runShardsOnTemporal(
  shards: readonly ShardJob[],
  options: SweepOnTemporalOptions,
): Promise<ShardTally[]> {
  const input = { shards, inFlightMax: options.inFlightMax ?? shards.length };
  return executeOnTemporal<ShardTally>('shardedRunWorkflow', input, options, 'run');
}

/** Drop-in for sim/tools/sweep/pool.ts runTasks: the same jobs and callback (by job index), run on Temporal workers. */
export async function runTasksOnTemporal(
  tasks: readonly SweepTask[],
  options: SweepOnTemporalOptions,
  onResult: (index: number, run: RunResult) => Promise<void>,
): Promise<void> {
  if (tasks.length === 0) return;
  const runs = await runSweepOnTemporal(tasks, options);
  for (const [k, run] of runs.entries()) await onResult(k, run);
}
