/**
 * WS /api/agents/:id/test-chat?ticket=<single-use ticket> (or the deprecated ?token=<session token or API key>): the studio's text test chat
 * (widget/test-chat.ts). Declared public because a WebSocket cannot carry the Authorization
 * header from a browser: the token is checked after the upgrade with the auth plugin's rules,
 * like WS /api/browser-call, and a refusal is reported in the socket.
 */
import type { FastifyInstance } from 'fastify';
import { ConcurrencyCaps } from '../calls/concurrency-caps.ts';
import { keepAlive } from '../calls/socket-liveness.ts';
import { bearerToken } from '../plugins/auth.ts';
import { buildToolRegistry } from '../tools/index.ts';
import { handleTestChat } from '../widget/test-chat.ts';

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

export async function testChatRoutes(app: FastifyInstance): Promise<void> {
  const tools = buildToolRegistry(app.ctx);
  // Test chats open at once per user and organization (BROWSER_CALLS_PER_USER, _PER_ORG).
  const caps = new ConcurrencyCaps();
  const { socketPingMs } = app.ctx.config.limits;
  const log = app.ctx.log.child({ component: 'test-chat' });
  app.get('/api/agents/:id/test-chat', { websocket: true, config: { auth: 'public' } }, (socket, request) => {
    keepAlive(socket, socketPingMs, () => log.warn('websocket peer stopped answering pings: terminated'));
    const query = (request.query ?? {}) as Record<string, unknown>;
    const params = (request.params ?? {}) as Record<string, unknown>;
    void handleTestChat(
      app.ctx,
      socket,
      {
        token: bearerToken(request) ?? str(query.token),
        ticket: str(query.ticket),
        agentId: str(params.id),
      },
      tools,
      caps,
    );
  });
}
