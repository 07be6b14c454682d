/**
 * What every Twilio webhook route shares: the form, the call it is about (`?callId=`), the
 * X-Twilio-Signature check and the TwiML reply. The auth token is the organization's stored
 * Twilio credential when the request can be tied to an organization, else TWILIO_AUTH_TOKEN.
 * A request no configured token validates gets 403.
 */
import { calls, preparedQuery } from '@switchboard/db';
import { eq, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { CallRow } from '../mappers/calls.ts';
import { resolveCredentials, type TwilioCredentials } from '../services/resolve-credentials.ts';
import { findCallBySid } from '../services/start-inbound-call.ts';
import { isValidTwilioSignature } from './signature.ts';

export type TwilioForm = Record<string, string | string[]>;

/**
 * The base URL Twilio is told to call back: PUBLIC_URL (https outside development). Only with
 * NODE_ENV=development may it fall back to the URL the request came to; elsewhere the Host
 * header is never trusted (anyone can send one), so a Twilio action without PUBLIC_URL is
 * refused with 409.
 */
export function publicBaseUrl(ctx: Pick<AppContext, 'config'>, request: FastifyRequest): string {
  const { publicUrl, env } = ctx.config;
  if (env === 'development') return publicUrl ?? `${request.protocol}://${request.host}`;
  if (!publicUrl) {
    throw new AppError(
      'conflict',
      'PUBLIC_URL is not set: set it to the https address Twilio reaches this server at.',
      {
        reason: 'public_url_missing',
      },
    );
  }
  if (!publicUrl.startsWith('https://')) {
    throw new AppError('conflict', 'PUBLIC_URL must be an https URL outside development.', {
      reason: 'public_url_not_https',
    });
  }
  return publicUrl;
}

/** The form body as Twilio sent it (string values; repeated keys as arrays). */
export function twilioForm(request: FastifyRequest): TwilioForm {
  const body = request.body;
  if (!body || typeof body !== 'object') return {};
  const form: TwilioForm = {};
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') form[key] = value;
    else if (Array.isArray(value)) form[key] = value.map(String);
  }
  return form;
}

export function formValue(form: TwilioForm, key: string): string | undefined {
  const value = form[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Throws 403 unless the signature is valid for the organization's (or the installation's) token.
 * Resolves with the organization's Twilio credentials when it has some (what the request goes on
 * to use need not be read again).
 */
export async function verifyTwilioWebhook(
  ctx: AppContext,
  request: FastifyRequest,
  form: TwilioForm,
  organizationId: string | null,
): Promise<TwilioCredentials | undefined> {
  const tokens = new Set<string>();
  let twilio: TwilioCredentials | undefined;
  if (organizationId) {
    twilio = (await resolveCredentials(ctx, organizationId)).twilio;
    if (twilio?.authToken) tokens.add(twilio.authToken);
  }
  if (ctx.config.twilio.authToken) tokens.add(ctx.config.twilio.authToken);
  const signature = request.headers['x-twilio-signature'];
  const signed = {
    publicUrl: publicBaseUrl(ctx, request),
    url: request.url,
    params: form,
    signature: typeof signature === 'string' ? signature : undefined,
  };
  for (const token of tokens) if (isValidTwilioSignature(token, signed)) return twilio;
  request.log.warn(
    { path: request.url.split('?')[0], configured: tokens.size > 0, hasSignature: Boolean(signed.signature) },
    tokens.size === 0
      ? 'Twilio webhook rejected: no Twilio auth token is configured'
      : 'Twilio webhook rejected: bad signature',
  );
  throw new AppError('forbidden', 'invalid Twilio signature');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The `?callId=` our callback URLs carry, when it is a UUID. */
export function callIdFromQuery(request: FastifyRequest): string | null {
  const value = (request.query as Record<string, unknown> | undefined)?.callId;
  return typeof value === 'string' && UUID.test(value) ? value : null;
}

const callById = preparedQuery('call_by_id', (db, name) =>
  db
    .select()
    .from(calls)
    .where(eq(calls.id, sql.placeholder('id')))
    .limit(1)
    .prepare(name),
);

export async function findCall(ctx: Pick<AppContext, 'db'>, id: string | null): Promise<CallRow | null> {
  if (!id) return null;
  const [row] = await callById(ctx.db).execute({ id });
  return row ?? null;
}

/**
 * A Twilio callback about one of our calls (`?callId=`; with `bySid`, else the form's CallSid):
 * its form and call (null when unknown), once the signature checks out (403 otherwise). When the
 * call's stream is in this process, the callback waits for that stream's pending writes, so it
 * is applied after them and its timeline event sorts after theirs.
 */
export async function verifiedCallWebhook(
  ctx: AppContext,
  request: FastifyRequest,
  options: { bySid?: boolean } = {},
): Promise<{ form: TwilioForm; call: CallRow | null }> {
  const form = twilioForm(request);
  let call = await findCall(ctx, callIdFromQuery(request));
  const callSid = formValue(form, 'CallSid');
  if (!call && options.bySid && callSid) call = await findCallBySid(ctx, callSid);
  await verifyTwilioWebhook(ctx, request, form, call?.organizationId ?? null);
  if (call && ctx.liveCalls.get(call.organizationId, call.id)) {
    // Its stream runs (or is finishing) here: what the stream recorded goes first.
    await ctx.liveCalls.flushed(call.organizationId, call.id);
    call = (await findCall(ctx, call.id)) ?? call;
  }
  return { form, call };
}

export function sendTwiml(reply: FastifyReply, twiml: string): FastifyReply {
  return reply.type('text/xml; charset=utf-8').send(twiml);
}
