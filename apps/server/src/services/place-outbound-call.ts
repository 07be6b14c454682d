/**
 * Places an outbound AI call to a prospect (POST /api/prospects/:id/call, and the dialer): a
 * call row first, then Twilio `calls.create` with the voice webhook (`connect-stream?callId=`),
 * status callbacks for every progress event and asynchronous answering-machine detection with
 * its own callback. A prospect on the do-not-call list (or in status `do_not_call`) is never
 * dialled. When Twilio is not configured or refuses the call, the row is kept and marked failed,
 * so the attempt and its reason are visible in the call log.
 *
 * Placing is idempotent: under a per-prospect lock (one transaction), a request whose
 * `Idempotency-Key` already placed a call gets that call back, and a prospect with a live
 * outbound call gets 409 with it (`details.reason: call_in_progress`) — never a second dial.
 */
import { agents, callIdempotencyKeys, calls, doNotCall, phoneNumbers } from '@switchboard/db';
import { type CallEndReason, FINAL_CALL_STATUSES } from '@switchboard/shared';
import { and, asc, desc, eq, lt, notInArray, sql } from 'drizzle-orm';
import { endCall } from '../call-record/end-call.ts';
import { createCall, type RecordDeps, updateCall } from '../call-record/update-call.ts';
import type { Config } from '../config.ts';
import type { ServiceDeps } from '../context.ts';
import { AppError, validationFailed } from '../errors.ts';
import type { IntegrationDeps } from '../integrations/settings.ts';
import { type CallRow, toCallJson } from '../mappers/calls.ts';
import type { SipDialer } from '../sip/sip-service.ts';
import { describeTwilioError, twilioRestClient } from '../telephony/rest-client.ts';
import { twilioLogFields } from '../telephony/twilio-log.ts';
import { OUTBOUND_AGENT_ORDER } from './agent-rules.ts';
import { getProspect } from './get-prospect.ts';
import { statusCallbackUrl } from './request-status-callback.ts';
import { resolveCredentials } from './resolve-credentials.ts';
import { firstTrunkNumber, trunkCarrying } from './sip-trunk-rules.ts';

export type PlaceCallDeps = ServiceDeps &
  Omit<IntegrationDeps, 'db' | 'log'> &
  Pick<RecordDeps, 'live' | 'jobs'> & {
    config: Config;
    /** Places calls from numbers carried by a SIP trunk; absent when SIP is off. */
    sip?: SipDialer | undefined;
  };

export interface PlaceCallInput {
  organizationId: string;
  prospectId: string;
  /** Default: the organization's default agent. */
  agentId?: string | undefined;
  /**
   * The https base URL Twilio calls back (PUBLIC_URL), or why there is none: a Twilio call is
   * then recorded as not placed (a SIP trunk call does not need it).
   */
  publicUrl: string | { problem: string };
  /** The request's `Idempotency-Key`: a retry with the same key returns the same call. */
  idempotencyKey?: string | undefined;
  /** Set when the campaign dialer places the call (calls.campaign_id). */
  campaignId?: string | undefined;
}

/** How long an `Idempotency-Key` is remembered. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** Seconds Twilio lets the phone ring before `no-answer`. */
export const RING_TIMEOUT_S = 30;

/** The placed call; `replayed` when an earlier request with the same Idempotency-Key placed it. */
export async function placeOutboundCall(
  deps: PlaceCallDeps,
  input: PlaceCallInput,
): Promise<CallRow & { replayed?: true }> {
  const { db } = deps;
  const prospect = await getProspect(deps, { organizationId: input.organizationId, id: input.prospectId });
  const [listed] = await db
    .select({ id: doNotCall.id })
    .from(doNotCall)
    .where(and(eq(doNotCall.organizationId, input.organizationId), eq(doNotCall.phone, prospect.phone)))
    .limit(1);
  if (listed || prospect.status === 'do_not_call') {
    throw new AppError('conflict', 'This prospect is on the do-not-call list; the call was not placed.', {
      reason: 'do_not_call',
    });
  }
  const agentId = await pickAgent(deps, input);
  const twilio = (await resolveCredentials(deps, input.organizationId)).twilio;
  const from =
    (await callerIdFor(deps, input.organizationId, agentId)) ??
    twilio?.phoneNumber ??
    (await firstTrunkNumber(deps.db, input.organizationId));
  // A caller id carried by a SIP trunk is dialled through that trunk instead of Twilio.
  const trunk = from ? await trunkCarrying(deps.db, input.organizationId, from) : null;

  const claimed = await claimCall(deps, input, () => ({
    organizationId: input.organizationId,
    direction: 'outbound',
    from: from ?? '',
    to: prospect.phone,
    status: 'queued',
    agentId,
    prospectId: prospect.id,
    campaignId: input.campaignId ?? null,
    startedAt: deps.clock(),
  }));
  if (claimed.replayed) return { ...claimed.call, replayed: true };
  const { call } = claimed;
  const fail = async (reason: CallEndReason, message: string, code: 'conflict' | 'service_unavailable') => {
    await endCall(deps, call, { kind: 'failed', reason, message });
    return new AppError(code, message, { reason, callId: call.id });
  };

  if (trunk && from) {
    if (!deps.sip) {
      throw await fail(
        'sip_off',
        'This number is on a SIP trunk, but SIP is off: set SIP_PORT to place calls through the trunk.',
        'conflict',
      );
    }
    return deps.sip.place({ call, trunk, from });
  }
  if (!twilio) {
    throw await fail(
      'twilio_not_configured',
      'Twilio is not configured: add the Twilio integration (or set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN) to place calls.',
      'conflict',
    );
  }
  if (!from) {
    throw await fail(
      'no_caller_id',
      'There is no number to call from: add a phone number for this agent or set the Twilio phone number.',
      'conflict',
    );
  }
  if (typeof input.publicUrl !== 'string') {
    throw await fail('public_url_missing', input.publicUrl.problem, 'conflict');
  }
  const base = input.publicUrl.replace(/\/+$/, '');
  const q = `callId=${call.id}`;
  try {
    const created = await twilioRestClient(twilio, deps.config.twilio.apiBaseUrl).calls.create({
      to: prospect.phone,
      from,
      url: `${base}/api/twiml/connect-stream?${q}`,
      method: 'POST',
      statusCallback: statusCallbackUrl(base, call.id),
      statusCallbackMethod: 'POST',
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      timeout: RING_TIMEOUT_S,
      machineDetection: 'DetectMessageEnd',
      asyncAmd: 'true',
      asyncAmdStatusCallback: `${base}/api/twiml/amd?${q}`,
      asyncAmdStatusCallbackMethod: 'POST',
    });
    return (await updateCall(deps, call, { providerCallSid: created.sid })) ?? call;
  } catch (error) {
    const failure = describeTwilioError(error);
    deps.log.warn({ callId: call.id, ...twilioLogFields(failure) }, 'Twilio refused the outbound call');
    if (failure.status === 401 || failure.code === 20003) {
      throw await fail(
        'twilio_auth_failed',
        'Twilio rejected the credentials (check the Account SID and auth token).',
        'conflict',
      );
    }
    if (failure.status !== undefined && failure.status < 500) {
      const code = failure.code ? ` (Twilio error ${failure.code})` : '';
      throw await fail('twilio_error', `Twilio refused the call: ${failure.message}${code}`, 'conflict');
    }
    throw await fail('twilio_unavailable', 'Twilio could not be reached; try again.', 'service_unavailable');
  }
}

