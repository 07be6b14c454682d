/**
 * WS /api/browser-call?agentId=<uuid>&ticket=<single-use ticket> (or the deprecated
 * `&token=<session token or API key>`): the dashboard's "Test in browser" call
 * (calls/browser-call.ts). Declared public because a WebSocket cannot carry the Authorization
 * header from a browser: the ticket or token is checked after the upgrade, with the auth
 * plugin's rules, and a refusal is reported in the socket (`{type:'error'}`, close 4401/4403/4404).
 */
import type { FastifyInstance } from 'fastify';
import { handleBrowserCall } from '../calls/browser-call.ts';
import { ConcurrencyCaps } from '../calls/concurrency-caps.ts';
import { PendingSockets } from '../calls/pending-sockets.ts';
import { keepAlive } from '../calls/socket-liveness.ts';
import { bearerToken } from '../plugins/auth.ts';
import { buildToolRegistry } from '../tools/index.ts';

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

export async function browserCallRoutes(app: FastifyInstance): Promise<void> {
  const tools = buildToolRegistry(app.ctx);
  // Test calls running at once per user and organization (BROWSER_CALLS_PER_USER, _PER_ORG).
  const caps = new ConcurrencyCaps();
  const { pendingSockets, streamStartTimeoutMs, socketPingMs } = app.ctx.config.limits;
  const log = app.ctx.log.child({ component: 'browser-call' });
  // Sockets whose checks have not finished are capped and timed out like media streams.
  const pending = new PendingSockets({ ...pendingSockets, timeoutMs: streamStartTimeoutMs }, log);
  app.get('/api/browser-call', { websocket: true, config: { auth: 'public' } }, (socket, request) => {
    const hold = pending.hold(socket, request.ip);
    if (!hold) return;
    keepAlive(socket, socketPingMs, () => log.warn('websocket peer stopped answering pings: terminated'));
    const query = (request.query ?? {}) as Record<string, unknown>;
    void handleBrowserCall(
      app.ctx,
      socket,
      {
        token: bearerToken(request) ?? str(query.token),
        ticket: str(query.ticket),
        agentId: str(query.agentId),
      },
      tools,
      { caps, pending: hold },
    );
  });
}
