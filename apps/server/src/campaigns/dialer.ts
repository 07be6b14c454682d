/**
 * One pass of the dialer over one running campaign. In one transaction, holding the campaign row
 * (`FOR UPDATE SKIP LOCKED`, so one process at a time paces a campaign) and its due prospects
 * (`FOR UPDATE SKIP LOCKED`): count what is live, decide each due prospect by the compliance
 * rules, write every decision to the ledger, and claim (`dialing`) those to dial. After the commit
 * the claimed calls are placed through the same path as "Call now" (placeOutboundCall); a Twilio
 * error on one dial never stops the others.
 */
import { calls, campaignLedger, campaignProspects, campaigns, doNotCall, prospects } from '@switchboard/db';
import { FINAL_CALL_STATUSES } from '@switchboard/shared';
import { and, asc, eq, gte, inArray, isNull, lte, notInArray, or, sql } from 'drizzle-orm';
import { localParts, zonedToInstant } from '../calendar/zoned-time.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { placeOutboundCall } from '../services/place-outbound-call.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';
import { decide } from './compliance.ts';
import { dialSlots } from './pacing.ts';
import { countFailure } from './reconcile.ts';
import { isInWindow, localTimeAt, nextWindowStart, prospectZone } from './schedule.ts';
import { type CampaignRow, readSettings } from './settings.ts';

const CANDIDATES = 100;
/** A prospect whose number has a live call is looked at again after this long. */
const LIVE_CALL_RECHECK_MS = 60_000;

interface Claimed {
  campaignProspectId: string;
  prospectId: string;
}

export async function dialCampaign(
  ctx: AppContext,
  campaignId: string,
  now: Date,
  instanceId: string,
  /** Measurement hook (bench/campaign.ts): the deciding transaction's time and prospects decided. */
  onDecided?: (ms: number, decided: number) => void,
) {
  const started = performance.now();
  let decided = 0;
  let completed: CampaignRow | null = null;
  const claimed = await ctx.db.transaction(async (tx) => {
    const [campaign] = await tx
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.status, 'running')))
      .for('update', { skipLocked: true });
    if (!campaign) return null;
    const settings = readSettings(campaign);
    const cpOf = and(
      eq(campaignProspects.campaignId, campaignId),
      eq(campaignProspects.organizationId, campaign.organizationId),
    );
    const open = await tx.$count(
      campaignProspects,
      and(cpOf, inArray(campaignProspects.state, ['pending', 'scheduled', 'dialing'])),
    );
    if (open === 0) {
      await tx
        .update(campaigns)
        .set({ status: 'completed', completedAt: now, updatedAt: now })
        .where(eq(campaigns.id, campaignId));
      completed = campaign;
      return null;
    }
    // One statement at a time: a transaction holds one connection.
    const live = await tx.$count(campaignProspects, and(cpOf, eq(campaignProspects.state, 'dialing')));
    const placedLastMinute = await tx.$count(
      calls,
      and(eq(calls.campaignId, campaignId), gte(calls.startedAt, new Date(now.getTime() - 60_000))),
    );
    const placedToday = await tx.$count(
      calls,
      and(eq(calls.campaignId, campaignId), gte(calls.startedAt, startOfDay(now, settings.defaultTimezone))),
    );
    let slots = dialSlots(settings, { live, placedLastMinute, placedToday });

    const due = await tx
      .select({ cp: campaignProspects, p: prospects })
      .from(campaignProspects)
      .innerJoin(prospects, eq(prospects.id, campaignProspects.prospectId))
      .where(
        and(
          cpOf,
          inArray(campaignProspects.state, ['pending', 'scheduled']),
          or(isNull(campaignProspects.nextAttemptAt), lte(campaignProspects.nextAttemptAt, now)),
        ),
      )
      .orderBy(sql`${campaignProspects.nextAttemptAt} asc nulls first`, asc(campaignProspects.id))
      .limit(CANDIDATES)
      .for('update', { of: campaignProspects, skipLocked: true });
    if (due.length === 0) return [];

    const phones = due.map((d) => d.p.phone);
    const listed = await tx
      .select({ phone: doNotCall.phone })
      .from(doNotCall)
      .where(and(eq(doNotCall.organizationId, campaign.organizationId), inArray(doNotCall.phone, phones)));
    const busyNumbers = await tx
      .select({ to: calls.to })
      .from(calls)
      .where(
        and(
          eq(calls.organizationId, campaign.organizationId),
          inArray(calls.to, phones),
          notInArray(calls.status, [...FINAL_CALL_STATUSES]),
        ),
      );
    const dnc = new Set(listed.map((r) => r.phone));
    const liveNumbers = new Set(busyNumbers.map((r) => r.to));

    const toDial: Claimed[] = [];
    for (const { cp, p } of due) {
      const zone = prospectZone(p.timezone, settings.defaultTimezone);
      const verdict = decide({
        onDoNotCallList: dnc.has(p.phone),
        prospectStatus: p.status,
        attempts: cp.attempts,
        maxAttempts: settings.retry.maxAttempts,
        liveCallToNumber: liveNumbers.has(p.phone),
        inWindow: isInWindow(settings.schedule, now, zone),
      });
      // Dial decisions beyond the free slots wait for the next pass, undecided.
      if (verdict.decision === 'dial' && slots <= 0) continue;
      let set: Partial<typeof campaignProspects.$inferInsert>;
      if (verdict.decision === 'skip') {
        set = { state: 'skipped', skipReason: verdict.rule, nextAttemptAt: null };
      } else if (verdict.decision === 'defer') {
        const at =
          verdict.rule === 'outside_window'
            ? nextWindowStart(settings.schedule, now, zone)
            : new Date(now.getTime() + LIVE_CALL_RECHECK_MS);
        set = at ? { state: 'scheduled', nextAttemptAt: at } : { state: 'skipped', skipReason: 'no_window' };
      } else {
        slots--;
        set = {
          state: 'dialing',
          attempts: cp.attempts + 1,
          lockedBy: instanceId,
          lockedAt: now,
          lastCallId: null,
        };
        toDial.push({ campaignProspectId: cp.id, prospectId: p.id });
      }
      decided++;
      await tx
        .update(campaignProspects)
        .set({ ...set, updatedAt: now })
        .where(eq(campaignProspects.id, cp.id));
      await tx.insert(campaignLedger).values({
        organizationId: campaign.organizationId,
        campaignId,
        prospectId: p.id,
        phone: p.phone,
        decision: verdict.decision,
        rule: verdict.rule,
        localTime: localTimeAt(now, zone),
        createdAt: now,
      });
    }
    return toDial.length ? { campaign, toDial } : [];
  });
  onDecided?.(performance.now() - started, decided);
  const done = completed as CampaignRow | null;
  if (done) {
    await emitWebhookEvent(ctx, done.organizationId, 'campaign.completed', {
      campaignId: done.id,
      name: done.name,
      agentId: done.agentId,
      startedAt: done.startedAt?.toISOString() ?? null,
      completedAt: now.toISOString(),
    });
  }
  if (!claimed || Array.isArray(claimed)) return 0;
  await Promise.all(claimed.toDial.map((c) => placeOne(ctx, claimed.campaign, c)));
  return claimed.toDial.length;
}

