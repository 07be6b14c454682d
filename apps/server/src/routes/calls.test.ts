import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAppointment, insertCall, insertCallEvents, insertTranscript } from '../testing/fixtures.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('calls and appointments on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('lists calls newest first with filters and pagination', async () => {
    const org = await t.seedOrg();
    const prospect = (await t.as(org.tokens.agent).post('/api/prospects', { phone: '+14155550300' })).json();
    const db = t.ctx.db;
    const at = (iso: string) => new Date(iso);
    const oldest = await insertCall(db, org.id, {
      createdAt: at('2030-01-01T10:00:00Z'),
      direction: 'inbound',
    });
    const middle = await insertCall(db, org.id, {
      createdAt: at('2030-01-02T10:00:00Z'),
      direction: 'outbound',
      prospectId: prospect.id,
      agentId: org.agent.id,
      status: 'no-answer',
    });
    const newest = await insertCall(db, org.id, {
      createdAt: at('2030-01-03T10:00:00Z'),
      direction: 'outbound',
      status: 'in-progress',
      costUsd: '0.123400',
    });
    const api = t.as(org.tokens.viewer);
    const ids = async (query = '') =>
      (await api.get(`/api/calls?${query}`)).json().items.map((c: { id: string }) => c.id);

    expect(await ids()).toEqual([newest.id, middle.id, oldest.id]);
    expect(await ids('direction=outbound')).toEqual([newest.id, middle.id]);
    expect(await ids('status=no-answer')).toEqual([middle.id]);
    expect(await ids(`agentId=${org.agent.id}`)).toEqual([middle.id]);
    expect(await ids(`prospectId=${prospect.id}`)).toEqual([middle.id]);
    expect(await ids('from=2030-01-02T00:00:00Z&to=2030-01-02T23:59:59Z')).toEqual([middle.id]);
    expect(await ids('from=2030-01-02T00:00:00%2B01:00')).toEqual([newest.id, middle.id]);
    expect(await ids('live=true')).toEqual([newest.id]);
    const page = (await api.get('/api/calls?limit=1&offset=1')).json();
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ id: middle.id }] });
    expect((await api.get(`/api/calls/${newest.id}`)).json()).toMatchObject({
      costUsd: 0.1234,
      status: 'in-progress',
    });

    for (const bad of ['direction=sideways', 'from=yesterday', 'agentId=42', 'status=dropped']) {
      expect((await api.get(`/api/calls?${bad}`)).statusCode, bad).toBe(400);
    }
  });

  it('returns one call with its transcript and events in order', async () => {
    const org = await t.seedOrg();
    const call = await insertCall(t.ctx.db, org.id, {
      startedAt: new Date('2030-01-01T10:00:00Z'),
      durationS: 42,
    });
    await insertTranscript(t.ctx.db, call, [
      { role: 'assistant', text: 'Hello, Maple Street Dental.', atMs: 0 },
      { role: 'assistant', text: 'When would suit you?', atMs: 5200 },
      { role: 'user', text: 'I need a cleaning.', atMs: 2100 },
    ]);
    await insertCallEvents(t.ctx.db, call, [
      { type: 'tool_call', atMs: 6000, data: { name: 'check_availability' } },
      { type: 'barge_in', atMs: 3000 },
    ]);
    const res = await t.as(org.tokens.viewer).get(`/api/calls/${call.id}`);
    expect(res.statusCode).toBe(200);
    const detail = res.json();
    expect(detail).toMatchObject({
      id: call.id,
      durationS: 42,
      startedAt: '2030-01-01T10:00:00.000Z',
      direction: 'inbound',
    });
    expect(detail.transcript).toEqual([
      { role: 'assistant', text: 'Hello, Maple Street Dental.', atMs: 0 },
      { role: 'user', text: 'I need a cleaning.', atMs: 2100 },
      { role: 'assistant', text: 'When would suit you?', atMs: 5200 },
    ]);
    expect(detail.events.map((e: { type: string }) => e.type)).toEqual(['barge_in', 'tool_call']);
    expect(detail.events[1].data).toEqual({ name: 'check_availability' });
  });

  it('lists appointments by window, prospect and status', async () => {
    const org = await t.seedOrg();
    const prospect = (await t.as(org.tokens.agent).post('/api/prospects', { phone: '+14155550301' })).json();
    const db = t.ctx.db;
    const a = await insertAppointment(db, org.id, {
      start: new Date('2030-02-01T09:00:00Z'),
      prospectId: prospect.id,
    });
    const b = await insertAppointment(db, org.id, {
      start: new Date('2030-02-02T09:00:00Z'),
      status: 'cancelled',
    });
    const c = await insertAppointment(db, org.id, { start: new Date('2030-02-03T09:00:00Z'), title: 'Demo' });
    const api = t.as(org.tokens.viewer);
    const ids = async (query = '') =>
      (await api.get(`/api/appointments?${query}`)).json().items.map((x: { id: string }) => x.id);
    expect(await ids()).toEqual([a.id, b.id, c.id]);
    expect(await ids('from=2030-02-02T00:00:00Z&to=2030-02-03T00:00:00Z')).toEqual([b.id]);
    // Overlap: an appointment that started before `from` but is still running counts.
    expect(await ids('from=2030-02-01T09:15:00Z&to=2030-02-01T10:00:00Z')).toEqual([a.id]);
    expect(await ids(`prospectId=${prospect.id}`)).toEqual([a.id]);
    expect(await ids('status=cancelled')).toEqual([b.id]);
    const first = (await api.get('/api/appointments?limit=1')).json();
    expect(first).toMatchObject({
      total: 3,
      items: [
        {
          id: a.id,
          start: '2030-02-01T09:00:00.000Z',
          end: '2030-02-01T09:30:00.000Z',
          title: 'Meeting',
          status: 'confirmed',
        },
      ],
    });
    expect((await api.get('/api/appointments?from=2030-02-01')).statusCode).toBe(400);
  });
});
