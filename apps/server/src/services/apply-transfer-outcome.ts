/**
 * The outcome of a transfer, from the `<Dial action>` callback (`DialCallStatus`). Answered
 * (`completed`/`answered`): the call is recorded as transferred and Twilio hangs up once the
 * human conversation ends. Otherwise (`busy`, `no-answer`, `failed`, `canceled`) the caller goes
 * back to the AI, so the call's end reason is cleared for the resumed stream to set.
 */
import { calls } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { type CallRow, toCallJson } from '../mappers/calls.ts';
import { recordCallEvent } from './record-call-event.ts';

const ANSWERED = new Set(['completed', 'answered']);

export async function applyTransferOutcome(
  ctx: Pick<AppContext, 'db' | 'live' | 'clock'>,
  call: CallRow,
  input: { dialStatus: string; durationS: number | null },
): Promise<{ connected: boolean }> {
  const connected = ANSWERED.has(input.dialStatus);
  const [row] = await ctx.db
    .update(calls)
    .set(
      connected
        ? { endReason: 'transferred', disposition: 'transferred', updatedAt: ctx.clock() }
        : { endReason: null, updatedAt: ctx.clock() },
    )
    .where(eq(calls.id, call.id))
    .returning();
  if (row) ctx.live.publish(row.organizationId, { type: 'call.updated', call: toCallJson(row) });
  await recordCallEvent(ctx, row ?? call, 'transfer_result', {
    status: input.dialStatus,
    connected,
    durationS: input.durationS,
    next: connected ? 'hangup' : 'back_to_agent',
  });
  return { connected };
}
