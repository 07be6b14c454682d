/**
 * The website chat through the real server on both databases: a page on an allowed origin gets
 * a single-use token, opens the chat socket, and books a meeting through the agent's tools with
 * the test kit's scripted OpenAI chat fake; the conversation is a `web_chat` call with its
 * transcript and tool events, listed by channel; a returning visitor continues it.
 */
import { appointments, callEvents, transcriptSegments } from '@switchboard/db';
import { type FakeOpenAIChat, startFakeOpenAIChat } from '@switchboard/testkit';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';

import { ChatClient, enableWidget, requestSession, settled } from '../testing/widget.ts';

const kinds = await testDbKinds();
// Friday 2026-03-06 10:00 in New York.
const NOW = new Date('2026-03-06T15:00:00Z');

describe.each(kinds)('website chat on %s', (kind) => {
  let t: TestApp;
  let chat: FakeOpenAIChat;
  let ws: string;
  beforeAll(async () => {
    chat = await startFakeOpenAIChat({ apiKey: 'sk-widget' });
    t = await buildTestApp(kind, {
      clock: () => NOW,
      env: { OPENAI_API_KEY: 'sk-widget', OPENAI_BASE_URL: chat.url, WIDGET_MESSAGES_PER_MINUTE: '3' },
    });
    ws = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
  });
  afterAll(async () => {
    await t?.close();
    await chat?.close();
  });

  const open = async (org: SeededOrg, key: string, visitorId?: string) => {
    const res = await requestSession(t, {
      agentKey: key,
      channel: 'chat',
      ...(visitorId ? { visitorId } : {}),
    });
    expect(res.statusCode).toBe(201);
    const grant = res.json() as { token: string; url: string; expiresAt: string };
    expect(grant.url).toMatch(/\/api\/widget\/chat$/);
    expect(new Date(grant.expiresAt).getTime() - NOW.getTime()).toBe(60_000);
    const client = new ChatClient(`${ws}/api/widget/chat?token=${grant.token}`);
    const ready = await client.waitFor((m) => m.type === 'ready', 'ready');
    return { client, ready, org };
  };

  it('books a meeting through the tools and stores the conversation as a web_chat call', async () => {
    const org = await t.seedOrg();
    const widget = await enableWidget(t, org);
    chat.setScript([
      {
        when: { afterTool: 'check_availability' },
        say: 'Monday at 10:00 or 10:30 is free. Which suits you?',
      },
      { when: { afterTool: 'book_appointment' }, say: 'You are booked for Monday 9 March at 10:00.' },
      {
        when: { lastUser: 'monday' },
        toolCalls: [{ name: 'check_availability', arguments: { date: '2026-03-09' } }],
      },
      {
        when: { lastUser: 'book' },
        toolCalls: [
          {
            name: 'book_appointment',
            arguments: { start: '2026-03-09T10:00:00-04:00', name: 'Ada Lovelace', email: 'ada@example.com' },
          },
        ],
      },
    ]);
    const { client, ready } = await open(org, widget.publicKey, 'visitor-0123456789abcdef');
    expect(ready).toEqual({ type: 'ready', conversationId: null, history: [] });
    client.say('Do you have time on Monday?');
    expect((await client.reply(1)).text).toBe('Monday at 10:00 or 10:30 is free. Which suits you?');
    client.say('Please book 10:00 for Ada Lovelace, ada@example.com');
    const booked = await client.reply(2);
    expect(booked).toEqual({
      type: 'message',
      role: 'assistant',
      text: 'You are booked for Monday 9 March at 10:00.',
    });
    // Deltas stream before each reply; exactly one `message` per reply.
    expect(
      client
        .of('delta')
        .map((m) => m.text)
        .join(''),
    ).toContain('You are booked');
    expect(client.of('message')).toHaveLength(2);
    // The chat model got the agent's instructions and its tools (no phone-only ones).
    const declared = chat.requests[0]!.conversation!.tools;
    expect(declared).toContain('book_appointment');
    expect(declared).not.toContain('transfer_call');

    const callId = String((await client.waitFor((m) => m.type === 'started', 'started')).conversationId);
    const [appointment] = await t.ctx.db
      .select()
      .from(appointments)
      .where(eq(appointments.organizationId, org.id));
    expect(appointment?.start.toISOString()).toBe('2026-03-09T14:00:00.000Z');

    client.close();
    await settled(async () => {
      const res = await t.as(org.tokens.viewer).get(`/api/calls/${callId}`);
      const call = res.json();
      expect(call).toMatchObject({
        channel: 'web_chat',
        direction: 'web',
        status: 'completed',
        endReason: 'caller_hangup',
      });
      expect(call.transcript.map((s: { role: string }) => s.role)).toEqual([
        'user',
        'assistant',
        'user',
        'assistant',
      ]);
      expect(
        call.events
          .filter((e: { type: string }) => e.type === 'tool_call')
          .map((e: { data: { name: string } }) => e.data.name),
      ).toEqual(['check_availability', 'book_appointment']);
    });
    const list = await t.as(org.tokens.viewer).get('/api/calls?channel=web_chat');
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([callId]);
    expect((await t.as(org.tokens.viewer).get('/api/calls?channel=phone')).json().items).toEqual([]);

    // The same browser comes back: the conversation continues in the same call.
    chat.setScript([{ say: 'Yes, see you on Monday!' }]);
    const again = await open(org, widget.publicKey, 'visitor-0123456789abcdef');
    expect(again.ready.conversationId).toBe(callId);
    expect((again.ready.history as unknown[]).length).toBe(4);
    again.client.say('Is it still on?');
    await again.client.reply(1);
    const lastRequest = chat.requests.at(-1)!.conversation!;
    expect(lastRequest.messages.filter((m) => m.role === 'user')).toHaveLength(3);
    again.client.close();
    await settled(async () => {
      const rows = await t.ctx.db
        .select()
        .from(transcriptSegments)
        .where(eq(transcriptSegments.callId, callId));
      expect(rows).toHaveLength(6);
    });
    // A visitor without the id starts a new conversation.
    const stranger = await open(org, widget.publicKey);
    expect(stranger.ready).toMatchObject({ conversationId: null, history: [] });
    stranger.client.close();
    await stranger.client.closed;
    // Opening the widget without writing stores no conversation.
    expect((await t.as(org.tokens.viewer).get('/api/calls')).json().items).toHaveLength(1);
  });

  it('ends the conversation when the agent calls end_call', async () => {
    const org = await t.seedOrg();
    const widget = await enableWidget(t, org);
    chat.setScript([
      {
        when: { lastUser: 'bye' },
        say: 'Goodbye, have a nice day!',
        toolCalls: [{ name: 'end_call', arguments: { reason: 'visitor said goodbye' } }],
      },
    ]);
    const { client } = await open(org, widget.publicKey);
    client.say('Thanks, bye!');
    expect(await client.reply(1)).toMatchObject({ text: 'Goodbye, have a nice day!' });
    expect(await client.waitFor((m) => m.type === 'ended', 'ended')).toEqual({
      type: 'ended',
      reason: 'agent_hangup',
    });
    expect((await client.closed).code).toBe(1000);
    const callId = String((await client.waitFor((m) => m.type === 'started', 'started')).conversationId);
    await settled(async () => {
      const call = (await t.as(org.tokens.viewer).get(`/api/calls/${callId}`)).json();
      expect(call).toMatchObject({ status: 'completed', endReason: 'agent_hangup', channel: 'web_chat' });
    });
  });

  it('refuses oversized, too frequent, empty and overlapping messages without storing them; binary ends the session', async () => {
    const org = await t.seedOrg();
    const widget = await enableWidget(t, org);
    chat.setScript([{ say: 'Sure.', times: Number.POSITIVE_INFINITY }]);
    const { client } = await open(org, widget.publicKey);
    client.say('x'.repeat(2001));
    await client.waitFor((m) => m.code === 'message_too_large', 'too large');
    client.say('   ');
    await client.waitFor((m) => m.code === 'empty_message', 'empty');
    for (let n = 1; n <= 3; n++) {
      client.say(`message ${n}`);
      await client.reply(n);
    }
    const callId = String((await client.waitFor((m) => m.type === 'started', 'started')).conversationId);
    client.say('one more');
    await client.waitFor((m) => m.code === 'rate_limited', 'rate limited');
    client.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    expect((await client.closed).code).toBe(4400);
    expect(client.of('error').map((m) => m.code)).toContain('bad_message');
    await settled(async () => {
      const rows = await t.ctx.db
        .select({ text: transcriptSegments.text })
        .from(transcriptSegments)
        .where(and(eq(transcriptSegments.callId, callId), eq(transcriptSegments.role, 'user')));
      expect(rows.map((r) => r.text)).toEqual(['message 1', 'message 2', 'message 3']);
      const ended = await t.ctx.db
        .select()
        .from(callEvents)
        .where(and(eq(callEvents.callId, callId), eq(callEvents.type, 'ended')));
      expect(ended).toHaveLength(1);
    });
  });
});
