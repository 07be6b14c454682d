/**
 * Applies the outcome of finished campaign calls: each prospect in state `dialing` whose call is
 * final (or never got a final status within STALE_CALL_MS, or whose claim never got a call) is
 * rescheduled or finished by the retry rules. Rows are claimed with `FOR UPDATE SKIP LOCKED`, so
 * two processes never apply one outcome twice. Also trips the circuit breaker.
 */
import { calls, campaignProspects, campaigns, prospects } from '@switchboard/db';
import { FINAL_CALL_STATUSES } from '@switchboard/shared';
import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { addDoNotCall } from '../services/do-not-call.ts';
import { callOutcome } from './outcome.ts';
import { nextStep } from './retry.ts';
import { prospectZone } from './schedule.ts';
import { readSettings } from './settings.ts';

/** A call with no final status after this long is treated as failed (its callbacks were lost). */
export const STALE_CALL_MS = 2 * 60 * 60 * 1000;
/** A claim that never got its call (the process died while dialing) is released after this long. */
export const STALE_CLAIM_MS = 2 * 60 * 1000;
/** Failed dials in a row that pause a campaign. */
export const BREAKER_THRESHOLD = 5;
const BATCH = 200;

export async function reconcileCampaignCalls(ctx: AppContext, now: Date): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select({
        cp: campaignProspects,
        callStatus: calls.status,
        disposition: calls.disposition,
        answeredBy: calls.answeredBy,
        timezone: prospects.timezone,
        phone: prospects.phone,
        settings: campaigns.settings,
      })
      .from(campaignProspects)
      .innerJoin(campaigns, eq(campaigns.id, campaignProspects.campaignId))
      .innerJoin(prospects, eq(prospects.id, campaignProspects.prospectId))
      .leftJoin(calls, eq(calls.id, campaignProspects.lastCallId))
      .where(
        and(
          eq(campaignProspects.state, 'dialing'),
          or(
            inArray(calls.status, [...FINAL_CALL_STATUSES]),
            lt(calls.startedAt, new Date(now.getTime() - STALE_CALL_MS)),
            and(
              isNull(campaignProspects.lastCallId),
              lt(campaignProspects.lockedAt, new Date(now.getTime() - STALE_CLAIM_MS)),
            ),
          ),
        ),
      )
      // Oldest end first, so "failures in a row" follows the order the calls ended.
      .orderBy(asc(calls.endedAt), asc(campaignProspects.id))
      .limit(BATCH)
      .for('update', { of: campaignProspects, skipLocked: true });

    for (const row of rows) {
      const { cp } = row;
      if (!cp.lastCallId) {
        // Claimed, but no call was ever created: the attempt did not happen.
        await tx
          .update(campaignProspects)
          .set({ state: 'pending', attempts: Math.max(0, cp.attempts - 1), lockedBy: null, lockedAt: null })
          .where(eq(campaignProspects.id, cp.id));
        continue;
      }
      const settings = readSettings(row);
      const disposition =
        callOutcome({
          status: row.callStatus ?? 'failed',
          disposition: row.disposition,
          answeredBy: row.answeredBy,
        }) ?? 'failed';
      const step = nextStep(settings, {
        disposition,
        attempts: cp.attempts,
        now,
        timeZone: prospectZone(row.timezone, settings.defaultTimezone),
      });
      await tx
        .update(campaignProspects)
        .set({
          state: step.state,
          nextAttemptAt: step.state === 'scheduled' ? step.nextAttemptAt : null,
          lastOutcome: disposition,
          lockedBy: null,
          lockedAt: null,
          updatedAt: now,
        })
        .where(eq(campaignProspects.id, cp.id));
      if (disposition === 'do_not_call') {
        await addDoNotCall(tx, {
          organizationId: cp.organizationId,
          phone: row.phone,
          reason: 'Asked not to be called (call outcome)',
          source: 'opt_out',
        });
      }
      await countFailure(tx, cp.campaignId, row.callStatus === 'failed' || row.callStatus === null, now);
    }
    return rows.length;
  });
}

type Tx = Parameters<Parameters<AppContext['db']['transaction']>[0]>[0];

/** Counts a failed dial (or resets the count on any other outcome); pauses the campaign at the threshold. */
export async function countFailure(
  db: Tx | AppContext['db'],
  campaignId: string,
  failed: boolean,
  now: Date,
) {
  if (!failed) {
    await db.update(campaigns).set({ consecutiveFailures: 0 }).where(eq(campaigns.id, campaignId));
    return;
  }
  const [row] = await db
    .update(campaigns)
    .set({ consecutiveFailures: sql`${campaigns.consecutiveFailures} + 1` })
    .where(eq(campaigns.id, campaignId))
    .returning({ failures: campaigns.consecutiveFailures });
  if (row && row.failures >= BREAKER_THRESHOLD) {
    await db
      .update(campaigns)
      .set({
        status: 'paused',
        pausedReason: `Paused automatically: ${row.failures} calls in a row failed (check Twilio and the agent's model, then resume).`,
        updatedAt: now,
      })
      .where(and(eq(campaigns.id, campaignId), eq(campaigns.status, 'running')));
  }
}
