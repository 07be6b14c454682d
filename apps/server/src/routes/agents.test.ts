import { DEFAULT_MODELS, DEFAULT_TUNING, DEFAULT_VOICES } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('agents on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('creates with provider defaults and merged tuning', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    const res = await api.post('/api/agents', {
      name: 'Sales',
      provider: 'gemini',
      tools: ['end_call', 'end_call', 'send_sms'],
      tuning: { silenceDurationMs: 800 },
      transferNumber: '415 555 0100',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'Sales',
      isDefault: false,
      provider: 'gemini',
      model: DEFAULT_MODELS.gemini,
      voice: DEFAULT_VOICES.gemini,
      tools: ['end_call', 'send_sms'],
      transferNumber: '+14155550100',
      tuning: { ...DEFAULT_TUNING, silenceDurationMs: 800 },
    });
  });

  it('keeps exactly one default agent per organization', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    const second = (await api.post('/api/agents', { name: 'Second', isDefault: true })).json();
    expect(second.isDefault).toBe(true);
    expect((await api.get(`/api/agents/${org.agent.id}`)).json().isDefault).toBe(false);
    const list = (await api.get('/api/agents')).json();
    expect(
      list.items.filter((a: { isDefault: boolean }) => a.isDefault).map((a: { id: string }) => a.id),
    ).toEqual([second.id]);
    expect(list.items[0].id).toBe(second.id);

    const back = await api.patch(`/api/agents/${org.agent.id}`, { isDefault: true });
    expect(back.json().isDefault).toBe(true);
    expect((await api.get(`/api/agents/${second.id}`)).json().isDefault).toBe(false);
    expect((await api.patch(`/api/agents/${org.agent.id}`, { isDefault: false })).statusCode).toBe(409);

    // Deleting the default promotes the remaining agent; the last agent cannot be deleted.
    expect((await api.delete(`/api/agents/${org.agent.id}`)).statusCode).toBe(204);
    expect((await api.get(`/api/agents/${second.id}`)).json().isDefault).toBe(true);
    const last = await api.delete(`/api/agents/${second.id}`);
    expect(last.statusCode).toBe(409);
    expect(last.json().error.code).toBe('conflict');
  });

  it('updates partially, merging tuning and switching provider defaults', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    const id = org.agent.id;
    await api.patch(`/api/agents/${id}`, { tuning: { vadThreshold: 0.7 } });
    const res = await api.patch(`/api/agents/${id}`, { tuning: { maxCallDurationS: 600 }, greeting: 'Hi!' });
    expect(res.json()).toMatchObject({
      greeting: 'Hi!',
      name: 'Receptionist',
      tuning: {
        vadThreshold: 0.7,
        maxCallDurationS: 600,
        silenceDurationMs: DEFAULT_TUNING.silenceDurationMs,
      },
    });
    const switched = (await api.patch(`/api/agents/${id}`, { provider: 'gemini' })).json();
    expect(switched).toMatchObject({
      provider: 'gemini',
      model: DEFAULT_MODELS.gemini,
      voice: DEFAULT_VOICES.gemini,
    });
  });

  it('refuses a keypad shortcut to a transfer with no transfer number, on create and update', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    const created = await api.post('/api/agents', { name: 'Keys', dtmfActions: { '1': 'transfer_call' } });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.details.issues[0]).toMatchObject({
      path: 'dtmfActions.1',
      message: expect.stringMatching(/Key 1 → Transfer to a person: Needs a transfer number/),
    });
    const ok = await api.post('/api/agents', {
      name: 'Keys',
      transferNumber: '+14155550123',
      dtmfActions: { '1': 'transfer_call' },
    });
    expect(ok.statusCode).toBe(201);
    const cleared = await api.patch(`/api/agents/${ok.json().id}`, { transferNumber: null });
    expect(cleared.statusCode).toBe(400);
    expect(
      (await api.patch(`/api/agents/${ok.json().id}`, { transferNumber: null, dtmfActions: {} })).statusCode,
    ).toBe(200);
  });

  it('rejects incoherent and invalid agents', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    const bad: [unknown, string][] = [
      [{ name: '' }, 'name'],
      [{ name: 'x', tools: ['rm_rf'] }, 'tools.0'],
      [{ name: 'x', tuning: { vadThreshold: 5 } }, 'tuning.vadThreshold'],
      [{ name: 'x', provider: 'gemini', voice: 'marin' }, 'voice'],
      [{ name: 'x', provider: 'gemini', tuning: { vadType: 'semantic_vad' } }, 'tuning.vadType'],
      [{ name: 'x', transferNumber: 'operator' }, 'transferNumber'],
      [{ name: 'x', instructions: 'x'.repeat(20_001) }, 'instructions'],
      [{ name: 'x', organizationId: org.id }, 'organizationId'],
    ];
    for (const [body, path] of bad) {
      const res = await api.post('/api/agents', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.json().error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect((await api.patch(`/api/agents/${org.agent.id}`, { voice: 'Puck' })).statusCode).toBe(400);
    expect((await api.get('/api/agents')).json().total).toBe(1);
  });
});
