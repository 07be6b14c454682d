/**
 * `GET /api/events`: the organization's live call events as Server-Sent Events. EventSource
 * cannot send headers, so the caller comes as `?ticket=` (single-use, POST /api/auth/ticket) or,
 * deprecated, `?token=`; this plugin's onRequest hook redeems the ticket or turns the token into
 * the Authorization header before the auth plugin's own check runs (same rules, same answers as
 * every other route). The reply is then taken over (hijacked) and streamed raw. The stream
 * re-checks its caller every 30 s and ends with `event: revoked` once the session or key is revoked.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { watchPrincipal } from '../auth/principal-watch.ts';
import { ConcurrencyCaps } from '../calls/concurrency-caps.ts';
import { AppError } from '../errors.ts';
import { defineRoute } from '../http/route.ts';
import { EventStream, formatLiveEvent } from '../live/sse.ts';
import { authenticateByTicket } from '../plugins/auth.ts';

const eventsQuerySchema = z.object({
  ticket: z
    .string()
    .max(100)
    .optional()
    .describe('Single-use ticket from POST /api/auth/ticket, for clients that cannot send headers'),
  token: z
    .string()
    .max(4096)
    .optional()
    .describe('Deprecated (tokens end up in logs): session token or API key. Use `ticket`.'),
});

/** The last frame of a stream whose caller lost access; EventSource clients should not retry with it. */
const REVOKED_FRAME = `event: revoked\ndata: ${JSON.stringify({ reason: 'revoked' })}\n\n`;

export async function eventRoutes(app: FastifyInstance): Promise<void> {
  const streams = new Set<EventStream>();
  // Open streams per user or API key (SSE_STREAMS_PER_USER): each holds a socket and a subscription.
  const caps = new ConcurrencyCaps();
  const limit = app.ctx.config.limits.sseStreamsPerUser;
  // Open streams would keep the server from closing: end them first (clients reconnect elsewhere).
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.close();
  });
  // Encapsulated: runs before the route's own onRequest hooks (authenticate, role), for this plugin only.
  app.addHook('onRequest', async (request, reply) => {
    const { token, ticket } = request.query as { token?: unknown; ticket?: unknown };
    if (!request.headers.authorization && typeof ticket === 'string' && ticket) {
      await authenticateByTicket(request, reply, ticket);
    } else if (!request.headers.authorization && typeof token === 'string' && token) {
      request.headers.authorization = `Bearer ${token}`;
    }
  });

  defineRoute(
    app,
    {
      method: 'GET',
      url: '/api/events',
      auth: 'viewer',
      summary: 'Live call events of the organization (Server-Sent Events, text/event-stream)',
      description:
        'Events: `call.updated` (data: the call), `call.transcript` (`{callId, role, text, atMs}`), ' +
        '`call.event` (`{callId, event}`). A `: ping` comment every 15 s. Authenticate with the ' +
        'Authorization header or `?ticket=` (POST /api/auth/ticket; `?token=` still works but is ' +
        'deprecated). The caller is re-checked every 30 s: when the session or API key is revoked ' +
        'the stream sends `event: revoked` and closes. At most SSE_STREAMS_PER_USER (default 10) open streams per ' +
        'user or API key: 429 after.',
      query: eventsQuerySchema,
      responses: { 200: z.string().describe('text/event-stream') },
    },
    async (request, _input, reply) => {
      const { live } = request.server.ctx;
      const { userId, apiKeyId, organizationId } = request.auth;
      const who = userId ? `user:${userId}` : apiKeyId ? `key:${apiKeyId}` : `org:${organizationId}`;
      const slot = caps.acquire([{ key: who, limit }]);
      if (!slot.ok) {
        reply.header('Retry-After', '30');
        throw new AppError('rate_limited', `Too many open event streams (at most ${limit}); close one first`);
      }
      const stream = new EventStream(reply.raw);
      reply.hijack();
      stream.open(reply.getHeaders());
      const unsubscribe = live.subscribe(request.auth.organizationId, (event) => {
        stream.send(formatLiveEvent(event));
      });
      streams.add(stream);
      const stopWatch = watchPrincipal({
        db: request.server.ctx.db,
        auth: request.auth,
        minimum: 'viewer',
        onRevoked: () => {
          stream.send(REVOKED_FRAME);
          stream.close();
        },
        onError: (error) => request.log.warn({ err: error }, 'event stream: re-check failed'),
      });
      stream.onClose(() => {
        stopWatch();
        slot.release();
        unsubscribe();
        streams.delete(stream);
      });
      return reply;
    },
  );
}
