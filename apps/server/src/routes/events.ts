/**
 * `GET /api/events`: the organization's live call events as Server-Sent Events. EventSource
 * cannot send headers, so the token may come as `?token=`; this plugin's onRequest hook turns it
 * into the Authorization header before the auth plugin's own check runs (same rules, same
 * answers as every other route). The reply is then taken over (hijacked) and streamed raw.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ConcurrencyCaps } from '../calls/concurrency-caps.ts';
import { AppError } from '../errors.ts';
import { defineRoute } from '../http/route.ts';
import { EventStream, formatLiveEvent } from '../live/sse.ts';

const eventsQuerySchema = z.object({
  token: z
    .string()
    .max(4096)
    .optional()
    .describe('Session token or API key, for clients that cannot send the Authorization header'),
});

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
  app.addHook('onRequest', async (request) => {
    const token = (request.query as { token?: unknown }).token;
    if (!request.headers.authorization && typeof token === 'string' && token) {
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
        'Authorization header or `?token=`. At most SSE_STREAMS_PER_USER (default 10) open streams per ' +
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
      stream.onClose(() => {
        slot.release();
        unsubscribe();
        streams.delete(stream);
      });
      return reply;
    },
  );
}
