import { type FakeOpenAIChat, startFakeOpenAIChat } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { endCall } from '../call-record/end-call.ts';
import { insertCall, insertCallEvents, insertTranscript } from '../testing/fixtures.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { startReceiver } from '../testing/webhook-receiver.ts';
import { verifySignature } from '../webhooks/sign.ts';
import { analyzeCall } from './analysis-job.ts';

const kinds = await testDbKinds();
const WAIT = { timeout: 20_000, interval: 50 };

const EXTRACTION = [
  { name: 'company', type: 'string', description: "The caller's company" },
  { name: 'seats', type: 'number', description: 'How many seats they need' },
  { name: 'budget_ok', type: 'boolean', description: 'Whether the budget fits' },
  { name: 'urgency', type: 'enum', description: 'How soon', options: ['now', 'quarter', 'later'] },
] as const;

describe.each(kinds)('post-call analysis on %s', (kind) => {
  let t: TestApp;
  let chat: FakeOpenAIChat;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    chat = await startFakeOpenAIChat();
    receiver = await startReceiver();
    t = await buildTestApp(kind, {
      jobs: true,
      env: {
        OPENAI_BASE_URL: chat.url,
        OPENAI_API_KEY: 'sk-test-key',
        OPENAI_TEXT_MODEL: 'gpt-4.1-mini',
        WEBHOOK_ALLOW_PRIVATE: 'true',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await chat.close();
    await receiver.close();
  });

  async function answeredCall(orgId: string, agentId: string) {
    const call = await insertCall(t.ctx.db, orgId, {
      status: 'in-progress',
      agentId,
      answeredAt: new Date(Date.now() - 95_000),
      costUsd: '0.1',
    });
    await insertTranscript(t.ctx.db, call, [
      { role: 'assistant', text: 'Hello, Acme sales, how can I help?', atMs: 500 },
      { role: 'user', text: 'Hi, Dana from Globex. We need 12 seats this month.', atMs: 4_000 },
      { role: 'assistant', text: 'Booked you for Tuesday at 10.', atMs: 9_000 },
    ]);
    return call;
  }

  it('writes summary, the booking as disposition and validated extraction when an answered call ends', async () => {
    const org = await t.seedOrg();
    await t
      .as(org.tokens.admin)
      .patch(`/api/agents/${org.agent.id}`, { postCall: { summary: true, extraction: EXTRACTION } });
    const hook = (
      await t.as(org.tokens.admin).post('/api/webhooks', { url: receiver.url, events: ['call.ended'] })
    ).json();
    const call = await answeredCall(org.id, org.agent.id);
    await insertCallEvents(t.ctx.db, call, [
      {
        type: 'tool_call',
        atMs: 8_000,
        data: {
          name: 'book_appointment',
          arguments: { start: 'tuesday 10:00' },
          ok: true,
          result: { booked: true },
          durationMs: 40,
        },
      },
    ]);
    chat.setScript([
      {
        when: { structured: true, instructions: 'finished phone call' },
        json: {
          summary: 'Dana from Globex needs 12 seats this month. A meeting was booked for Tuesday at 10.',
          disposition: 'interested',
          extraction: { company: 'Globex', seats: 12, budget_ok: null, urgency: 'now' },
        },
      },
    ]);
    await endCall(t.ctx, call, { kind: 'twilio', status: 'completed', durationS: 95 });
    const api = t.as(org.tokens.viewer);
    expect((await api.get(`/api/calls/${call.id}`)).json().analysisStatus).toMatch(/pending|done/);
    const done = await vi.waitFor(async () => {
      const body = (await api.get(`/api/calls/${call.id}`)).json();
      expect(body.analysisStatus).toBe('done');
      return body;
    }, WAIT);
    expect(done).toMatchObject({
      summary: 'Dana from Globex needs 12 seats this month. A meeting was booked for Tuesday at 10.',
      // The booking decides, whatever the model said.
      disposition: 'meeting_booked',
      extraction: { company: 'Globex', seats: 12, budget_ok: null, urgency: 'now' },
      analysisError: null,
    });
    // 2 started minutes inbound at the default rate, plus the voice model and the analysis.
    expect(done.cost.telephony).toBeCloseTo(0.017, 6);
    expect(done.cost.model).toBeGreaterThan(0.1);
    expect(done.cost.total).toBeCloseTo(done.cost.model + done.cost.telephony, 6);
    // The overview sums the full cost.
    expect((await api.get('/api/stats/overview')).json().costUsd).toBeCloseTo(done.cost.total, 6);
    // One signed call.ended, sent after the analysis, carrying its results.
    const delivered = await vi.waitFor(() => {
      const got = receiver.received.filter((r) => JSON.parse(r.body).data.call?.id === call.id);
      expect(got).toHaveLength(1);
      return got[0]!;
    }, WAIT);
    const signature = String(delivered.headers['x-switchboard-signature']);
    expect(verifySignature(hook.secret, delivered.body, signature, Math.floor(Date.now() / 1000))).toBe(true);
    expect(JSON.parse(delivered.body)).toMatchObject({
      type: 'call.ended',
      organizationId: org.id,
      data: {
        call: {
          summary: done.summary,
          disposition: 'meeting_booked',
          extraction: { company: 'Globex', seats: 12 },
          cost: done.cost,
        },
      },
    });
    const request = chat.requests.at(-1)!;
    expect(JSON.stringify(request.body)).toContain('Dana from Globex');
    expect(JSON.stringify(request.body)).toContain('book_appointment succeeded');

    // The summary is what the next call with this prospect is told.
    const { callerContext } = await import('../calls/call-context.ts');
    const prospect = await t
      .as(org.tokens.admin)
      .post('/api/prospects', { phone: '+14155550177', contact: 'Dana' });
    const { calls } = await import('@switchboard/db');
    const { eq } = await import('drizzle-orm');
    await t.ctx.db.update(calls).set({ prospectId: prospect.json().id }).where(eq(calls.id, call.id));
    // The next call we place to them (an inbound caller is unverified and gets no summaries).
    const next = await insertCall(t.ctx.db, org.id, {
      prospectId: prospect.json().id,
      direction: 'outbound',
    });
    const context = await callerContext(t.ctx.db, next);
    expect(context?.previousCalls?.[0]).toMatchObject({
      disposition: 'meeting_booked',
      summary: done.summary,
    });
  });

  it('keeps the transcript and says why when the model answers outside the schema, retrying until the last attempt', async () => {
    const org = await t.seedOrg();
    await t
      .as(org.tokens.admin)
      .patch(`/api/agents/${org.agent.id}`, { postCall: { summary: true, extraction: EXTRACTION } });
    const call = await insertCall(t.ctx.db, org.id, {
      status: 'completed',
      agentId: org.agent.id,
      answeredAt: new Date(),
      analysisStatus: 'pending',
    });
    await insertTranscript(t.ctx.db, call, [{ role: 'user', text: 'Not interested, thanks.', atMs: 1_000 }]);
    chat.setScript([
      {
        when: { structured: true },
        json: { summary: 'x', disposition: 'maybe', extraction: { company: 5 } },
        times: 2,
      },
    ]);
    const job = { data: { organizationId: org.id, callId: call.id }, signal: new AbortController().signal };
    await expect(analyzeCall(t.ctx, { ...job, lastAttempt: false })).rejects.toThrow(/schema/);
    const api = t.as(org.tokens.viewer);
    let body = (await api.get(`/api/calls/${call.id}`)).json();
    expect(body.analysisStatus).toBe('pending');
    expect(body.analysisError).toMatch(/invalid_output.*disposition/);

    await expect(analyzeCall(t.ctx, { ...job, lastAttempt: true })).rejects.toThrow();
    body = (await api.get(`/api/calls/${call.id}`)).json();
    expect(body).toMatchObject({ analysisStatus: 'failed', summary: null });
    expect(body.analysisError).toMatch(/does not match its schema/);
    expect(body.transcript).toHaveLength(1);

    chat.setScript([{ when: { structured: true }, say: 'this is not json' }]);
    await expect(analyzeCall(t.ctx, { ...job, lastAttempt: true })).rejects.toThrow(/not JSON/);
  });

  it('decides unanswered calls from the facts, without a model', async () => {
    const org = await t.seedOrg();
    const call = await insertCall(t.ctx.db, org.id, { status: 'ringing', direction: 'outbound' });
    const before = chat.requests.length;
    await endCall(t.ctx, call, { kind: 'twilio', status: 'no-answer', durationS: 0 });
    const body = (await t.as(org.tokens.viewer).get(`/api/calls/${call.id}`)).json();
    expect(body).toMatchObject({
      disposition: 'no_answer',
      analysisStatus: null,
      cost: { model: 0, telephony: 0, total: 0 },
    });
    expect(chat.requests.length).toBe(before);
  });

  it('filters the call list by disposition', async () => {
    const org = await t.seedOrg();
    await insertCall(t.ctx.db, org.id, { disposition: 'busy' });
    await insertCall(t.ctx.db, org.id, { disposition: 'meeting_booked' });
    const list = (await t.as(org.tokens.viewer).get('/api/calls?disposition=meeting_booked')).json();
    expect(list.items.map((c: { disposition: string }) => c.disposition)).toEqual(['meeting_booked']);
    expect((await t.as(org.tokens.viewer).get('/api/calls?disposition=nope')).statusCode).toBe(400);
  });
});
