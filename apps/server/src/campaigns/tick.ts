/**
 * The dialer's heartbeat: a durable job that runs one pass (apply finished calls' outcomes, then
 * dial each running campaign) and queues the next pass one second later. Its `short` policy keeps
 * at most one pass waiting across every process; a cron every minute restarts the chain if it
 * ever breaks (e.g. all processes were down). Running campaigns resume after a restart because
 * all their state is in the database.
 */
import { randomUUID } from 'node:crypto';
import { campaigns } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { defineJob } from '../jobs/define.ts';
import { dialCampaign } from './dialer.ts';
import { reconcileCampaignCalls } from './reconcile.ts';

export const dialerTickJob = defineJob({
  name: 'campaign.dialer-tick',
  data: z.object({}),
  retryLimit: 0,
  expireInSeconds: 60,
  policy: 'short',
  keepSeconds: 60,
});

export const DIALER_INTERVAL_S = 1;
const INSTANCE = randomUUID();

/** One pass over every running campaign; answers how many calls it placed. */
export async function runDialerTick(ctx: AppContext, instanceId: string = INSTANCE): Promise<number> {
  const now = ctx.clock();
  await reconcileCampaignCalls(ctx, now);
  const running = await ctx.db
    .select({ id: campaigns.id })
    .from(campaigns)
    .where(eq(campaigns.status, 'running'));
  let placed = 0;
  for (const { id } of running) {
    try {
      placed += await dialCampaign(ctx, id, now, instanceId);
    } catch (error) {
      ctx.log.error({ err: error, campaignId: id }, 'dialer pass failed for a campaign');
    }
  }
  return placed;
}

export async function startDialer(ctx: AppContext): Promise<void> {
  await ctx.jobs.work(dialerTickJob, { concurrency: 1 }, async () => {
    try {
      await runDialerTick(ctx);
    } finally {
      await ctx.jobs.send(dialerTickJob, {}, { delaySeconds: DIALER_INTERVAL_S }).catch(() => null);
    }
  });
  await ctx.jobs.schedule(dialerTickJob, '* * * * *', {});
  await ctx.jobs.send(dialerTickJob, {});
}
