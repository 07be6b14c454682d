/**
 * Ending sessions and short tickets: `POST /api/auth/logout` revokes every session of the user,
 * `POST /api/auth/ticket` mints a single-use ticket for the clients that cannot send the
 * Authorization header (EventSource, WebSocket). docs/security.md "Revocation".
 */
import { ticketResponseSchema } from '@switchboard/shared';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import { deps } from '../http/deps.ts';
import { defineRoute } from '../http/route.ts';
import { audit } from '../plugins/audit.ts';
import { issueTicket } from '../services/auth-tickets.ts';
import { logoutEverywhere } from '../services/logout.ts';

/** Tickets per client IP per minute (a page asks for one per stream it opens). */
const TICKETS_PER_MINUTE = 120;

export async function authSessionRoutes(app: FastifyInstance): Promise<void> {
  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/auth/logout',
      auth: 'viewer',
      summary: 'Sign out everywhere: every session token of the user stops working (204)',
      description:
        'Revokes all sessions of the signed-in user, on every device, and closes their open event ' +
        'streams and test calls within 30 s. Session tokens only (403 for an API key: revoke the key).',
      responses: { 204: null },
    },
    async (request, _input, reply) => {
      const { userId, organizationId } = request.auth;
      if (!userId) throw new AppError('forbidden', 'An API key cannot sign out; revoke the key instead');
      await logoutEverywhere(deps(request), { organizationId, userId });
      await audit(request, 'auth.logout', { type: 'user', id: userId });
      reply.code(204);
    },
  );

  defineRoute(
    app,
    {
      method: 'POST',
      url: '/api/auth/ticket',
      auth: 'viewer',
      summary: 'A single-use ticket (valid 60 s) to open /api/events or /api/browser-call with ?ticket=',
      description:
        'For clients that cannot send the Authorization header (EventSource, a browser WebSocket): ' +
        'the ticket stands for the caller (session or API key) and organization, works once, and is ' +
        'refused once the session is revoked. Use it instead of `?token=` (deprecated).',
      responses: { 200: ticketResponseSchema },
      rateLimit: { max: TICKETS_PER_MINUTE, timeWindow: 60_000 },
    },
    async (request) => {
      const { ticket, expiresAt } = await issueTicket(deps(request), request.auth);
      return { ticket, expiresAt: expiresAt.toISOString() };
    },
  );
}
