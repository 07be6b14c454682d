import { auditLog } from '@switchboard/db';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('audit log on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('records every write with actor, target and IP, and nothing for refused writes', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.owner);
    const prospect = (await api.post('/api/prospects', { phone: '+14155550700', contact: 'Ada' })).json();
    await api.patch(`/api/prospects/${prospect.id}`, { notes: 'called back' });
    await api.post('/api/prospects/import', { rows: [{ phone: '+14155550701' }] });
    await api.delete(`/api/prospects/${prospect.id}`);
    const agent = (await api.post('/api/agents', { name: 'Sales' })).json();
    await api.patch(`/api/agents/${agent.id}`, { greeting: 'Hi' });
    const number = (
      await api.post('/api/phone-numbers', { number: '+14155550702', agentId: agent.id })
    ).json();
    await api.patch(`/api/phone-numbers/${number.id}`, { label: 'Sales line' });
    await api.delete(`/api/phone-numbers/${number.id}`);
    await api.delete(`/api/agents/${agent.id}`);
    const user = (
      await api.post('/api/users', {
        email: `u-${org.id}@example.test`,
        password: 'long password 1',
        role: 'agent',
      })
    ).json();
    await api.patch(`/api/users/${user.id}`, { role: 'viewer' });
    await api.delete(`/api/users/${user.id}`);
    const key = (await api.post('/api/api-keys', { name: 'k' })).json();
    await api.delete(`/api/api-keys/${key.id}`);
    // Refused or invalid writes leave no trace.
    await api.post('/api/prospects', { phone: 'nope' });
    await t.as(org.tokens.viewer).post('/api/prospects', { phone: '+14155550703' });

    const rows = await t.ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.organizationId, org.id))
      .orderBy(asc(auditLog.id));
    expect(rows.map((r) => r.action)).toEqual([
      'prospect.create',
      'prospect.update',
      'prospect.import',
      'prospect.delete',
      'agent.create',
      'agent.update',
      'phone_number.create',
      'phone_number.update',
      'phone_number.delete',
      'agent.delete',
      'user.create',
      'user.update',
      'user.delete',
      'api_key.create',
      'api_key.revoke',
    ]);
    for (const row of rows) {
      expect(row.userId).toBe(org.users.owner.id);
      expect(row.ip).toBe('127.0.0.1');
    }
    expect(rows[0]).toMatchObject({ targetType: 'prospect', targetId: prospect.id });
    expect(rows[1]?.details).toEqual({ changed: ['notes'] });
    expect(rows[2]?.details).toMatchObject({ rows: 1, created: 1 });
    // Audit details never carry personal data.
    expect(JSON.stringify(rows)).not.toMatch(/Ada|\+1415/);
  });
});
