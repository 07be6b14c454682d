/**
 * The durable job queue (`ctx.jobs`): pg-boss on the app's database. Jobs survive restarts, are
 * retried with backoff, and each is claimed by one worker across all processes (SKIP LOCKED).
 * Cron schedules fire once per occurrence however many processes run. See docs/jobs.md.
 *
 *   await ctx.jobs.send(analyzeCallJob, { organizationId, callId }, { singletonKey: callId });
 *   await ctx.jobs.work(analyzeCallJob, { concurrency: 2 }, async (job) => { … job.data.callId … });
 *   await ctx.jobs.schedule(retentionJob, '15 3 * * *', {}, { tz: 'UTC' });
 */
import type { Database, DbOrTx } from '@switchboard/db';
import type { Clock, JobResult, JobWithMetadata, PgBoss, SendOptions } from 'pg-boss';
import type { Logger } from '../context.ts';
import { createBoss, transactionDb } from './boss.ts';
import { definedJobs, type JobDefinition } from './define.ts';
import { type JobHandler, runJob } from './run-job.ts';
import { earliestRetryMs, sendDelayMs, WakeTimers } from './wake.ts';

/** How often an idle worker looks for due work when LISTEN/NOTIFY is unavailable, ms. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/**
 * With LISTEN/NOTIFY (the normal case), ms: sends wake workers, and this process wakes them when
 * its own deferred jobs and retries fall due (wake.ts), so polling is only a backstop.
 */
export const DEFAULT_BACKSTOP_INTERVAL_MS = 10_000;
const MIN_POLL_INTERVAL_MS = 500;
/** Most jobs of one kind a process runs at once. */
const MAX_CONCURRENCY = 50;

export interface JobQueueOptions {
  database: Database;
  log: Logger;
  /** Idle polling period without LISTEN/NOTIFY, ms (default 1000, at least 500). */
  pollIntervalMs?: number;
  /** Idle polling period with LISTEN/NOTIFY, ms (default 10000, at least `pollIntervalMs`). */
  backstopIntervalMs?: number;
  /** Tests only: pg-boss's `TestClock`. */
  clock?: Clock;
}

export interface SendJobOptions {
  /** Run no earlier than this. */
  startAfter?: Date;
  /** Run no earlier than this many seconds from now (database time). */
  delaySeconds?: number;
  /** With an `exclusive`/`singleton`/`short` policy: the key jobs are unique by. */
  singletonKey?: string;
  /** Overrides of the definition's policy for this job. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  /** Higher runs first (default 0). */
  priority?: number;
  /** Send inside this transaction: the job exists only if it commits. */
  tx?: DbOrTx;
}

export interface WorkOptions {
  /** Jobs of this kind this process runs at once (default 1). */
  concurrency?: number;
}

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface JobInfo {
  id: string;
  name: string;
  state: JobState;
  data: unknown;
  /** Retries used so far. */
  retryCount: number;
  /** The handler's result when completed; `{ name, message, stack? }` after a failure. */
  output: unknown;
  startAfter: Date;
  createdOn: Date;
  completedOn: Date | null;
}

export class JobQueue {
  readonly #options: JobQueueOptions;
  readonly #pollSeconds: number;
  readonly #backstopSeconds: number;
  #wake: WakeTimers | undefined;
  #boss: PgBoss | undefined;
  #starting: Promise<PgBoss> | undefined;
  #stopping: Promise<void> | undefined;
  /** Queues created in this process (createQueue is idempotent but costs a round trip). */
  readonly #queues = new Map<string, Promise<void>>();
  /** Names whose queue is known to exist (a send inside a transaction needs no other query). */
  readonly #ready = new Set<string>();

