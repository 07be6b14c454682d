/**
 * Sends a text through Twilio with the organization's credentials and stores it as a message
 * (queued first, then Twilio's status and SID, or `failed` with Twilio's reason). At most
 * MAX_SMS_PER_CALL texts per call, and SMS_PER_ORG_PER_DAY texts sent during calls per
 * organization in 24 hours, so a confused or manipulated model cannot spam anyone. Both are
 * counted and the text queued in one transaction under a per-organization lock, so concurrent
 * sends cannot pass the limits together.
 */
import { messages } from '@switchboard/db';
import { and, eq, gt, isNotNull, sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { ServiceDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import type { IntegrationDeps } from '../integrations/settings.ts';
import { createTwilioClient, describeTwilioError } from '../telephony/rest-client.ts';
import { twilioLogFields } from '../telephony/twilio-log.ts';
import { resolveCredentials } from './resolve-credentials.ts';

export const MAX_SMS_PER_CALL = 3;

export type SendSmsDeps = ServiceDeps & Omit<IntegrationDeps, 'db' | 'log'> & { config: Config };

export interface SendSmsInput {
  organizationId: string;
  callId: string | null;
  prospectId: string | null;
  /** E.164. */
  to: string;
  /** Our number; default the Twilio integration's (or TWILIO_PHONE_NUMBER). */
  from?: string | undefined;
  body: string;
}

export type MessageRow = typeof messages.$inferSelect;

export async function sendSms(deps: SendSmsDeps, input: SendSmsInput): Promise<MessageRow> {
  const { db } = deps;
  const twilio = (await resolveCredentials(deps, input.organizationId)).twilio;
  const from = input.from || twilio?.phoneNumber;
  if (!twilio) throw new AppError('conflict', 'Texting is not set up (Twilio is not configured).');
  if (!from) throw new AppError('conflict', 'Texting is not set up (no Twilio phone number to send from).');
  const values = {
    organizationId: input.organizationId,
    callId: input.callId,
    prospectId: input.prospectId,
    from,
    to: input.to,
    body: input.body,
  };
  const queued = input.callId
    ? await db.transaction(async (tx) => {
        await tx.execute(
          sql`select pg_advisory_xact_lock(hashtext(${`switchboard_sms:${input.organizationId}`}))`,
        );
        await checkCallLimits(deps, tx, input.organizationId, input.callId!);
        return (await tx.insert(messages).values(values).returning())[0];
      })
    : (await db.insert(messages).values(values).returning())[0];
  const update = async (values: Partial<typeof messages.$inferInsert>) => {
    const [row] = await db.update(messages).set(values).where(eq(messages.id, queued!.id)).returning();
    return row ?? queued!;
  };
  try {
    const client = createTwilioClient(twilio, deps.config.twilio.apiBaseUrl);
    const sent = await client.messages.create({ to: input.to, from, body: input.body });
    return await update({ status: sent.status, providerSid: sent.sid });
  } catch (error) {
    const failure = describeTwilioError(error);
    deps.log.warn({ ...twilioLogFields(failure), organizationId: input.organizationId }, 'SMS was not sent');
    await update({ status: 'failed', error: failure.message.slice(0, 500) });
    throw new AppError('conflict', `The text was not sent: ${failure.message}`, {
      reason: 'twilio_error',
      twilioCode: failure.code,
    });
  }
}

async function checkCallLimits(
  deps: SendSmsDeps,
  tx: Pick<SendSmsDeps['db'], 'select' | '$count'>,
  organizationId: string,
  callId: string,
): Promise<void> {
  const sent = await tx.$count(
    messages,
    and(eq(messages.organizationId, organizationId), eq(messages.callId, callId)),
  );
  if (sent >= MAX_SMS_PER_CALL) {
    throw new AppError('conflict', `At most ${MAX_SMS_PER_CALL} texts can be sent during one call.`);
  }
  const perDay = deps.config.limits.smsPerOrgPerDay;
  const since = new Date(deps.clock().getTime() - 24 * 3_600_000);
  const today = await tx.$count(
    messages,
    and(
      eq(messages.organizationId, organizationId),
      eq(messages.direction, 'outbound'),
      isNotNull(messages.callId),
      gt(messages.createdAt, since),
    ),
  );
  if (today >= perDay) {
    throw new AppError(
      'conflict',
      `The organization's limit of ${perDay} texts per day during calls is reached.`,
      {
        reason: 'sms_daily_limit',
      },
    );
  }
}
