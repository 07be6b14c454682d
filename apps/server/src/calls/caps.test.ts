/**
 * Issue 11's cost probes, re-run: browser test calls at once are capped per user and per
 * organization (no model session for a refused one, and the refusal says why), and open SSE
 * streams are capped per user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { testDbKinds } from '../testing/test-app.ts';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

type Msg = { type: string; message?: string };

/** A browser test call: its messages and how it closed. */
function testCall(url: string) {
  const ws = new WebSocket(url);
  const messages: Msg[] = [];
  let closed: { code: number } | null = null;
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Msg));
  ws.on('close', (code) => {
    closed = { code };
  });
  return {
    ws,
    messages,
    closed: () => closed,
    ready: () => eventually(async () => messages.some((m) => m.type === 'ready')),
    refused: () => eventually(async () => closed),
  };
}

describe.each(kinds)('caps on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      env: { BROWSER_CALLS_PER_USER: '1', BROWSER_CALLS_PER_ORG: '2', SSE_STREAMS_PER_USER: '2' },
      openai: { scriptFor: () => [{ on: 'greeting', say: { text: 'Hello', durationMs: 200 } }] },
    });
  });
  afterAll(() => h?.close());

  const callUrl = (token: string) =>
    `${h.base.replace(/^http/, 'ws')}/api/browser-call?${new URLSearchParams({ agentId: h.org.agent.id, token })}`;

  it('caps browser test calls per user and per organization, and frees the slot when a call ends', async () => {
    const { tokens } = h.org;
    const first = testCall(callUrl(tokens.agent));
    await first.ready();
    const sessions = h.openai.sessions.length;

    const second = testCall(callUrl(tokens.agent));
    expect((await second.refused()).code).toBe(4429);
    expect(second.messages.find((m) => m.type === 'error')?.message).toMatch(/already have 1 test call/);

    const other = testCall(callUrl(tokens.admin));
    await other.ready();
    const third = testCall(callUrl(tokens.owner));
    expect((await third.refused()).code).toBe(4429);
    expect(third.messages.find((m) => m.type === 'error')?.message).toMatch(/organization already has 2/);
    expect(h.openai.sessions.length).toBe(sessions + 1);

    first.ws.close();
    await eventually(async () => first.closed());
    const again = await eventually(async () => {
      const call = testCall(callUrl(tokens.agent));
      const outcome = await Promise.race([
        call.ready().then(() => 'ready'),
        call.refused().then(() => 'refused'),
      ]);
      return outcome === 'ready' ? call : null;
    });
    again.ws.close();
    other.ws.close();
  });

  it('caps open event streams per user', async () => {
    const open = (token: string) => {
      const controller = new AbortController();
      const response = fetch(`${h.base}/api/events?token=${token}`, { signal: controller.signal });
      return { response, abort: () => controller.abort() };
    };
    const streams = [open(h.org.tokens.viewer), open(h.org.tokens.viewer)];
    for (const s of streams) expect((await s.response).status).toBe(200);
    const third = open(h.org.tokens.viewer);
    const refused = await third.response;
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    // Another user is not affected; closing one stream frees a slot.
    const agent = open(h.org.tokens.agent);
    expect((await agent.response).status).toBe(200);
    agent.abort();
    streams[0]!.abort();
    const after = await eventually(async () => {
      const s = open(h.org.tokens.viewer);
      const res = await s.response;
      if (res.status === 200) return s;
      return null;
    });
    after.abort();
    streams[1]!.abort();
  });
});
