/**
 * "Who can be called now": the compliance rules applied to the campaign's waiting prospects at
 * this moment, without dialing or writing anything (the campaign page shows it before Start).
 */
import { campaignProspects, doNotCall, prospects } from '@switchboard/db';
import type { CampaignPreview } from '@switchboard/shared';
import { and, eq, inArray } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { decide } from './compliance.ts';
import { getCampaign } from './manage.ts';
import { isInWindow, nextWindowStart, prospectZone } from './schedule.ts';
import { readSettings } from './settings.ts';

const MAX_ROWS = 20_000;

export async function previewCampaign(
  deps: ServiceDeps,
  input: { organizationId: string; campaignId: string },
): Promise<CampaignPreview> {
  const campaign = await getCampaign(deps, { organizationId: input.organizationId, id: input.campaignId });
  const settings = readSettings(campaign);
  const now = deps.clock();
  const rows = await deps.db
    .select({
      phone: prospects.phone,
      status: prospects.status,
      timezone: prospects.timezone,
      attempts: campaignProspects.attempts,
    })
    .from(campaignProspects)
    .innerJoin(prospects, eq(prospects.id, campaignProspects.prospectId))
    .where(
      and(
        eq(campaignProspects.organizationId, input.organizationId),
        eq(campaignProspects.campaignId, input.campaignId),
        inArray(campaignProspects.state, ['pending', 'scheduled']),
      ),
    )
    .limit(MAX_ROWS);
  const listed = new Set(
    (
      await deps.db
        .select({ phone: doNotCall.phone })
        .from(doNotCall)
        .where(eq(doNotCall.organizationId, input.organizationId))
    ).map((r) => r.phone),
  );
  const preview: CampaignPreview = {
    at: now.toISOString(),
    waiting: rows.length,
    callableNow: 0,
    outsideWindow: 0,
    blocked: 0,
    nextWindowAt: null,
  };
  let next: number | null = null;
  for (const row of rows) {
    const zone = prospectZone(row.timezone, settings.defaultTimezone);
    const verdict = decide({
      onDoNotCallList: listed.has(row.phone),
      prospectStatus: row.status,
      attempts: row.attempts,
      maxAttempts: settings.retry.maxAttempts,
      liveCallToNumber: false,
      inWindow: isInWindow(settings.schedule, now, zone),
    });
    if (verdict.decision === 'dial') preview.callableNow++;
    else if (verdict.decision === 'skip') preview.blocked++;
    else {
      preview.outsideWindow++;
      const at = nextWindowStart(settings.schedule, now, zone)?.getTime() ?? null;
      if (at !== null && (next === null || at < next)) next = at;
    }
  }
  preview.nextWindowAt = next === null ? null : new Date(next).toISOString();
  return preview;
}