  constructor(options: JobQueueOptions) {
    this.#options = options;
    this.#pollSeconds =
      Math.max(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS) / 1000;
    this.#backstopSeconds = Math.max(
      (options.backstopIntervalMs ?? DEFAULT_BACKSTOP_INTERVAL_MS) / 1000,
      this.#pollSeconds,
    );
  }

  /** Installs or migrates the queue's tables on first use and starts maintenance and cron. Idempotent. */
  start(): Promise<PgBoss> {
    if (this.#stopping) return Promise.reject(new Error('job queue is stopped'));
    this.#starting ??= (async () => {
      const boss = createBoss(this.#options);
      boss.on('error', (error: Error & { queue?: string }) => {
        this.#options.log.error({ queue: error.queue, error: { message: error.message } }, 'job queue error');
      });
      boss.on('warning', (warning: { message: string }) => {
        this.#options.log.warn({ warning: warning.message }, 'job queue warning');
      });
      await boss.start();
      this.#boss = boss;
      this.#wake = new WakeTimers((workerId) => boss.notifyWorker(workerId));
      // Every job kind defined so far, so later sends (inside transactions too) find their queue.
      await Promise.all(definedJobs().map((definition) => this.#ensure(boss, definition)));
      return boss;
    })();
    return this.#starting;
  }

  get started(): boolean {
    return this.#boss !== undefined && !this.#stopping;
  }

  /**
   * Adds a job; resolves to its id, or null when the definition's policy refused it (a job with
   * the same `singletonKey` is already queued or running). Throws when `data` fails the schema.
   */
  async send<T>(definition: JobDefinition<T>, data: T, options: SendJobOptions = {}): Promise<string | null> {
    const parsed = definition.data.parse(data);
    if (options.tx && !this.#ready.has(definition.name) && this.#options.database.kind === 'pglite') {
      // The embedded database has one connection, held by the transaction: preparing the queue
      // now would wait for the transaction forever.
      throw new Error(
        `job queue: start it (ctx.jobs.start()) before sending "${definition.name}" inside a transaction`,
      );
    }
    const boss = await this.#queue(definition);
    const startAfter = options.startAfter ?? options.delaySeconds;
    const sendOptions: SendOptions = {
      ...(startAfter !== undefined ? { startAfter } : {}),
      ...(options.singletonKey !== undefined ? { singletonKey: options.singletonKey } : {}),
      ...(options.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
      ...(options.retryDelaySeconds !== undefined ? { retryDelay: options.retryDelaySeconds } : {}),
      ...(options.retryBackoff !== undefined ? { retryBackoff: options.retryBackoff } : {}),
      ...(options.expireInSeconds !== undefined ? { expireInSeconds: options.expireInSeconds } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.tx ? { db: transactionDb(options.tx) } : {}),
    };
    const id = await boss.send(definition.name, parsed as object, sendOptions);
    const delayMs = sendDelayMs(startAfter);
    if (id !== null && delayMs !== undefined) this.#wake?.after(definition.name, delayMs);
    return id;
  }

  /** Runs `handler` for each job of this kind, in this process, until `stop()`. */
  async work<T>(definition: JobDefinition<T>, options: WorkOptions, handler: JobHandler<T>): Promise<void> {
    const concurrency = options.concurrency ?? 1;
    if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= MAX_CONCURRENCY)) {
      throw new Error(`job ${definition.name}: concurrency must be 1–${MAX_CONCURRENCY}`);
    }
    const boss = await this.#queue(definition);
    const { log } = this.#options;
    const wakeRetry = (job: JobWithMetadata<unknown>, result: JobResult) => {
      const delayMs = result.status === 'failed' ? earliestRetryMs(job) : undefined;
      // pg-boss records the failure (and the retry's start) just after this returns: when the timer
      // fires, the recorded start says how much longer to wait.
      if (delayMs !== undefined)
        this.#wake?.after(definition.name, delayMs, () => this.#retryDueInMs(boss, definition.name, job.id));
      return result;
    };
    const workerId = await boss.work(
      definition.name,
      {
        localConcurrency: concurrency,
        batchSize: 1,
        includeMetadata: true,
        perJobResults: true,
        pollingIntervalSeconds: this.#pollSeconds,
        notifyPollingIntervalSeconds: this.#backstopSeconds,
      },
      (jobs: JobWithMetadata<unknown>[]) =>
        Promise.all(jobs.map(async (job) => wakeRetry(job, await runJob(definition, handler, job, log)))),
    );
    this.#wake?.addWorker(definition.name, workerId);
  }

  /**
   * Sends a job on a cron schedule (5 fields, minute resolution) in `tz` (default UTC). Stored in
   * the database: calling it again replaces the schedule, and each occurrence is sent once
   * whichever processes run.
   */
  async schedule<T>(
    definition: JobDefinition<T>,
    cron: string,
    data: T,
    options: { tz?: string; key?: string } = {},
  ): Promise<void> {
    const parsed = definition.data.parse(data);
    const boss = await this.#queue(definition);
    await boss.schedule(definition.name, cron, parsed as object, {
      tz: options.tz ?? 'UTC',
      ...(options.key ? { key: options.key } : {}),
    });
  }

  async unschedule<T>(definition: JobDefinition<T>, key?: string): Promise<void> {
    const boss = await this.#queue(definition);
    await boss.unschedule(definition.name, key);
  }

  /** A job's state and output, or null when unknown (or deleted after `keepSeconds`). */
  async getJob<T>(definition: JobDefinition<T>, id: string): Promise<JobInfo | null> {
    const boss = await this.#queue(definition);
    const job = await boss.getJobById(definition.name, id);
    if (!job) return null;
    return {
      id: job.id,
      name: job.name,
      state: job.state,
      data: job.data,
      retryCount: job.retryCount,
      output: job.output ?? null,
      startAfter: job.startAfter,
      createdOn: job.createdOn,
      completedOn: job.completedOn,
    };
  }

  /**
   * Stops fetching, waits up to `timeoutMs` for running handlers, then fails (for a retry) and
   * aborts those still running. Does not close the database. Idempotent.
   */
  stop({ timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<void> {
    this.#stopping ??= (async () => {
      const boss = await this.#starting?.catch(() => undefined);
      this.#wake?.stop();
      await boss?.stop({ graceful: true, timeout: timeoutMs, close: true });
    })();
    return this.#stopping;
  }

  /** Ms until a failed job's retry may start; undefined when there is nothing to wait for. */
  async #retryDueInMs(boss: PgBoss, name: string, id: string): Promise<number | undefined> {
    const job = await boss.getJobById(name, id);
    if (job?.state === 'retry') return job.startAfter.getTime() - Date.now();
    // Still `active`: the failure is not recorded yet (a busy database); look again shortly.
    return job?.state === 'active' ? 500 : undefined;
  }

  /** Starts the queue if needed and creates (or updates the policy of) the definition's queue. */
  async #queue<T>(definition: JobDefinition<T>): Promise<PgBoss> {
    const boss = await this.start();
    await this.#ensure(boss, definition);
    return boss;
  }

  #ensure<T>(boss: PgBoss, definition: JobDefinition<T>): Promise<void> {
    let ready = this.#queues.get(definition.name);
    if (!ready) {
      ready = ensureQueue(boss, definition).then(() => {
        this.#ready.add(definition.name);
      });
      this.#queues.set(definition.name, ready);
      ready.catch(() => this.#queues.delete(definition.name));
    }
    return ready;
  }
}

async function ensureQueue<T>(boss: PgBoss, definition: JobDefinition<T>): Promise<void> {
  const policy = {
    retryLimit: definition.retryLimit,
    retryDelay: definition.retryDelaySeconds,
    retryBackoff: definition.retryBackoff,
    ...(definition.retryDelayMaxSeconds !== undefined
      ? { retryDelayMax: definition.retryDelayMaxSeconds }
      : {}),
    expireInSeconds: definition.expireInSeconds,
    deleteAfterSeconds: definition.keepSeconds,
  };
  await boss.createQueue(definition.name, { ...policy, policy: definition.policy, notify: true });
  // createQueue leaves an existing queue as it was: bring its retry and expiry settings up to date.
  await boss.updateQueue(definition.name, { ...policy, notify: true });
}
