/**
 * The dialer's heartbeat: a durable job that runs one pass (apply finished calls' outcomes, then
 * dial each running campaign) and queues the next pass one second later. Its `short` policy keeps
 * at most one pass waiting across every process. When no campaign runs and no campaign call is in
 * flight, the chain stops: a cron every minute runs a pass (and restarts the chain if it ever
 * broke, e.g. all processes were down), and starting or resuming a campaign runs one at once
 * (`wakeDialer`). Running campaigns resume after a restart because all their state is in the
 * database; passes are safe to run at once in several processes (rows are claimed with SKIP
 * LOCKED).
 */
import { randomUUID } from 'node:crypto';
import { campaignProspects, campaigns } from '@switchboard/db';
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
  return (await dialerPass(ctx, instanceId)).placed;
}

async function dialerPass(ctx: AppContext, instanceId: string): Promise<{ placed: number; running: number }> {
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
  return { placed, running: running.length };
}

/**
 * Starts the chain of passes now (a campaign was started or resumed); no-op while it runs. Without
 * a started queue in this process (tests), the minute's cron pass starts it.
 */
export async function wakeDialer(ctx: AppContext): Promise<void> {
  if (!ctx.jobs.started) return;
  await ctx.jobs.send(dialerTickJob, {}).catch((error: unknown) => {
    ctx.log.warn({ err: error }, 'could not wake the dialer; the next minute will');
  });
}

/** True while some campaign call has no applied outcome yet (its campaign may be paused). */
async function callsInFlight(ctx: AppContext): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: campaignProspects.id })
    .from(campaignProspects)
    .where(eq(campaignProspects.state, 'dialing'))
    .limit(1);
  return row !== undefined;
}

export async function startDialer(ctx: AppContext): Promise<void> {
  await ctx.jobs.work(dialerTickJob, { concurrency: 1 }, async () => {
    let again = true;
    try {
      const { running } = await dialerPass(ctx, INSTANCE);
      again = running > 0 || (await callsInFlight(ctx));
    } finally {
      if (again)
        await ctx.jobs.send(dialerTickJob, {}, { delaySeconds: DIALER_INTERVAL_S }).catch(() => null);
    }
  });
  await ctx.jobs.schedule(dialerTickJob, '* * * * *', {});
  await ctx.jobs.send(dialerTickJob, {});
}
