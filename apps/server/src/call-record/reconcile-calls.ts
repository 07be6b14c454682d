/**
 * Calls left non-final by a process that died (kill -9, crash, power loss) would stay "live"
 * forever: nobody is left to write their end. At start and every few minutes (a job, once across
 * processes) every non-final call that no process of ours can still be running is settled:
 * - with a Twilio CallSid and Twilio credentials, Twilio's REST status decides (a final status is
 *   applied like a status callback; a call Twilio still runs is left alone);
 * - otherwise, once it is older than its agent's maximum call duration (plus a margin), it is
 *   marked `failed` with end reason `server_restart` (the margin is RECONCILE_GRACE_S, 2 minutes).
 * Calls running in this process are skipped; a call running in another process is younger than
 * its maximum duration, or still live at Twilio, so it is never touched.
 */
import { agents, calls } from '@switchboard/db';
import {
  DEFAULT_TUNING,
  FINAL_CALL_STATUSES,
  type FinalCallStatus,
  isFinalCallStatus,
} from '@switchboard/shared';
import { eq, notInArray } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { resolveCredentials } from '../services/resolve-credentials.ts';
import { describeTwilioError, twilioRestClient } from '../telephony/rest-client.ts';
import { endCall } from './end-call.ts';

/** Calls settled per run at most (the next run takes the rest). */
const BATCH = 500;

export interface ReconcileReport {
  checked: number;
  fromTwilio: number;
  failed: number;
}

export async function reconcileStaleCalls(
  ctx: Pick<AppContext, 'db' | 'log' | 'clock' | 'live' | 'liveCalls' | 'secrets' | 'config'>,
): Promise<ReconcileReport> {
  const now = ctx.clock();
  const here = new Set(ctx.liveCalls.ids());
  const rows = await ctx.db
    .select({ call: calls, tuning: agents.tuning })
    .from(calls)
    .leftJoin(agents, eq(agents.id, calls.agentId))
    .where(notInArray(calls.status, [...FINAL_CALL_STATUSES]))
    .limit(BATCH);
  const report: ReconcileReport = { checked: 0, fromTwilio: 0, failed: 0 };
  for (const { call, tuning } of rows) {
    if (here.has(call.id)) continue;
    report.checked++;
    if (call.providerCallSid && call.direction !== 'web') {
      const status = await twilioStatus(ctx, call.organizationId, call.providerCallSid);
      if (status === 'live') continue;
      if (status) {
        await endCall(ctx, call, { kind: 'twilio', status: status.status, durationS: status.durationS });
        report.fromTwilio++;
        continue;
      }
    }
    const maxS =
      (tuning as { maxCallDurationS?: number } | null)?.maxCallDurationS ?? DEFAULT_TUNING.maxCallDurationS;
    const since = (call.startedAt ?? call.createdAt).getTime();
    // Beyond the maximum duration, time for the session's own end to be written (RECONCILE_GRACE_S).
    if (now.getTime() - since < maxS * 1000 + ctx.config.limits.reconcileGraceMs) continue;
    await endCall(ctx, call, {
      kind: 'failed',
      reason: 'server_restart',
      message: 'The server stopped during the call; it was closed when the server came back.',
    });
    report.failed++;
  }
  if (report.fromTwilio + report.failed > 0) ctx.log.warn(report, 'calls left unfinished were settled');
  return report;
}

/** Twilio's view: a final status, 'live' while it runs, null when it cannot be asked. */
async function twilioStatus(
  ctx: Pick<AppContext, 'db' | 'log' | 'secrets' | 'config'>,
  organizationId: string,
  sid: string,
): Promise<{ status: FinalCallStatus; durationS: number | null } | 'live' | null> {
  const twilio = (await resolveCredentials(ctx, organizationId).catch(() => null))?.twilio;
  if (!twilio) return null;
  try {
    const fetched = await twilioRestClient(twilio, ctx.config.twilio.apiBaseUrl).calls(sid).fetch();
    if (!isFinalCallStatus(fetched.status)) return 'live';
    const duration = Number(fetched.duration);
    return { status: fetched.status, durationS: Number.isFinite(duration) ? duration : null };
  } catch (error) {
    ctx.log.warn({ sid, status: describeTwilioError(error).status }, 'reconcile: Twilio status unavailable');
    return null;
  }
}