async function placeOne(ctx: AppContext, campaign: CampaignRow, claim: Claimed): Promise<void> {
  let callId: string | null = null;
  try {
    const call = await placeOutboundCall(
      {
        db: ctx.db,
        log: ctx.log,
        clock: ctx.clock,
        secrets: ctx.secrets,
        config: ctx.config,
        live: ctx.live,
        sip: ctx.sip,
      },
      {
        organizationId: campaign.organizationId,
        prospectId: claim.prospectId,
        agentId: campaign.agentId ?? undefined,
        publicUrl: ctx.config.publicUrl ?? '',
        campaignId: campaign.id,
      },
    );
    callId = call.id;
  } catch (error) {
    const details =
      error instanceof AppError
        ? (error.details as { callId?: string; reason?: string } | undefined)
        : undefined;
    callId = details?.callId ?? null;
    ctx.log.warn(
      { campaignId: campaign.id, prospectId: claim.prospectId, err: error },
      'campaign dial failed',
    );
    if (!callId) {
      // Refused before a call row existed (e.g. listed meanwhile): the prospect is finished.
      await ctx.db
        .update(campaignProspects)
        .set({
          state: 'skipped',
          skipReason: details?.reason ?? 'dial_refused',
          lockedBy: null,
          lockedAt: null,
        })
        .where(eq(campaignProspects.id, claim.campaignProspectId));
      await countFailure(ctx.db, campaign.id, true, ctx.clock());
      return;
    }
  }
  // The call row (placed, or failed with its reason) is the attempt; reconcile applies its outcome.
  await ctx.db
    .update(campaignProspects)
    .set({ lastCallId: callId })
    .where(eq(campaignProspects.id, claim.campaignProspectId));
}

/** Midnight today in the zone. */
function startOfDay(now: Date, timeZone: string): Date {
  const p = localParts(now, timeZone);
  return zonedToInstant({ year: p.year, month: p.month, day: p.day }, 0, timeZone);
}
