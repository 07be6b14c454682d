/**
 * ask_supervisor on both databases, against the test kit's scripted OpenAI chat fake: the
 * supervisor looks the answer up with search_knowledge (and an MCP tool), answers within the
 * iteration cap, records its tool calls on the call's timeline, and stops at the cap or fails
 * clearly when no text model is configured.
 */
import { callEvents } from '@switchboard/db';
import {
  type FakeMcpServer,
  type FakeOpenAIChat,
  startFakeMcpServer,
  startFakeOpenAIChat,
} from '@switchboard/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcpToolsForCall } from '../mcp/call-tools.ts';
import { processedKnowledge } from '../testing/knowledge.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { errorOf, resultOf, toolHarness } from '../testing/tool-context.ts';
import { SUPERVISOR_MAX_ITERATIONS } from './ask-supervisor.ts';

const kinds = await testDbKinds();

describe.each(kinds)('ask_supervisor on %s', (kind) => {
  let t: TestApp;
  let chat: FakeOpenAIChat;
  let crm: FakeMcpServer;
  beforeAll(async () => {
    chat = await startFakeOpenAIChat({ apiKey: 'sk-supervisor' });
    crm = await startFakeMcpServer();
    t = await buildTestApp(kind, {
      jobs: true,
      env: { OPENAI_API_KEY: 'sk-supervisor', OPENAI_BASE_URL: chat.url },
    });
  });
  afterAll(async () => {
    await t?.close();
    await chat?.close();
    await crm?.close();
  });

  const seed = async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    await admin.post(`/api/agents/${org.agent.id}/knowledge`, {
      title: 'Warranty',
      text: 'Brake repairs carry a 24-month warranty covering parts and labour.',
    });
    await processedKnowledge(t, org.tokens.admin, org.agent.id);
    await admin.post('/api/mcp-servers', { name: 'crm', transport: 'http', url: crm.url });
    const tools = ['search_knowledge', 'ask_supervisor', 'end_call', 'mcp:crm:crm_check_calendar'];
    expect((await admin.patch(`/api/agents/${org.agent.id}`, { tools })).statusCode).toBe(200);
    const call = await mcpToolsForCall(t.ctx, { organizationId: org.id, tools });
    return toolHarness(t, org, {}, { callTools: call.callTools });
  };

  it('answers from the knowledge base and the MCP server within the iteration cap', async () => {
    const h = await seed();
    chat.setScript([
      {
        when: { lastUser: 'warranty' },
        toolCalls: [{ name: 'search_knowledge', arguments: { query: 'brake repair warranty' } }],
      },
      {
        when: { afterTool: 'search_knowledge' },
        toolCalls: [{ name: 'mcp__crm__crm_check_calendar', arguments: { date: '2026-03-09' } }],
      },
      {
        when: { afterTool: 'mcp__crm__crm_check_calendar' },
        say: 'Brake repairs have a two-year warranty, and Monday at nine is free.',
      },
    ]);
    const before = chat.requests.length;
    const result = resultOf<{ answer: string; iterations: number; stopReason: string }>(
      await h.run('ask_supervisor', {
        question: 'How long is the warranty on brakes, and can I come Monday?',
      }),
    );
    expect(result).toEqual({
      answer: 'Brake repairs have a two-year warranty, and Monday at nine is free.',
      iterations: 3,
      stopReason: 'completed',
    });
    const requests = chat.requests.slice(before);
    expect(requests.length).toBeLessThanOrEqual(SUPERVISOR_MAX_ITERATIONS);
    const declared = requests[0]!.conversation?.tools;
    expect(declared).toEqual(['search_knowledge', 'mcp__crm__crm_check_calendar']); // no call control, no recursion
    const toolMessage = requests[1]!.conversation?.messages.find((m) => m.role === 'tool');
    expect(JSON.stringify(toolMessage)).toContain('24-month warranty');
    expect(crm.calls.at(-1)).toMatchObject({ tool: 'crm_check_calendar', arguments: { date: '2026-03-09' } });
    // The supervisor's own tool calls are on the call's timeline.
    const events = await t.ctx.db.select().from(callEvents).where(eq(callEvents.callId, h.call.id));
    expect(
      events.filter((e) => e.type === 'tool_call').map((e) => [e.data.name, e.data.via, e.data.ok]),
    ).toEqual([
      ['search_knowledge', 'ask_supervisor', true],
      ['mcp__crm__crm_check_calendar', 'ask_supervisor', true],
    ]);
  });

  it('stops at the iteration cap with an answer in words', async () => {
    const h = await seed();
    chat.setScript([
      {
        when: (c) => c.toolsDisabled,
        say: 'I could not find that, I will ask a colleague to call you back.',
        times: Infinity,
      },
      { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'anything' } }], times: Infinity },
    ]);
    const before = chat.requests.length;
    const result = resultOf<{ answer: string; iterations: number; stopReason: string }>(
      await h.run('ask_supervisor', { question: 'Something nobody knows' }),
    );
    expect(result).toMatchObject({ iterations: SUPERVISOR_MAX_ITERATIONS, stopReason: 'max_iterations' });
    expect(result.answer).toMatch(/call you back/);
    expect(chat.requests.length - before).toBe(SUPERVISOR_MAX_ITERATIONS);
  });

  it('fails clearly when the text model fails or is not configured', async () => {
    const h = await seed();
    chat.failNext({ status: 400, message: 'bad request' });
    const failed = errorOf(await h.run('ask_supervisor', { question: 'Hours?' }));
    expect(failed).toMatchObject({
      code: 'failed',
      message: 'The supervisor could not answer. Offer to follow up.',
    });
    const bare = await buildTestApp(kind);
    try {
      const org = await bare.seedOrg();
      const harness = await toolHarness(bare, org);
      expect(errorOf(await harness.run('ask_supervisor', { question: 'Hours?' })).message).toMatch(
        /No text model/,
      );
    } finally {
      await bare.close();
    }
  });
});
