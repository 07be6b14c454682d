/**
 * The default outbound agent: at most one per organization (like the default agent), chosen by
 * outbound calls and campaigns that name no agent; without one, the default (inbound) agent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('default outbound agent on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('keeps at most one default outbound agent, separate from the default agent', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    expect((await api.get(`/api/agents/${org.agent.id}`)).json()).toMatchObject({
      isDefault: true,
      isDefaultOutbound: false,
    });
    const sales = (await api.post('/api/agents', { name: 'Sales', isDefaultOutbound: true })).json();
    expect(sales).toMatchObject({ isDefault: false, isDefaultOutbound: true });
    const closer = await api.post('/api/agents', { name: 'Closer' });
    const moved = await api.patch(`/api/agents/${closer.json().id}`, { isDefaultOutbound: true });
    expect(moved.json()).toMatchObject({ isDefault: false, isDefaultOutbound: true });
    const flags = (await api.get('/api/agents'))
      .json()
      .items.map((a: Record<string, unknown>) => [a.name, a.isDefault, a.isDefaultOutbound]);
    expect(flags).toEqual(
      expect.arrayContaining([
        ['Receptionist', true, false],
        ['Sales', false, false],
        ['Closer', false, true],
      ]),
    );
    // Unlike the default agent, the default outbound agent may be switched off: none is fine.
    const off = await api.patch(`/api/agents/${closer.json().id}`, { isDefaultOutbound: false });
    expect(off.json().isDefaultOutbound).toBe(false);
    // Another organization's flags are untouched.
    const other = await t.seedOrg();
    await t.as(other.tokens.admin).post('/api/agents', { name: 'Theirs', isDefaultOutbound: true });
    expect((await api.get(`/api/agents/${sales.id}`)).json().isDefaultOutbound).toBe(false);
  });

  it('outbound calls and campaigns without an agent use the default outbound agent, else the default', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    const prospect = (await admin.post('/api/prospects', { phone: '+14155550410' })).json();
    const placedWith = async () => {
      // No Twilio here: the call is kept as failed, with the agent that would have placed it.
      const res = await admin.post(`/api/prospects/${prospect.id}/call`);
      expect(res.json().error.details.reason).toBe('twilio_not_configured');
      return (await admin.get(`/api/calls/${res.json().error.details.callId}`)).json().agentId;
    };
    const campaignAgent = async () => (await admin.post('/api/campaigns', { name: 'Q3' })).json().agentId;

    expect(await placedWith()).toBe(org.agent.id);
    expect(await campaignAgent()).toBe(org.agent.id);

    const sales = (await admin.post('/api/agents', { name: 'Sales', isDefaultOutbound: true })).json();
    expect(await placedWith()).toBe(sales.id);
    expect(await campaignAgent()).toBe(sales.id);

    // An agent named explicitly still wins.
    const named = await admin.post(`/api/prospects/${prospect.id}/call`, { agentId: org.agent.id });
    const namedCall = (await admin.get(`/api/calls/${named.json().error.details.callId}`)).json();
    expect(namedCall.agentId).toBe(org.agent.id);
  });
});
