/**
 * POST /api/twiml/transfer-whisper: what the person taking a warm transfer hears before the
 * caller is connected — the summary the agent gave with the call's latest `transfer` event.
 */
import { callEvents, type DbOrTx } from '@switchboard/db';
import { and, desc, eq } from 'drizzle-orm';
import type { CallRow } from '../mappers/calls.ts';
import { whisperTwiml } from '../telephony/twiml.ts';

export async function answerTransferWhisper(deps: { db: DbOrTx }, call: CallRow | null): Promise<string> {
  let summary = '';
  if (call) {
    const [transfer] = await deps.db
      .select({ data: callEvents.data })
      .from(callEvents)
      .where(
        and(
          eq(callEvents.organizationId, call.organizationId),
          eq(callEvents.callId, call.id),
          eq(callEvents.type, 'transfer'),
        ),
      )
      .orderBy(desc(callEvents.id))
      .limit(1);
    if (typeof transfer?.data.summary === 'string') summary = transfer.data.summary;
  }
  return whisperTwiml(summary);
}
