/**
 * Staff text a prospect by hand. Refused (409 `do_not_call`) when the number is on the
 * do-not-call list or the prospect is marked do-not-call; otherwise sent through Twilio like
 * the agent's texts (services/send-sms.ts) and threaded on the prospect's timeline.
 */
import { prospects } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { AppError, notFound } from '../errors.ts';
import { isDoNotCall } from './do-not-call.ts';
import { type MessageRow, type SendSmsDeps, sendSms } from './send-sms.ts';

export async function sendMessage(
  deps: SendSmsDeps,
  input: { organizationId: string; prospectId: string; body: string },
): Promise<MessageRow> {
  const [prospect] = await deps.db
    .select({ phone: prospects.phone, status: prospects.status })
    .from(prospects)
    .where(and(eq(prospects.organizationId, input.organizationId), eq(prospects.id, input.prospectId)))
    .limit(1);
  if (!prospect) throw notFound('Prospect');
  if (
    prospect.status === 'do_not_call' ||
    (await isDoNotCall(deps.db, input.organizationId, prospect.phone))
  ) {
    throw new AppError('conflict', 'This number is on the do-not-call list: it cannot be texted.', {
      reason: 'do_not_call',
    });
  }
  return sendSms(deps, {
    organizationId: input.organizationId,
    callId: null,
    prospectId: input.prospectId,
    to: prospect.phone,
    body: input.body,
  });
}
