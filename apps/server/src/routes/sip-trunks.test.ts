import { sipTrunks } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

const trunk = {
  name: 'Telnyx',
  inboundAddresses: ['192.76.120.10', '64.16.250.0/24'],
  username: 'acct1',
  password: 's3cret-pass',
  outboundProxy: 'sip.telnyx.com',
  numbers: ['(415) 555-0600', '+14155550601'],
};

describe.each(kinds)('SIP trunks on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('adds, lists, changes and removes a trunk; the password is write-only and encrypted', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    const created = await api.post('/api/sip-trunks', trunk);
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      name: 'Telnyx',
      inboundAddresses: ['192.76.120.10', '64.16.250.0/24'],
      username: 'acct1',
      hasPassword: true,
      outboundProxy: 'sip.telnyx.com:5060',
      transport: 'udp',
      numbers: ['+14155550600', '+14155550601'],
    });
    expect(JSON.stringify(body)).not.toContain('s3cret');
    const [stored] = await t.ctx.db.select().from(sipTrunks).where(eq(sipTrunks.id, body.id));
    expect(stored?.passwordEncrypted).toMatch(/^v1\./);
    expect(t.ctx.secrets.decrypt(stored!.passwordEncrypted!)).toBe('s3cret-pass');

    const listed = await t.as(org.tokens.viewer).get('/api/sip-trunks');
    expect(listed.json()).toMatchObject({ total: 1, items: [{ id: body.id, numbers: body.numbers }] });

    const kept = await api.patch(`/api/sip-trunks/${body.id}`, { password: '', numbers: ['+14155550602'] });
    expect(kept.json()).toMatchObject({ hasPassword: true, numbers: ['+14155550602'] });
    const cleared = await api.patch(`/api/sip-trunks/${body.id}`, { password: null, transport: 'tcp' });
    expect(cleared.json()).toMatchObject({ hasPassword: false, transport: 'tcp' });

    expect((await api.delete(`/api/sip-trunks/${body.id}`)).statusCode).toBe(204);
    expect((await api.get('/api/sip-trunks')).json().total).toBe(0);
    expect((await api.delete(`/api/sip-trunks/${body.id}`)).statusCode).toBe(404);
  });

  it('validates addresses, the proxy and numbers with clear 400s', async () => {
    const api = t.as((await t.seedOrg()).tokens.admin);
    const bad = async (patch: Record<string, unknown>) => {
      const response = await api.post('/api/sip-trunks', { ...trunk, numbers: [], ...patch });
      expect(response.statusCode).toBe(400);
      return response.json().error.details.issues[0];
    };
    expect(await bad({ inboundAddresses: ['10.0.0.0/33'] })).toMatchObject({ path: 'inboundAddresses.0' });
    expect(await bad({ inboundAddresses: ['twilio.com'] })).toMatchObject({ path: 'inboundAddresses.0' });
    expect(await bad({ outboundProxy: 'sip.example.com:99999' })).toMatchObject({ path: 'outboundProxy' });
    expect(await bad({ outboundProxy: 'bad host:5060' })).toMatchObject({ path: 'outboundProxy' });
    expect(await bad({ numbers: ['front desk'] })).toMatchObject({ path: 'numbers.0' });
    expect(await bad({ numbers: ['+14155550700', '415-555-0700'] })).toMatchObject({ path: 'numbers' });
    expect(await bad({ name: '' })).toMatchObject({ path: 'name' });
    expect(await bad({ extra: true })).toBeDefined();
  });

  it('keeps numbers on one trunk across the installation, and scopes trunks to their organization', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    const mine = (
      await t.as(org.tokens.admin).post('/api/sip-trunks', { ...trunk, numbers: ['+14155550800'] })
    ).json();
    const taken = await t
      .as(other.tokens.admin)
      .post('/api/sip-trunks', { ...trunk, numbers: ['+14155550800'] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'conflict', details: { field: 'numbers' } });
    const theirs = t.as(other.tokens.admin);
    expect((await theirs.get('/api/sip-trunks')).json().total).toBe(0);
    expect((await theirs.patch(`/api/sip-trunks/${mine.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await theirs.delete(`/api/sip-trunks/${mine.id}`)).statusCode).toBe(404);
  });

  it('needs an admin to change trunks', async () => {
    const org = await t.seedOrg();
    expect((await t.as(org.tokens.viewer).post('/api/sip-trunks', trunk)).statusCode).toBe(403);
    expect((await t.as(org.tokens.viewer).get('/api/sip-trunks')).statusCode).toBe(200);
  });
});
