/**
 * The studio's text test chat (WS /api/agents/:id/test-chat) through the real server on both
 * databases, with the test kit's scripted OpenAI chat fake: the agent's tools run and are shown,
 * the conversation is a `web_chat` test call from `browser` with its transcript; no key, another
 * organization's agent, a viewer, the caps and a rate-limited model each get a clear refusal.
 */
import { prospects } from '@switchboard/db';
import { type FakeOpenAIChat, startFakeOpenAIChat } from '@switchboard/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { ChatClient, settled } from '../testing/widget.ts';

const kinds = await testDbKinds();
const KEY = 'sk-test-chat';

describe.each(kinds)('studio text test chat on %s', (kind) => {
  let t: TestApp;
  let chat: FakeOpenAIChat;
  let ws: string;
  beforeAll(async () => {
    chat = await startFakeOpenAIChat({ apiKey: KEY });
    // No OPENAI_API_KEY: each organization brings its own (or has none).
    t = await buildTestApp(kind, { env: { OPENAI_BASE_URL: chat.url, BROWSER_CALLS_PER_USER: '1' } });
    ws = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
  });
  afterAll(async () => {
    await t?.close();
    await chat?.close();
  });

  const withKey = async (name = 'Maple Street Dental') => {
    const org = await t.seedOrg({ name });
    const res = await t.as(org.tokens.admin).put('/api/integrations/openai', { secrets: { apiKey: KEY } });
    expect(res.statusCode).toBe(200);
    return org;
  };
  const connect = (org: SeededOrg, token: string, agentId = org.agent.id) =>
    new ChatClient(`${ws}/api/agents/${agentId}/test-chat?token=${encodeURIComponent(token)}`, null);

  it('runs the agent with its tools, shows each tool call, and stores a web_chat test call', async () => {
    const org = await withKey();
    await t.as(org.tokens.admin).patch(`/api/agents/${org.agent.id}`, {
      instructions: 'You are {{agent.name}} of {{business.name}}. Ask {{prospect.contact}} for details.',
    });
    chat.setScript([
      { when: { afterTool: 'create_lead' }, say: 'Thanks Ada, I noted your details.' },
      {
        when: { lastUser: 'lead' },
        toolCalls: [{ name: 'create_lead', arguments: { name: 'Ada Lovelace', phone: '+14155550123' } }],
      },
    ]);
    const client = connect(org, org.tokens.agent);
    expect(await client.waitFor((m) => m.type === 'ready', 'ready')).toEqual({
      type: 'ready',
      conversationId: null,
      history: [],
    });
    client.say('Please take me as a lead: Ada Lovelace, +1 415 555 0123');
    expect((await client.reply(1)).text).toBe('Thanks Ada, I noted your details.');
    const [tool] = client.of('tool_call');
    expect(tool).toMatchObject({
      type: 'tool_call',
      name: 'create_lead',
      arguments: { name: 'Ada Lovelace', phone: '+14155550123' },
      ok: true,
    });
    expect(String(tool?.summary)).toContain('Ada Lovelace');
    // The agent's own instructions, variables filled (sample prospect), with the test chat's rules.
    const request = chat.requests.at(-1)!.conversation!;
    expect(request.instructions).toContain('of Maple Street Dental. Ask Jordan Lee for details.');
    expect(request.instructions).toContain('# Test chat');
    expect(request.tools).toContain('create_lead');
    expect(request.tools).not.toContain('transfer_call');

    const callId = String((await client.waitFor((m) => m.type === 'started', 'started')).conversationId);
    const saved = await t.ctx.db.select().from(prospects).where(eq(prospects.organizationId, org.id));
    expect(saved.map((p) => p.contact)).toEqual(['Ada Lovelace']);
    client.close();
    await settled(async () => {
      const call = (await t.as(org.tokens.viewer).get(`/api/calls/${callId}`)).json();
      expect(call).toMatchObject({
        channel: 'web_chat',
        direction: 'web',
        from: 'browser',
        status: 'completed',
        endReason: 'caller_hangup',
      });
      expect(call.transcript.map((s: { role: string }) => s.role)).toEqual(['user', 'assistant']);
      expect(call.events.filter((e: { type: string }) => e.type === 'tool_call')).toHaveLength(1);
    });
  });

  it('says to add a model key when the organization has none', async () => {
    const org = await t.seedOrg();
    const client = connect(org, org.tokens.admin);
    expect(await client.closed).toMatchObject({ code: 4412 });
    expect(client.of('error')).toEqual([
      { type: 'error', code: 'no_model_key', message: expect.stringContaining('Settings → Credentials') },
    ]);
    expect((await t.as(org.tokens.viewer).get('/api/calls')).json().items).toEqual([]);
  });

  it("refuses another organization's agent, a bad token and a viewer", async () => {
    const org = await withKey();
    const other = await withKey('Other');
    const foreign = connect(org, org.tokens.admin, other.agent.id);
    expect((await foreign.closed).code).toBe(4404);
    expect(foreign.of('error')[0]).toMatchObject({ code: 'not_found' });
    expect((await connect(org, 'not-a-token').closed).code).toBe(4401);
    expect((await connect(org, org.tokens.viewer).closed).code).toBe(4403);
    expect((await connect(org, org.tokens.admin, 'nope').closed).code).toBe(4400);
  });

  it('caps open test chats per user and frees the slot when one closes', async () => {
    const org = await withKey();
    const first = connect(org, org.tokens.admin);
    await first.waitFor((m) => m.type === 'ready', 'ready');
    const second = connect(org, org.tokens.admin);
    expect((await second.closed).code).toBe(4429);
    expect(second.of('error')[0]).toMatchObject({ code: 'too_many' });
    // Another user of the organization may still chat.
    const colleague = connect(org, org.tokens.agent);
    await colleague.waitFor((m) => m.type === 'ready', 'colleague ready');
    first.close();
    await first.closed;
    await settled(async () => {
      const third = connect(org, org.tokens.admin);
      await third.waitFor((m) => m.type === 'ready', 'third ready', 1_000);
      third.close();
    });
    colleague.close();
  });

  it('explains a rate-limited model and keeps the chat open', async () => {
    const org = await withKey();
    const client = connect(org, org.tokens.admin);
    await client.waitFor((m) => m.type === 'ready', 'ready');
    chat.failNext({ status: 429, retryAfterSeconds: 0, times: 2 });
    client.say('Hello?');
    expect(await client.waitFor((m) => m.type === 'error', 'error')).toMatchObject({
      code: 'model_rate_limited',
      message: expect.stringContaining('rate limiting'),
    });
    chat.setScript([{ say: 'Hello, how can I help?' }]);
    client.say('Hello again');
    expect((await client.reply(1)).text).toBe('Hello, how can I help?');
    expect(client.of('error')).toHaveLength(1);
    client.close();
  });
});
