/**
 * `calls.reconcile` (docs/jobs.md): settles calls a dead process left non-final
 * (reconcile-calls.ts) every 5 minutes, once across processes; server.ts also runs it at start.
 */
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { defineJob } from '../jobs/define.ts';
import { type ReconcileReport, reconcileStaleCalls } from './reconcile-calls.ts';

export const RECONCILE_CRON = '*/5 * * * *';

export const reconcileCallsJob = defineJob({
  name: 'calls.reconcile',
  data: z.object({}),
  retryLimit: 1,
  retryDelaySeconds: 60,
  expireInSeconds: 600,
  policy: 'singleton',
});

export function runReconcile(ctx: AppContext): Promise<ReconcileReport> {
  return reconcileStaleCalls(ctx);
}
