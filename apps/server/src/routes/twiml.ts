/**
 * Twilio's webhooks (form-encoded, signed with X-Twilio-Signature, answered with TwiML):
 * the voice webhook that connects a call to its media stream, call status callbacks, the
 * fallback after a stream ends, and the recording callback of a message left after an apology.
 */
import { calls } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { toCallJson } from '../mappers/calls.ts';
import { applyCallStatus } from '../services/apply-call-status.ts';
import { findCallBySid, findNumberOwner, startInboundCall } from '../services/start-inbound-call.ts';
import {
  apologyTwiml,
  connectStreamTwiml,
  sayAndHangupTwiml,
  streamUrl,
  UNKNOWN_NUMBER_MESSAGE,
} from '../telephony/twiml.ts';
import { formValue, publicBaseUrl, twilioForm, verifyTwilioWebhook } from '../telephony/webhook-auth.ts';

const PUBLIC = { auth: 'public' as const };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** End reasons after which the stream closing means "hang up", not "something broke". */
const DELIBERATE_ENDS = new Set([
  'agent_hangup',
  'max_duration',
  'silence_timeout',
  'transferred',
  'completed',
]);

export function sendTwiml(reply: FastifyReply, twiml: string): FastifyReply {
  return reply.type('text/xml; charset=utf-8').send(twiml);
}

export function callIdFromQuery(request: FastifyRequest): string | null {
  const value = (request.query as Record<string, unknown>).callId;
  return typeof value === 'string' && UUID.test(value) ? value : null;
}

export async function callById(request: FastifyRequest, id: string | null) {
  if (!id) return null;
  const [row] = await request.server.ctx.db.select().from(calls).where(eq(calls.id, id)).limit(1);
  return row ?? null;
}

/**
 * `<Connect><Stream>` for a call, with its signed stream token (and any extra `<Parameter>`s),
 * then a `<Redirect>` that Twilio runs only when our server closes the stream (stream-ended).
 */
export function callStreamTwiml(
  ctx: AppContext,
  base: string,
  callId: string,
  callSid: string,
  parameters: Record<string, string> = {},
): string {
  const token = ctx.streamTokens.sign({ callId, callSid }, ctx.clock());
  const twiml = connectStreamTwiml(streamUrl(base), { token, ...parameters });
  return twiml.replace(
    '</Response>',
    `<Redirect method="POST">${base}/api/twiml/stream-ended?callId=${callId}</Redirect></Response>`,
  );
}

export async function twimlRoutes(app: FastifyInstance): Promise<void> {
  const { ctx } = app;

  app.post('/api/twiml/connect-stream', { config: PUBLIC }, async (request, reply) => {
    const form = twilioForm(request);
    const callSid = formValue(form, 'CallSid') ?? '';
    const to = formValue(form, 'To') ?? '';
    const from = formValue(form, 'From') ?? '';
    const direction = formValue(form, 'Direction') ?? 'inbound';
    // Outbound calls carry our call id; inbound calls are found by the dialled number.
    const outbound = await callById(request, callIdFromQuery(request));
    const owner = outbound ? null : await findNumberOwner(ctx, to);
    const organizationId = outbound?.organizationId ?? owner?.organizationId ?? null;
    await verifyTwilioWebhook(ctx, request, form, organizationId);
    if (!/^CA[0-9a-fA-F]{32}$/.test(callSid))
      return sendTwiml(reply.code(400), sayAndHangupTwiml(UNKNOWN_NUMBER_MESSAGE));

    let call = outbound;
    if (call && !call.providerCallSid) {
      const [updated] = await ctx.db
        .update(calls)
        .set({ providerCallSid: callSid })
        .where(eq(calls.id, call.id))
        .returning();
      call = updated ?? call;
    }
    if (!call && owner) {
      call = await startInboundCall(
        { db: ctx.db, clock: ctx.clock },
        { ...owner, callSid, from, to, callStatus: formValue(form, 'CallStatus') ?? 'ringing' },
      );
      ctx.live.publish(call.organizationId, { type: 'call.updated', call: toCallJson(call) });
    }
    if (!call) {
      request.log.info({ direction }, 'voice webhook for a number no organization owns');
      return sendTwiml(reply, sayAndHangupTwiml(UNKNOWN_NUMBER_MESSAGE));
    }
    if (call.providerCallSid && call.providerCallSid !== callSid) {
      request.log.warn({ callId: call.id }, 'voice webhook CallSid does not match the call');
      return sendTwiml(reply, sayAndHangupTwiml(UNKNOWN_NUMBER_MESSAGE));
    }
    return sendTwiml(reply, callStreamTwiml(ctx, publicBaseUrl(ctx, request), call.id, callSid));
  });

  app.post('/api/twiml/status', { config: PUBLIC }, async (request, reply) => {
    const form = twilioForm(request);
    const callSid = formValue(form, 'CallSid') ?? '';
    const call = (await callById(request, callIdFromQuery(request))) ?? (await findCallBySid(ctx, callSid));
    await verifyTwilioWebhook(ctx, request, form, call?.organizationId ?? null);
    if (!call) return reply.code(204).send();
    if (call.providerCallSid && callSid && call.providerCallSid !== callSid) return reply.code(204).send();
    const sequence = Number(formValue(form, 'SequenceNumber'));
    const duration = Number(formValue(form, 'CallDuration'));
    const updated = await applyCallStatus(ctx, call, {
      callStatus: formValue(form, 'CallStatus') ?? call.status,
      sequenceNumber: Number.isInteger(sequence) ? sequence : null,
      callDurationS: Number.isInteger(duration) && duration >= 0 ? duration : null,
      answeredBy: formValue(form, 'AnsweredBy'),
      at: ctx.clock(),
    });
    if (updated)
      ctx.live.publish(updated.organizationId, { type: 'call.updated', call: toCallJson(updated) });
    return reply.code(204).send();
  });

  app.post('/api/twiml/stream-ended', { config: PUBLIC }, async (request, reply) => {
    const form = twilioForm(request);
    const call = await callById(request, callIdFromQuery(request));
    await verifyTwilioWebhook(ctx, request, form, call?.organizationId ?? null);
    if (!call || (call.endReason && DELIBERATE_ENDS.has(call.endReason) && call.status !== 'failed')) {
      return sendTwiml(reply, '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
    }
    // The stream ended without a deliberate hang-up: the AI failed or the server lost it.
    if (call.status !== 'failed') {
      await ctx.db
        .update(calls)
        .set({
          status: 'failed',
          endReason: call.endReason ?? 'stream_lost',
          error: call.error ?? 'media stream ended unexpectedly',
        })
        .where(eq(calls.id, call.id));
    }
    const base = publicBaseUrl(ctx, request);
    return sendTwiml(reply, apologyTwiml(`${base}/api/twiml/recording?callId=${call.id}`));
  });

  app.post('/api/twiml/recording', { config: PUBLIC }, async (request, reply) => {
    const form = twilioForm(request);
    const call = await callById(request, callIdFromQuery(request));
    await verifyTwilioWebhook(ctx, request, form, call?.organizationId ?? null);
    const url = formValue(form, 'RecordingUrl');
    if (call && url && formValue(form, 'RecordingStatus') !== 'failed') {
      await ctx.db
        .update(calls)
        .set({ recordingUrl: url, updatedAt: ctx.clock() })
        .where(and(eq(calls.id, call.id), eq(calls.organizationId, call.organizationId)));
    }
    return reply.code(204).send();
  });
}
