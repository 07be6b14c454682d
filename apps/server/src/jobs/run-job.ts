/**
 * One attempt of one job: validate its data, run the handler, turn the outcome into pg-boss's
 * per-job result (completed / failed → retried / deadletter → failed now) and log failures by
 * job name and id. The handler's error message is logged; it must not carry personal data.
 */
import type { JobResult, JobWithMetadata } from 'pg-boss';
import type { Logger } from '../context.ts';
import type { JobDefinition } from './define.ts';

export interface JobRun<T> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first attempt, 2 on the first retry, … */
  attempt: number;
  /** True when a failure of this attempt leaves no retries. */
  lastAttempt: boolean;
  /** Aborted when the attempt expires (`expireInSeconds`) or shutdown gives up waiting. */
  signal: AbortSignal;
  /** The queue's logger with `job` and `jobId` bound. */
  log: Logger;
}

/** Does the work. Resolve to complete the job (a plain object is stored as its output); throw to fail it. */
export type JobHandler<T> = (job: JobRun<T>) => Promise<unknown>;

/** Throw to fail a job now, without the retries left (the input can never succeed). */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/** What is stored as a failed attempt's output (readable through `getJob`). */
export interface JobFailureOutput {
  name: string;
  message: string;
  stack?: string;
}

export async function runJob<T>(
  definition: JobDefinition<T>,
  handler: JobHandler<T>,
  job: JobWithMetadata<unknown>,
  log: Logger,
): Promise<JobResult> {
  const attempt = job.retryCount + 1;
  const lastAttempt = job.retryCount >= job.retryLimit;
  const jobLog = log.child({ job: definition.name, jobId: job.id });
  const parsed = definition.data.safeParse(job.data);
  if (!parsed.success) {
    jobLog.error({ attempt }, 'job data does not match its schema; failed without retry');
    return {
      id: job.id,
      status: 'deadletter',
      output: failureOutput(new Error('job data does not match its schema')),
    };
  }
  try {
    const output = await handler({
      id: job.id,
      name: definition.name,
      data: parsed.data,
      attempt,
      lastAttempt,
      signal: job.signal,
      log: jobLog,
    });
    const stored = typeof output === 'object' && output !== null && !Array.isArray(output);
    return { id: job.id, status: 'completed', ...(stored ? { output } : {}) };
  } catch (error) {
    const permanent = error instanceof PermanentJobError;
    const final = permanent || lastAttempt;
    const summary = failureOutput(error);
    jobLog[final ? 'error' : 'warn'](
      { attempt, retryLimit: job.retryLimit, error: { name: summary.name, message: summary.message } },
      final ? 'job failed; no retries left' : 'job failed; it will be retried',
    );
    return { id: job.id, status: permanent ? 'deadletter' : 'failed', output: summary };
  }
}

function failureOutput(error: unknown): JobFailureOutput {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  }
  return { name: 'Error', message: String(error) };
}
