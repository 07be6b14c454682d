/**
 * WS /api/audiostream: Twilio Media Streams. Authentication is the stream token checked on
 * the `start` message (see calls/twilio-stream.ts); the socket is closed when it is missing or
 * wrong. The X-Twilio-Signature of the upgrade is logged when it does not match (Twilio does
 * not document which URL form it signs; protocols.md §1.5) but not enforced.
 */
import type { FastifyInstance } from 'fastify';
import { handleTwilioStream } from '../calls/twilio-stream.ts';
import { buildToolRegistry } from '../tools/index.ts';

export async function audioStreamRoutes(app: FastifyInstance): Promise<void> {
  const tools = buildToolRegistry(app.ctx);
  app.get('/api/audiostream', { websocket: true, config: { auth: 'public' } }, (socket) => {
    handleTwilioStream(app.ctx, socket, tools);
  });
}
