/**
 * POST /api/prospects/:id/call when it must not or cannot dial: the do-not-call list, Twilio not
 * configured, Twilio refusing the call or the credentials; and calls nobody answers (no-answer,
 * busy, failed), whose outcome is recorded from the status callbacks.
 */
import { calls, doNotCall } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createdCall, status } from '../testing/outbound-call.ts';
import { buildTestApp, testDbKinds } from '../testing/test-app.ts';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

describe.each(kinds)('placing outbound calls on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind);
  });
  afterAll(() => h?.close());

  const api = () => h.t.as(h.org.tokens.agent);
  let n = 0;
  const newProspect = async (values: Record<string, unknown> = {}) =>
    (
      await api().post('/api/prospects', {
        phone: `+1415555${String(200 + ++n).padStart(4, '0')}`,
        ...values,
      })
    ).json();
  const callsTo = (phone: string) => h.t.ctx.db.select().from(calls).where(eq(calls.to, phone));
  const createsSent = () => h.rest.requests.filter((r) => r.path.endsWith('/Calls.json')).length;

  it('never dials a prospect on the do-not-call list or in status do_not_call', async () => {
    const listed = await newProspect();
    await h.t.ctx.db
      .insert(doNotCall)
      .values({ organizationId: h.org.id, phone: listed.phone, reason: 'asked' });
    const opted = await newProspect({ status: 'do_not_call' });
    const before = createsSent();
    for (const prospect of [listed, opted]) {
      const res = await api().post(`/api/prospects/${prospect.id}/call`);
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toMatchObject({ code: 'conflict', details: { reason: 'do_not_call' } });
      expect(await callsTo(prospect.phone)).toEqual([]);
    }
    expect(createsSent()).toBe(before);
  });

  it('answers 404 for another organization’s prospect, 400 for an unknown agent, 403 for a viewer', async () => {
    const other = await h.t.seedOrg({ name: 'Other' });
    const theirs = (
      await h.t.as(other.tokens.agent).post('/api/prospects', { phone: '+14155550300' })
    ).json();
    expect((await api().post(`/api/prospects/${theirs.id}/call`)).statusCode).toBe(404);
    const mine = await newProspect();
    const badAgent = await api().post(`/api/prospects/${mine.id}/call`, { agentId: theirs.id });
    expect(badAgent.statusCode).toBe(400);
    expect(badAgent.json().error.details.issues).toEqual([{ path: 'agentId', message: 'no such agent' }]);
    expect((await h.t.as(h.org.tokens.viewer).post(`/api/prospects/${mine.id}/call`)).statusCode).toBe(403);
  });

  it('keeps a failed call row with Twilio’s reason when Twilio refuses the call or the credentials', async () => {
    const prospect = await newProspect();
    h.rest.failNext({
      status: 400,
      code: 21215,
      message: 'Geo Permission configuration is not permitting call',
      match: { path: '/Calls.json' },
    });
    const refused = await api().post(`/api/prospects/${prospect.id}/call`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      message:
        'Twilio refused the call: Geo Permission configuration is not permitting call (Twilio error 21215)',
      details: { reason: 'twilio_error' },
    });
    const row = (await api().get(`/api/calls/${refused.json().error.details.callId}`)).json();
    expect(row).toMatchObject({ status: 'failed', endReason: 'twilio_error', direction: 'outbound' });
    expect(row.error).toContain('21215');

    h.rest.failNext({ status: 401, code: 20003, message: 'Authenticate', match: { path: '/Calls.json' } });
    const auth = await api().post(`/api/prospects/${prospect.id}/call`);
    expect(auth.statusCode).toBe(409);
    expect(auth.json().error).toMatchObject({
      message: 'Twilio rejected the credentials (check the Account SID and auth token).',
      details: { reason: 'twilio_auth_failed' },
    });
    expect((await api().get(`/api/calls/${auth.json().error.details.callId}`)).json().status).toBe('failed');
  });

  it('records no-answer, busy and failed outcomes from the status callbacks', async () => {
    for (const outcome of ['no-answer', 'busy', 'failed'] as const) {
      const prospect = await newProspect();
      const placed = (await api().post(`/api/prospects/${prospect.id}/call`)).json();
      const twilioCall = createdCall(h, placed.id);
      await status(h, twilioCall, 'initiated', 0);
      await status(h, twilioCall, 'ringing', 1);
      await status(h, twilioCall, outcome, 2);
      const row = await eventually(async () => {
        const d = (await api().get(`/api/calls/${placed.id}`)).json();
        return d.status === outcome ? d : null;
      });
      expect(row).toMatchObject({
        endReason: outcome,
        disposition: outcome.replace('-', '_'),
        answeredAt: null,
      });
      expect(row.endedAt).not.toBeNull();
    }
  });
});

describe.each(kinds)('placing outbound calls without Twilio on %s', (kind) => {
  it('explains the missing configuration and marks the call failed', async () => {
    const t = await buildTestApp(kind, { env: { PUBLIC_URL: 'https://bridge.example.com' } });
    try {
      const org = await t.seedOrg();
      const prospect = (
        await t.as(org.tokens.agent).post('/api/prospects', { phone: '+14155550400' })
      ).json();
      const res = await t.as(org.tokens.agent).post(`/api/prospects/${prospect.id}/call`);
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toMatch(/^Twilio is not configured/);
      const row = (await t.as(org.tokens.viewer).get(`/api/calls/${res.json().error.details.callId}`)).json();
      expect(row).toMatchObject({
        status: 'failed',
        endReason: 'twilio_not_configured',
        prospectId: prospect.id,
      });
    } finally {
      await t.close();
    }
  });
});
