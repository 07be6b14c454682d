/**
 * Issue 11's fuzz suite (bounded, loopback only, a fixed number of cases): generated garbage on
 * the media socket, the browser-call socket and the JSON API. No answer is a 500, the server is
 * alive afterwards, and a call that was running meanwhile is unaffected.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, startVoiceHarness, type VoiceHarness } from './testing/voice-harness.ts';

const RUNS = 25;
const SEED = 11;

/** A frame as a socket could carry it: text (JSON-ish or not) or binary. */
const frame = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json({ maxDepth: 3 }),
  fc
    .record({
      event: fc.constantFrom(
        'connected',
        'start',
        'media',
        'mark',
        'dtmf',
        'stop',
        'audio',
        'hangup',
        '__proto__',
      ),
      streamSid: fc.option(fc.string({ maxLength: 40 })),
      sequenceNumber: fc.option(fc.oneof(fc.string({ maxLength: 10 }), fc.integer())),
      start: fc.option(fc.anything({ maxDepth: 2 })),
      media: fc.option(
        fc.record({ payload: fc.base64String({ maxLength: 400 }), track: fc.string({ maxLength: 10 }) }),
      ),
      type: fc.option(fc.string({ maxLength: 20 })),
      audio: fc.option(fc.base64String({ maxLength: 400 })),
    })
    .map((message) => JSON.stringify(message)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
);

/** Opens a socket, sends the frames, closes it (whatever the server did meanwhile). */
async function throwAt(url: string, frames: Array<string | Buffer>): Promise<void> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('error', () => resolve());
    ws.once('close', () => resolve());
  });
  for (const f of frames) if (ws.readyState === WebSocket.OPEN) ws.send(f);
  await new Promise((resolve) => setTimeout(resolve, 5));
  ws.terminate();
}

describe('fuzzing the public surfaces', () => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness('pglite', {
      env: { STREAM_START_TIMEOUT_S: '1' },
      openai: { scriptFor: () => [{ on: 'greeting', say: { text: 'Hello', durationMs: 30_000 } }] },
    });
  });
  afterAll(() => h?.close());

  it('survives garbage on every socket and JSON route, and a running call goes on', async () => {
    const call = await h.inboundCall();
    await eventually(async () => call.stream!.playedMs() > 100);
    const ws = h.base.replace(/^http/, 'ws');
    const statuses: number[] = [];

    await fc.assert(
      fc.asyncProperty(fc.array(frame, { maxLength: 8 }), async (frames) => {
        await throwAt(`${ws}/api/audiostream`, frames);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(frame, { maxLength: 8 }),
        fc.constantFrom(h.org.tokens.agent, 'not-a-token', ''),
        fc.oneof(fc.constant(h.org.agent.id), fc.string({ maxLength: 40 })),
        async (frames, token, agentId) => {
          await throwAt(`${ws}/api/browser-call?${new URLSearchParams({ token, agentId })}`, frames);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    const routes = [
      '/api/prospects',
      '/api/agents',
      '/api/appointments',
      '/api/api-keys',
      '/api/prospects/import',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(fc.json({ maxDepth: 3 }), fc.string({ maxLength: 200 })),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
        async (url, payload, contentType) => {
          const res = await h.t.app.inject({
            method: 'POST',
            url,
            headers: { authorization: `Bearer ${h.org.tokens.admin}`, 'content-type': contentType },
            payload,
          });
          statuses.push(res.statusCode);
          expect(res.statusCode, `${url} ${payload}`).toBeLessThan(500);
        },
      ),
      { numRuns: RUNS * 4, seed: SEED },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), async (q) => {
        const res = await h.t.as(h.org.tokens.viewer).get(`/api/prospects?q=${encodeURIComponent(q)}`);
        expect(res.statusCode, q).toBeLessThan(500);
      }),
      { numRuns: RUNS, seed: SEED },
    );

    expect((await h.t.as(undefined).get('/health')).statusCode).toBe(200);
    // The call that ran through all this is still connected and still hears its agent.
    const before = call.stream!.playedMs();
    await eventually(async () => call.stream!.playedMs() > before + 100);
    expect(call.stream!.closeInfo).toBeNull();
    await call.stream!.stop();
    // Refused garbage sockets leave nothing pending behind.
    await eventually(async () => h.t.ctx.liveCalls.size === 0);
    expect(statuses.length).toBe(RUNS * 4);
  }, 120_000);
});