async function pickAgent(deps: PlaceCallDeps, input: PlaceCallInput): Promise<string> {
  const [agent] = await deps.db
    .select({ id: agents.id })
    .from(agents)
    .where(
      input.agentId
        ? and(eq(agents.organizationId, input.organizationId), eq(agents.id, input.agentId))
        : eq(agents.organizationId, input.organizationId),
    )
    // Without an agent named: the default outbound agent, else the default (inbound) agent.
    .orderBy(...OUTBOUND_AGENT_ORDER)
    .limit(1);
  if (agent) return agent.id;
  if (input.agentId) throw validationFailed([{ path: 'agentId', message: 'no such agent' }]);
  throw new AppError('conflict', 'The organization has no agent to place the call.');
}

/** The number assigned to the agent, else the organization's first number. */
async function callerIdFor(
  deps: PlaceCallDeps,
  organizationId: string,
  agentId: string,
): Promise<string | null> {
  const rows = await deps.db
    .select({ e164: phoneNumbers.e164, agentId: phoneNumbers.agentId })
    .from(phoneNumbers)
    .where(eq(phoneNumbers.organizationId, organizationId))
    .orderBy(asc(phoneNumbers.createdAt));
  return (rows.find((r) => r.agentId === agentId) ?? rows[0])?.e164 ?? null;
}

/**
 * The new call row, made under a per-prospect transaction lock so concurrent requests are
 * serialized: the call an Idempotency-Key already placed is returned as is; a live outbound call
 * to the prospect is a 409 carrying it; otherwise the row is inserted (and the key remembered).
 */
async function claimCall(
  deps: PlaceCallDeps,
  input: PlaceCallInput,
  values: () => typeof calls.$inferInsert,
): Promise<{ call: CallRow; replayed: boolean }> {
  const { organizationId, prospectId, idempotencyKey } = input;
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`switchboard_outbound:${prospectId}`}))`);
    if (idempotencyKey) {
      await tx
        .delete(callIdempotencyKeys)
        .where(
          and(
            eq(callIdempotencyKeys.organizationId, organizationId),
            lt(callIdempotencyKeys.createdAt, new Date(deps.clock().getTime() - IDEMPOTENCY_KEY_TTL_MS)),
          ),
        );
      const [earlier] = await tx
        .select({ call: calls })
        .from(callIdempotencyKeys)
        .innerJoin(calls, eq(calls.id, callIdempotencyKeys.callId))
        .where(
          and(
            eq(callIdempotencyKeys.organizationId, organizationId),
            eq(callIdempotencyKeys.key, idempotencyKey),
          ),
        )
        .limit(1);
      if (earlier) return { call: earlier.call, replayed: true };
    }
    const [live] = await tx
      .select()
      .from(calls)
      .where(
        and(
          eq(calls.organizationId, organizationId),
          eq(calls.prospectId, prospectId),
          eq(calls.direction, 'outbound'),
          notInArray(calls.status, [...FINAL_CALL_STATUSES]),
        ),
      )
      .orderBy(desc(calls.createdAt))
      .limit(1);
    if (live) {
      throw new AppError('conflict', 'A call to this prospect is already in progress.', {
        reason: 'call_in_progress',
        callId: live.id,
        call: toCallJson(live),
      });
    }
    // No provider CallSid yet, so nothing can conflict: the row is always new.
    const call = (await createCall({ ...deps, db: tx }, values()))!;
    if (idempotencyKey) {
      await tx.insert(callIdempotencyKeys).values({ organizationId, key: idempotencyKey, callId: call.id });
    }
    return { call, replayed: false };
  });
}
