/**
 * The database side of stream tokens (telephony/stream-token.ts), so it holds across processes:
 * minting a token records its nonce for the call (refused while a stream of that call is live,
 * unless the caller knows the previous stream is over: a failed transfer); a stream's `start`
 * consumes the nonce and marks the call's stream live in one conditional statement, so a token
 * starts at most one stream; the stream's end clears the mark. A call that is final gets nothing.
 */
import { randomBytes } from 'node:crypto';
import { callStreamGrants, calls } from '@switchboard/db';
import { FINAL_CALL_STATUSES } from '@switchboard/shared';
import { and, eq, isNull, notInArray, sql } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import type { StreamTokenClaims } from '../telephony/stream-token.ts';

type Ctx = Pick<AppContext, 'db' | 'clock' | 'streamTokens'>;

/**
 * A fresh single-use stream token for the call, or null when a stream of the call is live
 * (`afterStream`: the previous stream is known to be over, e.g. Twilio ran the `<Dial action>`).
 */
export async function mintStreamToken(
  ctx: Ctx,
  call: Pick<CallRow, 'id' | 'organizationId'>,
  callSid: string,
  parameters: Record<string, string>,
  options: { afterStream?: boolean } = {},
): Promise<string | null> {
  const nonce = randomBytes(16).toString('base64url');
  const now = ctx.clock();
  const set = options.afterStream ? { nonce, liveSince: null, updatedAt: now } : { nonce, updatedAt: now };
  const rows = await ctx.db
    .insert(callStreamGrants)
    .values({ callId: call.id, organizationId: call.organizationId, nonce, updatedAt: now })
    .onConflictDoUpdate({
      target: callStreamGrants.callId,
      set,
      ...(options.afterStream ? {} : { setWhere: isNull(callStreamGrants.liveSince) }),
    })
    .returning({ callId: callStreamGrants.callId });
  if (rows.length === 0) return null;
  return ctx.streamTokens.sign({ callId: call.id, callSid, nonce, parameters }, now);
}

/**
 * Consumes the token's nonce and marks the stream live, when the nonce is the call's current
 * one and the call is not final: true once, for one stream, across every process.
 */
export async function claimStream(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  claims: StreamTokenClaims,
): Promise<boolean> {
  const rows = await ctx.db
    .update(callStreamGrants)
    .set({ nonce: null, liveSince: ctx.clock(), updatedAt: ctx.clock() })
    .where(
      and(
        eq(callStreamGrants.callId, claims.callId),
        eq(callStreamGrants.nonce, claims.nonce),
        sql`exists (select 1 from ${calls} where ${calls.id} = ${claims.callId} and ${notInArray(
          calls.status,
          [...FINAL_CALL_STATUSES],
        )})`,
      ),
    )
    .returning({ callId: callStreamGrants.callId });
  return rows.length === 1;
}

/** The call's stream is over (a later failed-transfer stream may start). */
export async function releaseStream(ctx: Pick<AppContext, 'db' | 'clock'>, callId: string): Promise<void> {
  await ctx.db
    .update(callStreamGrants)
    .set({ liveSince: null, updatedAt: ctx.clock() })
    .where(eq(callStreamGrants.callId, callId));
}
