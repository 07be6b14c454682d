/** A campaign's counts by prospect state and by last disposition. */
import { campaignProspects, type DbOrTx } from '@switchboard/db';
import type { CampaignStats } from '@switchboard/shared';
import { and, count, eq, isNotNull } from 'drizzle-orm';

export async function campaignStats(
  db: DbOrTx,
  organizationId: string,
  campaignId: string,
): Promise<CampaignStats> {
  const where = and(
    eq(campaignProspects.organizationId, organizationId),
    eq(campaignProspects.campaignId, campaignId),
  );
  const [byState, byOutcome] = await Promise.all([
    db
      .select({ state: campaignProspects.state, n: count() })
      .from(campaignProspects)
      .where(where)
      .groupBy(campaignProspects.state),
    db
      .select({ outcome: campaignProspects.lastOutcome, n: count() })
      .from(campaignProspects)
      .where(and(where, isNotNull(campaignProspects.lastOutcome)))
      .groupBy(campaignProspects.lastOutcome),
  ]);
  const stats: CampaignStats = {
    total: 0,
    pending: 0,
    scheduled: 0,
    dialing: 0,
    done: 0,
    skipped: 0,
    byDisposition: {},
  };
  for (const { state, n } of byState) {
    stats[state] = Number(n);
    stats.total += Number(n);
  }
  for (const { outcome, n } of byOutcome) if (outcome) stats.byDisposition[outcome] = Number(n);
  return stats;
}
