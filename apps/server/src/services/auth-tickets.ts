/**
 * Short single-use tickets (POST /api/auth/ticket) for the clients that cannot send the
 * Authorization header (EventSource, a browser WebSocket): `tk_` + 256 random bits, valid 60 s,
 * consumed by one conditional UPDATE (so it works across processes), bound to the principal that
 * asked for it and its organization. Only the SHA-256 hash is stored. A ticket of a session is
 * refused once that session is revoked, even before its 60 s are up.
 */
import { createHash, randomBytes } from 'node:crypto';
import { authTickets, type DbOrTx } from '@switchboard/db';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { AuthContext } from '../auth/roles.ts';
import { recheckPrincipal } from './principal.ts';

export const TICKET_TTL_MS = 60_000;
const TICKET_PREFIX = 'tk_';
/** Used or expired tickets are deleted this long after they expired. */
const KEEP_EXPIRED_MS = 60 * 60_000;

const hashTicket = (ticket: string) => createHash('sha256').update(ticket).digest('hex');

export async function issueTicket(
  deps: { db: DbOrTx; clock: () => Date },
  auth: AuthContext,
): Promise<{ ticket: string; expiresAt: Date }> {
  const now = deps.clock();
  const ticket = `${TICKET_PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + TICKET_TTL_MS);
  await deps.db
    .delete(authTickets)
    .where(
      and(
        eq(authTickets.organizationId, auth.organizationId),
        lt(authTickets.expiresAt, new Date(now.getTime() - KEEP_EXPIRED_MS)),
      ),
    );
  await deps.db.insert(authTickets).values({
    ticketHash: hashTicket(ticket),
    organizationId: auth.organizationId,
    userId: auth.userId ?? null,
    tokenVersion: auth.session?.tokenVersion ?? null,
    sessionId: auth.session?.sessionId ?? null,
    apiKeyId: auth.apiKeyId ?? null,
    expiresAt,
  });
  return { ticket, expiresAt };
}

/** The principal of a valid, unused, unexpired ticket (consuming it), or null. */
export async function redeemTicket(
  deps: { db: DbOrTx; clock: () => Date },
  ticket: string,
): Promise<AuthContext | null> {
  if (!ticket.startsWith(TICKET_PREFIX) || ticket.length > 100) return null;
  const now = deps.clock();
  const [row] = await deps.db
    .update(authTickets)
    .set({ usedAt: now })
    .where(
      and(
        eq(authTickets.ticketHash, hashTicket(ticket)),
        isNull(authTickets.usedAt),
        gt(authTickets.expiresAt, now),
      ),
    )
    .returning();
  if (!row) return null;
  const { organizationId, apiKeyId, userId, tokenVersion, sessionId } = row;
  return recheckPrincipal(deps.db, {
    organizationId,
    ...(apiKeyId ? { apiKeyId } : {}),
    ...(userId ? { userId } : {}),
    ...(tokenVersion !== null ? { session: { tokenVersion, sessionId: sessionId ?? undefined } } : {}),
  });
}
