/**
 * Retention as a durable daily job (docs/jobs.md): `privacy.retention` runs
 * enforce-retention.ts for every organization with a retention setting. The schedule (03:15 UTC
 * every day) is declared by every process; the queue fires each occurrence once across processes,
 * and `singleton` keeps two runs from overlapping. The work is idempotent, so a retried attempt
 * removes only what is still due.
 */
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { defineJob } from '../jobs/define.ts';
import type { JobRun } from '../jobs/run-job.ts';
import { enforceRetentionEverywhere } from './enforce-retention.ts';

export const RETENTION_CRON = '15 3 * * *';

export const retentionJob = defineJob({
  name: 'privacy.retention',
  data: z.object({}),
  retryLimit: 3,
  retryDelaySeconds: 300,
  expireInSeconds: 3_600,
  policy: 'singleton',
});

export async function runRetention(
  ctx: Pick<AppContext, 'db' | 'clock' | 'config'>,
  job: Pick<JobRun<unknown>, 'log'>,
): Promise<{ organizations: number }> {
  const reports = await enforceRetentionEverywhere({
    db: ctx.db,
    log: job.log,
    clock: ctx.clock,
    dataDir: ctx.config.dataDir,
  });
  job.log.info({ organizations: reports.length }, 'retention enforced');
  return { organizations: reports.length };
}
