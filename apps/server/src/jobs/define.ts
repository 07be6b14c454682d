/**
 * A job kind, declared once beside the code that handles it: its queue name, the zod schema of
 * its data (checked when a job is sent and again when it runs) and its retry and expiry policy.
 *
 *   export const analyzeCallJob = defineJob({
 *     name: 'call.analyze',
 *     data: z.object({ organizationId: z.uuid(), callId: z.uuid() }),
 *     retryLimit: 5,
 *     retryDelaySeconds: 30,
 *     policy: 'exclusive', // one queued-or-running job per singletonKey (the call id)
 *   });
 */
import type { z } from 'zod';

/**
 * How jobs of one queue may coexist, per `singletonKey` (jobs without a key share the key ''):
 * - `standard`: no limit; `singletonKey` alone de-duplicates nothing.
 * - `exclusive`: at most one job queued or running (a second send returns null).
 * - `singleton`: at most one running; more may wait.
 * - `short`: at most one waiting; one may run meanwhile.
 */
export type JobPolicy = 'standard' | 'exclusive' | 'singleton' | 'short';

export interface JobDefinition<T> {
  /** Queue name: letters, digits, `_`, `-`, `.`, `/`. */
  readonly name: string;
  readonly data: z.ZodType<T>;
  /** Retries after the first attempt (default 3). */
  readonly retryLimit: number;
  /** Delay before the first retry, seconds (default 10). */
  readonly retryDelaySeconds: number;
  /** Double the delay on each retry, with jitter (default true). */
  readonly retryBackoff: boolean;
  /** Upper bound of a backed-off delay, seconds (default none). */
  readonly retryDelayMaxSeconds: number | undefined;
  /**
   * Longest one attempt may run, seconds (default 300). The handler's `signal` aborts then and
   * the attempt counts as failed; a process that died mid-job frees it after this long too.
   */
  readonly expireInSeconds: number;
  readonly policy: JobPolicy;
  /** How long finished jobs stay readable (`getJob`), seconds (default 7 days). */
  readonly keepSeconds: number;
}

export interface DefineJobOptions<S extends z.ZodType> {
  name: string;
  data: S;
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  retryDelayMaxSeconds?: number;
  expireInSeconds?: number;
  policy?: JobPolicy;
  keepSeconds?: number;
}

const NAME = /^[\w.\-/]{1,100}$/;
const DAY_SECONDS = 86_400;

/** Every definition made in this process; the queue creates their tables' rows when it starts. */
const defined = new Map<string, JobDefinition<unknown>>();

export function definedJobs(): JobDefinition<unknown>[] {
  return [...defined.values()];
}

export function defineJob<S extends z.ZodType>(options: DefineJobOptions<S>): JobDefinition<z.output<S>> {
  if (!NAME.test(options.name)) throw new Error(`invalid job name: ${options.name}`);
  const definition = {
    name: options.name,
    data: options.data as z.ZodType<z.output<S>>,
    retryLimit: options.retryLimit ?? 3,
    retryDelaySeconds: options.retryDelaySeconds ?? 10,
    retryBackoff: options.retryBackoff ?? true,
    retryDelayMaxSeconds: options.retryDelayMaxSeconds,
    expireInSeconds: options.expireInSeconds ?? 300,
    policy: options.policy ?? 'standard',
    keepSeconds: options.keepSeconds ?? 7 * DAY_SECONDS,
  };
  if (!(Number.isInteger(definition.retryLimit) && definition.retryLimit >= 0)) {
    throw new Error(`job ${options.name}: retryLimit must be a whole number ≥ 0`);
  }
  if (!(definition.expireInSeconds >= 1 && definition.retryDelaySeconds >= 0)) {
    throw new Error(`job ${options.name}: expireInSeconds must be ≥ 1 and retryDelaySeconds ≥ 0`);
  }
  if (defined.has(definition.name)) throw new Error(`job ${options.name} is defined twice`);
  const frozen = Object.freeze(definition);
  defined.set(frozen.name, frozen as JobDefinition<unknown>);
  return frozen;
}
