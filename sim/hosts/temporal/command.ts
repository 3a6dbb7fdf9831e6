/**
 * `billsim worker`: a Temporal worker for sweeps (and dunning, where the
 * process wires real dependencies). Start as many as you like, on any machines
 * that reach the Temporal frontend; `runSweepOnTemporal` hands them points.
 */
import type { Command } from 'commander';
import type { Io } from '../../lib/io.js';
import { parseWholeNumber, WORKERS_MAX } from '../../lib/args.js';
import { cannotConnect, DEFAULT_TASK_QUEUE, parseTemporalAddress } from './client.js';
import type { DunningDeps } from './activities.js';
import { STRIPE_API_URL } from './dunning-deps.js';
import type { SweepDeps } from './sweep-activities.js';

interface WorkerOptions {
  temporal: string;
  taskQueue: string;
  namespace: string;
  slots: string;
  dunning?: boolean;
  stripeApiKey?: string;
  stripeBaseUrl: string;
}

/** With --dunning: the dunning activities on Stripe (test mode), store writes and notifications as JSON lines on stdout. */
async function dunningDepsFor(opts: WorkerOptions, io: Io): Promise<DunningDeps | undefined> {
  if (opts.dunning !== true) return undefined;
  const { stripeDunningDeps, stripeTarget } = await import('./dunning-deps.js');
  return stripeDunningDeps(stripeTarget(opts.stripeApiKey ?? process.env.STRIPE_API_KEY, opts.stripeBaseUrl), io.out);
}

/** `sweepDeps`: how the worker runs a task, told whom to report each task to (the CLI runs each on a worker thread). */
export function registerTemporalCommands(
  program: Command,
  io: Io,
  sweepDeps: (onTask: NonNullable<SweepDeps['onTask']>) => SweepDeps,
): void {
  program
    .command('worker')
    .description(
      'run a Temporal worker that executes sweep points and run shards (one simulation per activity), and with --dunning dunning workflows, until stopped',
    )
    .requiredOption('--temporal <address>', 'Temporal frontend host:port, e.g. localhost:7233')
    .option('--task-queue <name>', 'task queue to poll', DEFAULT_TASK_QUEUE)
    .option('--namespace <name>', 'Temporal namespace', 'default')
    .option('--dunning', 'also run dunning workflows, their provider calls on Stripe (test mode)')
    .option('--stripe-api-key <key>', 'Stripe test-mode secret key for --dunning (default: $STRIPE_API_KEY)')
    .option('--stripe-base-url <url>', 'Stripe API origin for --dunning (stripe-mock in tests)', STRIPE_API_URL)
    .option('--slots <n>', 'tasks (sweep points, shards) this worker runs at once, each on a thread: one per core', '1')
    .action(async (opts: WorkerOptions) => {
      const activitySlots = parseWholeNumber('--slots', opts.slots, 1, WORKERS_MAX);
      const address = parseTemporalAddress(opts.temporal);
      const dunning = await dunningDepsFor(opts, io);
      // Temporal's worker library loads only here: it takes about half a second, and no other command needs it.
      const [{ NativeConnection }, { createWorker }] = await Promise.all([
        import('@temporalio/worker'),
        import('./worker.js'),
      ]);
      const connection = await NativeConnection.connect({ address }).catch((error: unknown) => {
        throw cannotConnect(address, error);
      });
      try {
        const worker = await createWorker({
          connection,
          taskQueue: opts.taskQueue,
          namespace: opts.namespace,
          activitySlots,
          sweep: sweepDeps((event, label) => io.err(`billsim worker: ${event} ${label}`)),
          ...(dunning !== undefined ? { dunning } : {}),
        });
        io.err(
          `billsim worker: polling task queue ${opts.taskQueue} on ${opts.temporal} (namespace ${opts.namespace}, ${activitySlots} slot(s)${dunning ? ', dunning on ' + opts.stripeBaseUrl : ''})`,
        );
        await worker.run();
      } finally {
        await connection.close();
      }
    });
}
