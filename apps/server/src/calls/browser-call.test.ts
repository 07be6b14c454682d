/**
 * "Test in browser" through the real server: a WebSocket client speaking the browser protocol
 * (PCM16 24 kHz) ⇄ /api/browser-call ⇄ CallSession ⇄ fake OpenAI Realtime, with the caller
 * talking and interrupting, the call persisted like a phone call, and refusals reported in-band.
 */
import { pcm16FromBytes, pcm16ToBytes } from '@switchboard/audio';
import { goertzelDb, tonePcm16 } from '@switchboard/audio/testing';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_AGENT } from '../bootstrap-agent.ts';
import { createAgent } from '../services/create-agent.ts';
import { testDbKinds } from '../testing/test-app.ts';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

type Msg = { type: string; [key: string]: unknown };

/** The dashboard's side of a browser call. */
class BrowserClient {
  readonly messages: Msg[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #ws: WebSocket;
  #waiters = new Set<() => void>();

  constructor(url: string) {
    this.#ws = new WebSocket(url);
    this.#ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Msg);
      for (const wake of this.#waiters) wake();
    });
    this.closed = new Promise((resolve) => {
      this.#ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of this.#waiters) wake();
      });
    });
  }

  /** Resolves with the first message matching, received before or after the call. */
  async waitFor(match: (m: Msg) => boolean, label: string, timeoutMs = 10_000): Promise<Msg> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          resolve();
        };
        this.#waiters.add(wake);
        setTimeout(wake, 50);
      });
    }
  }

  of(type: string): Msg[] {
    return this.messages.filter((m) => m.type === type);
  }

  /** Agent audio received so far, as samples. */
  heard(from = 0): Int16Array {
    const audio = this.of('audio').slice(from);
    return pcm16FromBytes(Buffer.concat(audio.map((m) => Buffer.from(String(m.audio), 'base64'))));
  }

  /** Sends PCM16 24 kHz in 40 ms frames, as the dashboard does. */
  async speak(samples: Int16Array): Promise<void> {
    const bytes = pcm16ToBytes(samples);
    for (let off = 0; off < bytes.length; off += 1920) {
      this.send({ type: 'audio', audio: Buffer.from(bytes.subarray(off, off + 1920)).toString('base64') });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }

  silence(ms: number): Promise<void> {
    return this.speak(new Int16Array(ms * 24));
  }

  send(message: object): void {
    this.#ws.send(JSON.stringify(message));
  }

  close(): void {
    this.#ws.close();
  }
}

