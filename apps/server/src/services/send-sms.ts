/**
 * Sends a text through Twilio with the organization's credentials and stores it as a message
 * (queued first, then Twilio's status and SID, or `failed` with Twilio's reason). Every text
 * passes the rules of services/sms-rules.ts first (allowed destination country, at most
 * MAX_SMS_PER_CALL per call and SMS_PER_ORG_PER_DAY per organization in 24 hours), so a confused
 * or manipulated model cannot spam anyone. The caps are counted and the text queued in one
 * transaction under a per-organization lock, so concurrent sends cannot pass them together.
 */
import { messages } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import type { Config } from '../config.ts';
import type { ServiceDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import type { IntegrationDeps } from '../integrations/settings.ts';
import { describeTwilioError, twilioRestClient } from '../telephony/rest-client.ts';
import { twilioLogFields } from '../telephony/twilio-log.ts';
import { resolveCredentials } from './resolve-credentials.ts';
import { assertCountryAllowed, checkSmsLimits } from './sms-rules.ts';

export { MAX_SMS_PER_CALL } from './sms-rules.ts';

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
  await assertCountryAllowed(deps, input.organizationId, input.to);
  const queued = await db.transaction(async (tx) => {
    await checkSmsLimits(deps, tx, input);
    return (await tx.insert(messages).values(values).returning())[0];
  });
  const update = async (values: Partial<typeof messages.$inferInsert>) => {
    const [row] = await db.update(messages).set(values).where(eq(messages.id, queued!.id)).returning();
    return row ?? queued!;
  };
  try {
    const client = twilioRestClient(twilio, deps.config.twilio.apiBaseUrl);
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
