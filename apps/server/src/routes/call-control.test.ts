import { randomUUID } from 'node:crypto';
import { auditLog } from '@switchboard/db';
import { startTwilioRestFake, type TwilioRestFake } from '@switchboard/testkit';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioRestClient } from '../telephony/rest-client.ts';
import { insertCall } from '../testing/fixtures.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token-9f3a';

describe.each(kinds)('POST /api/calls/:id/hangup on %s', (kind) => {
  let t: TestApp;
  let rest: TwilioRestFake;
  beforeAll(async () => {
    rest = await startTwilioRestFake({ accountSid: SID, authToken: TOKEN });
    t = await buildTestApp(kind, { env: { TWILIO_API_BASE_URL: rest.url } });
  });
  afterAll(async () => {
    await t.close();
    await rest.close();
  });

  /** A Twilio call in progress on the fake, as if the product had dialled it. */
  async function twilioCall(): Promise<string> {
    const client = twilioRestClient({ accountSid: SID, authToken: TOKEN }, rest.url);
    const created = await client.calls.create({
      to: '+14155550100',
      from: '+14155550199',
      url: 'https://x.test/twiml',
    });
    rest.setCallStatus(created.sid, 'in-progress');
    return created.sid;
  }

  it('hangs up a call running in this process through its handle', async () => {
    const org = await t.seedOrg();
    const call = await insertCall(t.ctx.db, org.id, { status: 'in-progress' });
    const reasons: string[] = [];
    const remove = t.ctx.liveCalls.add(call.id, {
      organizationId: org.id,
      hangup: async (reason) => {
        reasons.push(reason);
      },
    });
    try {
      const res = await t.as(org.tokens.agent).post(`/api/calls/${call.id}/hangup`);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ ok: true });
      expect(reasons).toEqual(['dashboard']);
    } finally {
      remove();
    }
    const [entry] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, org.id), eq(auditLog.action, 'call.hangup')));
    expect(entry).toMatchObject({ targetType: 'call', targetId: call.id, details: { via: 'local' } });
  });

  it('asks Twilio to complete a call running elsewhere, with the organization’s credentials', async () => {
    const org = await t.seedOrg();
    await t
      .as(org.tokens.admin)
      .put('/api/integrations/twilio', { config: { accountSid: SID }, secrets: { authToken: TOKEN } });
    const sid = await twilioCall();
    const call = await insertCall(t.ctx.db, org.id, { status: 'in-progress', providerCallSid: sid });
    const res = await t.as(org.tokens.agent).post(`/api/calls/${call.id}/hangup`);
    expect(res.statusCode).toBe(202);
    expect(rest.getCall(sid)?.updates.at(-1)).toMatchObject({ Status: 'completed' });
    expect(rest.getCall(sid)?.resource.status).toBe('completed');
  });

  it('answers 409 for a call that has ended, or that cannot be reached', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.agent);
    const ended = await insertCall(t.ctx.db, org.id, {
      status: 'completed',
      providerCallSid: `CA${randomUUID().replace(/-/g, '')}`,
    });
    const res = await api.post(`/api/calls/${ended.id}/hangup`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'conflict',
      message: 'The call has already ended (completed)',
    });
    // Not here, no Twilio SID.
    const web = await insertCall(t.ctx.db, org.id, { status: 'in-progress', direction: 'web' });
    expect((await api.post(`/api/calls/${web.id}/hangup`)).statusCode).toBe(409);
    // A SID but no Twilio credentials for this organization.
    const orphan = await insertCall(t.ctx.db, org.id, {
      status: 'ringing',
      providerCallSid: `CA${randomUUID().replace(/-/g, '')}`,
    });
    expect((await api.post(`/api/calls/${orphan.id}/hangup`)).json().error.message).toBe(
      'Twilio is not configured; cannot hang up the call',
    );
  });

  it('reports Twilio refusing the hang-up as 409', async () => {
    const org = await t.seedOrg();
    await t
      .as(org.tokens.admin)
      .put('/api/integrations/twilio', { config: { accountSid: SID }, secrets: { authToken: TOKEN } });
    const unknown = await insertCall(t.ctx.db, org.id, {
      status: 'in-progress',
      providerCallSid: `CA${randomUUID().replace(/-/g, '')}`,
    });
    const res = await t.as(org.tokens.agent).post(`/api/calls/${unknown.id}/hangup`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/^Twilio refused to hang up the call: /);
  });

  it('keeps organizations apart and viewers out', async () => {
    const a = await t.seedOrg();
    const b = await t.seedOrg();
    const call = await insertCall(t.ctx.db, b.id, { status: 'in-progress' });
    let hungUp = false;
    const remove = t.ctx.liveCalls.add(call.id, {
      organizationId: b.id,
      hangup: async () => {
        hungUp = true;
      },
    });
    try {
      const foreign = await t.as(a.tokens.owner).post(`/api/calls/${call.id}/hangup`);
      expect(foreign.statusCode).toBe(404);
      expect((await t.as(a.tokens.owner).post(`/api/calls/${randomUUID()}/hangup`)).json()).toEqual(
        foreign.json(),
      );
      expect((await t.as(b.tokens.viewer).post(`/api/calls/${call.id}/hangup`)).statusCode).toBe(403);
      expect((await t.as(b.tokens.agent).post('/api/calls/42/hangup')).statusCode).toBe(400);
      expect(hungUp).toBe(false);
    } finally {
      remove();
    }
  });
});
