/**
 * WS /api/audiostream: Twilio Media Streams. Authentication is the stream token checked on
 * the `start` message (calls/admit-stream.ts); the socket is closed when it is missing or
 * wrong. The upgrade's X-Twilio-Signature is not checked: Twilio does not document which URL
 * form it signs for a WebSocket (docs/telephony.md "The call path"). Sockets waiting for
 * `start` are capped and timed out (calls/pending-sockets.ts).
 */
import type { FastifyInstance } from 'fastify';
import { PendingSockets } from '../calls/pending-sockets.ts';
import { keepAlive } from '../calls/socket-liveness.ts';
import { handleTwilioStream } from '../calls/twilio-stream.ts';
import { buildToolRegistry } from '../tools/index.ts';

export async function audioStreamRoutes(app: FastifyInstance): Promise<void> {
  const tools = buildToolRegistry(app.ctx);
  const { pendingSockets, streamStartTimeoutMs, socketPingMs } = app.ctx.config.limits;
  const log = app.ctx.log.child({ component: 'media-stream' });
  const pending = new PendingSockets({ ...pendingSockets, timeoutMs: streamStartTimeoutMs }, log);
  app.get('/api/audiostream', { websocket: true, config: { auth: 'public' } }, (socket, request) => {
    const hold = pending.hold(socket, request.ip);
    if (!hold) return;
    keepAlive(socket, socketPingMs, () => log.warn('websocket peer stopped answering pings: terminated'));
    void handleTwilioStream(app.ctx, socket, tools, hold);
  });
}