describe.each(kinds)('browser call on %s', (kind) => {
  let h: VoiceHarness;
  const wsUrl = (query: Record<string, string>) =>
    `${h.base.replace(/^http/, 'ws')}/api/browser-call?${new URLSearchParams(query)}`;

  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      openai: {
        speed: 4, // the model speaks faster than real time, so the browser has audio queued
        scriptFor: (session) =>
          session === 0
            ? [
                { on: 'greeting', say: { text: 'Maple Street Dental, how can I help?', durationMs: 600 } },
                {
                  on: 'user_turn',
                  userTranscript: 'I would like to book a cleaning',
                  say: { text: 'Sure. '.repeat(30), durationMs: 6000 },
                },
                {
                  on: 'user_turn',
                  userTranscript: 'Actually, next week',
                  say: { text: 'Okay.', durationMs: 400 },
                },
              ]
            : [
                { on: 'greeting', say: { text: 'Hello!', durationMs: 300 } },
                {
                  on: 'user_turn',
                  userTranscript: 'Put me through to a person',
                  toolCall: { name: 'transfer_call', arguments: { reason: 'wants a person' } },
                },
                {
                  on: 'tool_output',
                  say: { text: 'On a phone call I would transfer you now.', durationMs: 400 },
                },
              ],
      },
    });
    // transfer_call is only offered to the model with a number to transfer to.
    await h.t
      .as(h.org.tokens.admin)
      .patch(`/api/agents/${h.org.agent.id}`, { transferNumber: '+14155550999' });
  });
  afterAll(() => h?.close());

  it('talks PCM16 24 kHz both ways, handles barge-in, and persists the call like a phone call', async () => {
    const { t, org, openai } = h;
    const client = new BrowserClient(wsUrl({ agentId: org.agent.id, token: org.tokens.agent }));
    const ready = await client.waitFor((m) => m.type === 'ready', 'ready');
    const callId = String(ready.callId);
    expect(t.ctx.liveCalls.ids()).toContain(callId);
    const session = await openai.waitForSession(0);
    expect(session.config.audio.input.format).toEqual({ type: 'audio/pcm', rate: 24000 });
    expect(session.config.audio.output.format).toEqual({ type: 'audio/pcm', rate: 24000 });

    // The greeting arrives as PCM16 24 kHz (the fake's 440 Hz tone).
    await client.waitFor(
      (m) => m.type === 'transcript' && m.role === 'assistant' && m.final === true,
      'the greeting transcript',
    );
    await eventually(async () => client.heard().length >= 0.55 * 24000 || null);
    expect(goertzelDb(client.heard(), 24000, 440)).toBeGreaterThan(-20);

    // The caller speaks: the model hears a user turn and answers at length.
    await client.speak(tonePcm16(300, 700, 24000, 0.5));
    await client.silence(700);
    await client.waitFor(
      (m) => m.type === 'transcript' && m.role === 'user' && m.text === 'I would like to book a cleaning',
      'the user transcript',
    );
    const beforeReply = client.of('audio').length;
    await eventually(async () => client.heard().length >= 24000 * 0.6 + 24000 || null); // reply under way
    expect(client.of('audio').length).toBeGreaterThan(beforeReply);

    // The caller talks over the agent: the browser is told to drop its queue.
    await client.speak(tonePcm16(300, 600, 24000, 0.5));
    await client.waitFor((m) => m.type === 'clear', 'clear');
    await client.silence(800);
    await openai.waitFor(() => session.truncations.length > 0, 5_000, 'truncation');
    const truncation = session.truncations[0]!;
    expect(truncation.ok).toBe(true);
    expect(truncation.audioEndMs).toBeGreaterThan(0);
    expect(truncation.audioEndMs).toBeLessThan(truncation.itemAudioMs);
    await client.waitFor((m) => m.type === 'transcript' && m.text === 'Actually, next week', 'second turn');

    client.send({ type: 'stop' });
    expect(await client.waitFor((m) => m.type === 'ended', 'ended')).toEqual({
      type: 'ended',
      reason: 'caller_hangup',
    });
    expect((await client.closed).code).toBe(1000);

    const detail = await eventually(async () => {
      const res = await t.as(org.tokens.viewer).get(`/api/calls/${callId}`);
      const body = res.json();
      // Both: the row and its events are read by separate queries.
      return body.endedAt && body.events?.some((e: { type: string }) => e.type === 'ended') ? body : null;
    });
    expect(detail).toMatchObject({
      direction: 'web',
      from: 'browser',
      to: org.agent.name,
      agentId: org.agent.id,
      providerCallSid: null,
      status: 'completed',
      endReason: 'caller_hangup',
    });
    expect(detail.answeredAt).not.toBeNull();
    const texts = detail.transcript.map((s: { text: string }) => s.text);
    expect(texts).toEqual(
      expect.arrayContaining(['Maple Street Dental, how can I help?', 'I would like to book a cleaning']),
    );
    const types = detail.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['stream_started', 'connected', 'barge_in', 'ended']));
    const bargeIn = detail.events.find((e: { type: string }) => e.type === 'barge_in');
    expect(bargeIn.data.truncatedAtMs).toBe(truncation.audioEndMs);
    const connected = detail.events.find((e: { type: string }) => e.type === 'connected');
    expect(connected.data.passthrough).toBe(true);
    await eventually(async () => !t.ctx.liveCalls.ids().includes(callId) || null);
  });

  it('phone-only tools fail clearly, and a dashboard hang-up ends the browser call', async () => {
    const { t, org } = h;
    const client = new BrowserClient(wsUrl({ agentId: org.agent.id, token: org.tokens.agent }));
    const callId = String((await client.waitFor((m) => m.type === 'ready', 'ready')).callId);
    await client.speak(tonePcm16(300, 600, 24000, 0.5));
    await client.silence(700);
    await client.waitFor(
      (m) => m.type === 'transcript' && m.text === 'On a phone call I would transfer you now.',
      'the reply after the tool',
    );
    const res = await t.as(org.tokens.agent).post(`/api/calls/${callId}/hangup`);
    expect(res.statusCode).toBeLessThan(300);
    expect(await client.waitFor((m) => m.type === 'ended', 'ended')).toMatchObject({
      reason: 'agent_hangup',
    });
    await client.closed;

    const detail = await eventually(async () => {
      const body = (await t.as(org.tokens.viewer).get(`/api/calls/${callId}`)).json();
      // Both: the row and its events are read by separate queries.
      return body.endedAt && body.events?.some((e: { type: string }) => e.type === 'ended') ? body : null;
    });
    const tool = detail.events.find((e: { type: string }) => e.type === 'tool_call');
    expect(tool.data).toMatchObject({
      name: 'transfer_call',
      ok: false,
      error: { code: 'failed', details: { reason: 'no_phone_line', direction: 'web' } },
    });
    expect(detail.events.map((e: { type: string }) => e.type)).toContain('hangup');
  });

  it('does not offer the model a transfer when the agent has no number to transfer to', async () => {
    const { t, org, openai } = h;
    const admin = t.as(org.tokens.admin);
    await admin.patch(`/api/agents/${org.agent.id}`, { transferNumber: null });
    try {
      const index = openai.sessions.length;
      const client = new BrowserClient(wsUrl({ agentId: org.agent.id, token: org.tokens.agent }));
      const callId = String((await client.waitFor((m) => m.type === 'ready', 'ready')).callId);
      const session = await openai.waitForSession(index);
      const names = session.config.tools.map((tool) => tool.name);
      expect(names).toContain('end_call');
      expect(names).not.toContain('transfer_call');
      await t.as(org.tokens.agent).post(`/api/calls/${callId}/hangup`);
      await client.closed;
    } finally {
      await admin.patch(`/api/agents/${org.agent.id}`, { transferNumber: '+14155550999' });
    }
  });

  it('refuses bad tokens, small roles, other organizations’ agents and bad agent ids in-band', async () => {
    const { t, org } = h;
    const other = await t.seedOrg({ name: 'Other Org' });
    const refused = async (query: Record<string, string>) => {
      const client = new BrowserClient(wsUrl(query));
      const closed = await client.closed;
      return { closed, messages: client.messages };
    };

    const noToken = await refused({ agentId: org.agent.id });
    expect(noToken.closed.code).toBe(4401);
    expect(noToken.messages).toEqual([{ type: 'error', message: expect.stringContaining('Missing token') }]);

    const badToken = await refused({ agentId: org.agent.id, token: 'not-a-token' });
    expect(badToken.closed.code).toBe(4401);
    expect(badToken.messages).toEqual([{ type: 'error', message: 'Invalid or expired token' }]);

    const viewer = await refused({ agentId: org.agent.id, token: org.tokens.viewer });
    expect(viewer.closed.code).toBe(4403);
    expect(viewer.messages[0]).toMatchObject({
      type: 'error',
      message: expect.stringContaining('agent role'),
    });

    const foreign = await refused({ agentId: other.agent.id, token: org.tokens.agent });
    expect(foreign.closed.code).toBe(4404);
    expect(foreign.messages).toEqual([{ type: 'error', message: 'Agent not found' }]);

    const badId = await refused({ agentId: 'nope', token: org.tokens.agent });
    expect(badId.closed.code).toBe(4400);

    const calls = (await t.as(other.tokens.viewer).get('/api/calls')).json();
    expect(calls.items).toEqual([]);
  });

  it('reports a missing model key clearly and marks the call failed', async () => {
    const { t, org } = h;
    const agent = await createAgent(t.ctx, {
      organizationId: org.id,
      data: { ...DEFAULT_AGENT, name: 'Gemini agent', isDefault: false, provider: 'gemini' },
    });
    const client = new BrowserClient(wsUrl({ agentId: agent.id, token: org.tokens.admin }));
    const error = await client.waitFor((m) => m.type === 'error', 'error');
    expect(error.message).toBe('The test call cannot start: no gemini API key is configured.');
    await client.closed;
    expect(client.of('ready')).toEqual([]);
    expect(client.of('ended')).toEqual([]);
    const row = await eventually(async () => {
      const items = (await t.as(org.tokens.viewer).get('/api/calls')).json().items;
      const found = items.find((c: { agentId: string }) => c.agentId === agent.id);
      return found?.endedAt ? found : null;
    });
    expect(row).toMatchObject({ direction: 'web', status: 'failed', endReason: 'no_credentials' });
  });
});
