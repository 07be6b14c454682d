/**
 * The background work each server process runs: one `ctx.jobs.work(...)` (and, for periodic
 * work, one `ctx.jobs.schedule(...)`) line per job kind, added by the feature that owns it.
 * Called once the server listens (server.ts) and by test apps built with `{ jobs: true }`.
 *
 *   await ctx.jobs.work(analyzeCallJob, { concurrency: 2 }, (job) => analyzeCall(ctx, job));
 *   await ctx.jobs.schedule(retentionJob, '15 3 * * *', {});
 */
import { RECONCILE_CRON, reconcileCallsJob, runReconcile } from '../call-record/reconcile-job.ts';
import { startDialer } from '../campaigns/tick.ts';
import type { AppContext } from '../context.ts';
import { startKnowledgeWorker } from '../knowledge/process-job.ts';
import { analyzeCall, callAnalysisJob } from '../post-call/analysis-job.ts';
import { RETENTION_CRON, retentionJob, runRetention } from '../privacy/retention-job.ts';
import { deliverWebhook, deliverWebhookJob } from '../webhooks/deliver-job.ts';

export async function startWorkers(ctx: AppContext): Promise<void> {
  await startKnowledgeWorker(ctx);
  await ctx.jobs.work(retentionJob, { concurrency: 1 }, (job) => runRetention(ctx, job));
  await ctx.jobs.schedule(retentionJob, RETENTION_CRON, {});
  await ctx.jobs.work(reconcileCallsJob, { concurrency: 1 }, () => runReconcile(ctx));
  await ctx.jobs.schedule(reconcileCallsJob, RECONCILE_CRON, {});
  await startDialer(ctx);
  await ctx.jobs.work(callAnalysisJob, { concurrency: 2 }, (job) => analyzeCall(ctx, job));
  await ctx.jobs.work(deliverWebhookJob, { concurrency: 8 }, (job) => deliverWebhook(ctx, job));
}
