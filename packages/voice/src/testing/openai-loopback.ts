/**
 * Fixtures for the OpenAI adapter's own tests: a loopback server that acknowledges
 * `session.update` as OpenAI does, a session config, and a connected session with its events
 * recorded. Everything it starts is closed by `cleanup` (call it from `afterEach`).
 */
import { PCMU_8K } from '@switchboard/audio';
import { OpenAIRealtimeModel } from '../realtime/openai/index.ts';
import type { ModelSession, ModelSessionEvents, SessionConfig } from '../realtime/types.ts';
import { type LoopbackConnection, type LoopbackServer, startLoopbackServer } from './loopback.ts';
import { MODEL_SESSION_EVENTS, pollUntil, recordEvents } from './record-events.ts';

export function openAILoopbackFixture() {
  const servers: LoopbackServer[] = [];
  const sessions: ModelSession[] = [];

  const config = (url: string, overrides: Partial<SessionConfig> = {}): SessionConfig => ({
    model: 'gpt-realtime',
    instructions: 'You are a receptionist.',
    voice: 'cedar',
    language: 'en-US',
    tools: [{ name: 'end_call', description: 'Hang up.', parameters: { type: 'object', properties: {} } }],
    tuning: { silenceDurationMs: 600, vadThreshold: 0.6, prefixPaddingMs: 200 },
    credentials: { apiKey: 'sk-test', url: `${url}/v1/realtime` },
    ...overrides,
  });

  /** Keeps `server` (or `session`) for `cleanup`, and returns it. */
  const track = {
    server: (server: LoopbackServer) => {
      servers.push(server);
      return server;
    },
    session: (session: ModelSession) => {
      sessions.push(session);
      return session;
    },
  };

  /** A server that acknowledges session.update like OpenAI does (unless `ack: false`). */
  const fakeOpenAI = async (opts: { ack?: boolean } = {}) =>
    track.server(
      await startLoopbackServer({
        onConnection: (c) => {
          c.send({ type: 'session.created', session: {} });
          c.onMessage((f) => {
            if (f.type === 'session.update' && opts.ack !== false)
              c.send({ type: 'session.updated', session: f.session });
          });
        },
      }),
    );

  /** A µ-law session connected to `server` (kept for `cleanup`). */
  const connectTo = async (server: LoopbackServer, overrides: Partial<SessionConfig> = {}) =>
    track.session(
      await new OpenAIRealtimeModel().connect({
        session: config(server.url, overrides),
        inputFormat: PCMU_8K,
        outputFormat: PCMU_8K,
      }),
    );

  /** A session connected to a fresh fake, with every model event recorded. */
  const connected = async (overrides: Partial<SessionConfig> = {}) => {
    const server = await fakeOpenAI();
    const session = await connectTo(server, overrides);
    const conn = await server.nextConnection();
    const { events, of } = recordEvents<ModelSessionEvents>(session, MODEL_SESSION_EVENTS);
    return { server, conn, session, events, of };
  };

  const cleanup = async () => {
    await Promise.all(sessions.splice(0).map((s) => s.close()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  };

  return { config, fakeOpenAI, connectTo, connected, track, cleanup };
}

export const until = (probe: () => boolean, timeoutMs = 2000) =>
  pollUntil(probe, { timeoutMs, intervalMs: 5 });

/** The `type` of every frame the connection received, in order. */
export const types = (conn: LoopbackConnection) => conn.received.map((f) => f.type);
