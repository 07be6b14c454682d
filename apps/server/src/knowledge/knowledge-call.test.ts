/**
 * Knowledge and MCP tools in real calls, end to end on both databases: a caller (the test
 * kit's Twilio simulator) asks what only an uploaded PDF answers, the fake OpenAI Realtime
 * model calls search_knowledge and gets the passage, and it lands on the call's timeline; a
 * call uses the test kit's MCP server, which receives the arguments; a question goes to the
 * supervisor (the test kit's scripted text model), which answers within its iteration cap.
 */
import {
  type FakeMcpServer,
  type FakeOpenAIChat,
  makePdf,
  mulawTone,
  type ScriptTurn,
  startFakeMcpServer,
  startFakeOpenAIChat,
} from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processedKnowledge, uploadFile } from '../testing/knowledge.ts';
import { testDbKinds } from '../testing/test-app.ts';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

const kinds = await testDbKinds();
const GREETING: ScriptTurn = {
  on: 'greeting',
  say: { text: 'Prime Auto Lab, how can I help?', durationMs: 300 },
};
const PASSAGE = 'Brake repairs carry a 24-month warranty covering parts and labour';

interface TimelineEvent {
  type: string;
  data: Record<string, unknown>;
}

describe.each(kinds)('knowledge and MCP tools in a call on %s', (kind) => {
  let h: VoiceHarness;
  let crm: FakeMcpServer;
  let chat: FakeOpenAIChat;
  let script: ScriptTurn[] = [];

  beforeAll(async () => {
    crm = await startFakeMcpServer({ token: 'crm-call-token' });
    chat = await startFakeOpenAIChat();
    h = await startVoiceHarness(kind, {
      openai: { scriptFor: () => script },
      env: { OPENAI_BASE_URL: chat.url },
      jobs: true,
    });
    const admin = h.t.as(h.org.tokens.admin);
    const uploaded = await uploadFile(h.t, h.org.tokens.admin, h.org.agent.id, {
      filename: 'service-policies.pdf',
      content: makePdf([
        'Prime Auto Lab service policies.',
        `Warranty. ${PASSAGE}. Tyres are covered by the manufacturer.`,
      ]),
    });
    expect(uploaded.statusCode).toBe(202);
    const list = await processedKnowledge(h.t, h.org.tokens.admin, h.org.agent.id);
    expect(list.items[0].status).toBe('ready');
    const server = await admin.post('/api/mcp-servers', {
      name: 'crm',
      transport: 'http',
      url: crm.url,
      headers: { Authorization: 'Bearer crm-call-token' },
    });
    expect(server.json().status).toBe('ok');
    const agent = await admin.patch(`/api/agents/${h.org.agent.id}`, {
      tools: ['search_knowledge', 'mcp:crm:crm_create_contact', 'end_call', 'ask_supervisor'],
    });
    expect(agent.statusCode).toBe(200);
  });
  afterAll(async () => {
    await h?.close();
    await crm?.close();
    await chat?.close();
  });

  /** Places a call whose caller says one thing after the greeting, and returns its finished timeline. */
  const callWith = async (turns: ScriptTurn[], toolOutputs: number) => {
    script = [GREETING, ...turns];
    const index = h.openai.sessions.length;
    const call = await h.inboundCall();
    const stream = call.stream!;
    const session = await h.openai.waitForSession(index);
    await eventually(async () => stream.playedMs() >= 280 && stream.bufferedMs() === 0);
    await stream.sendAudio(mulawTone(300, 700, 0.5));
    await stream.sendSilence(700);
    await h.openai.waitFor(() => session.toolOutputs.length >= toolOutputs, 15_000);
    await eventually(async () => session.responses.length >= turns.length + 1);
    await stream.stop();
    const detail = await eventually(async () => {
      const list = (await h.t.as(h.org.tokens.viewer).get('/api/calls?limit=200')).json();
      const id = list.items.find((c: { providerCallSid: string }) => c.providerCallSid === call.callSid)?.id;
      if (!id) return null;
      const d = (await h.t.as(h.org.tokens.viewer).get(`/api/calls/${id}`)).json();
      return d.events.some((e: TimelineEvent) => e.type === 'ended') ? d : null;
    });
    return { session, events: detail.events as TimelineEvent[] };
  };

  it('answers from an uploaded PDF through search_knowledge, on the timeline', async () => {
    const { session, events } = await callWith(
      [
        {
          on: 'user_turn',
          userTranscript: 'How long is the warranty on brake repairs?',
          toolCall: { name: 'search_knowledge', arguments: { query: 'warranty on brake repairs' } },
        },
        { on: 'tool_output', say: { text: 'Brake repairs have a two-year warranty.', durationMs: 300 } },
      ],
      1,
    );
    const tools = (session.config.tools ?? []) as Array<{ name: string }>;
    expect(tools.map((t) => t.name)).toEqual([
      'search_knowledge',
      'mcp__crm__crm_create_contact',
      'end_call',
      'ask_supervisor',
    ]);
    expect(session.config.instructions).toContain('call search_knowledge with the caller');
    expect(session.config.instructions).toContain('say a short filler such as "Let me check that for you"');
    const output = JSON.parse(session.toolOutputs[0]!.output);
    expect(output.results[0]).toMatchObject({ title: 'service-policies' });
    expect(output.results[0].text).toContain(PASSAGE);
    const event = events.find((e) => e.type === 'tool_call');
    expect(event?.data).toMatchObject({
      name: 'search_knowledge',
      ok: true,
      arguments: { query: 'warranty on brake repairs' },
    });
    expect(JSON.stringify(event?.data.result)).toContain(PASSAGE);
  });

  it("runs an MCP tool of the organization's server with the model's arguments", async () => {
    const before = crm.calls.length;
    const { session, events } = await callWith(
      [
        {
          on: 'user_turn',
          userTranscript: 'Please add me as a contact, Dana Scully.',
          toolCall: {
            name: 'mcp__crm__crm_create_contact',
            arguments: { name: 'Dana Scully', phone: '+14155550123' },
          },
        },
        { on: 'tool_output', say: { text: 'Done, you are in our system.', durationMs: 300 } },
      ],
      1,
    );
    expect(crm.calls.slice(before)).toMatchObject([
      {
        tool: 'crm_create_contact',
        arguments: { name: 'Dana Scully', phone: '+14155550123' },
        headers: { authorization: 'Bearer crm-call-token' },
      },
    ]);
    expect(JSON.parse(session.toolOutputs[0]!.output)).toMatchObject({
      server: 'crm',
      tool: 'crm_create_contact',
    });
    expect(events.find((e) => e.type === 'tool_call')?.data).toMatchObject({
      name: 'mcp__crm__crm_create_contact',
      ok: true,
      arguments: { name: 'Dana Scully', phone: '+14155550123' },
      result: { server: 'crm', structured: { name: 'Dana Scully' } },
    });
  });

  it('hands a question to the supervisor, which answers from the PDF within the iteration cap', async () => {
    chat.setScript([
      {
        when: { lastUser: 'warranty' },
        toolCalls: [{ name: 'search_knowledge', arguments: { query: 'brake warranty' } }],
      },
      {
        when: { afterTool: 'search_knowledge' },
        say: 'Brake repairs are covered for 24 months, parts and labour.',
      },
    ]);
    const { session, events } = await callWith(
      [
        {
          on: 'user_turn',
          userTranscript: 'Is labour covered by the warranty on my brakes?',
          say: { text: 'Let me check that for you.', durationMs: 300 },
          toolCall: {
            name: 'ask_supervisor',
            arguments: { question: 'Is labour covered by the warranty on brake repairs?' },
          },
        },
        { on: 'tool_output', say: { text: 'Yes, parts and labour for two years.', durationMs: 300 } },
      ],
      1,
    );
    expect(JSON.parse(session.toolOutputs[0]!.output)).toEqual({
      answer: 'Brake repairs are covered for 24 months, parts and labour.',
      iterations: 2,
      stopReason: 'completed',
    });
    const tools = events.filter((e) => e.type === 'tool_call').map((e) => [e.data.name, e.data.via ?? null]);
    expect(tools).toEqual([
      ['search_knowledge', 'ask_supervisor'],
      ['ask_supervisor', null],
    ]);
  });
});
