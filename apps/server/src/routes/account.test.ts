import { auditLog } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TEST_PASSWORD, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('account routes on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('changes the own password only with the current one, and the new one signs in', async () => {
    const org = await t.seedOrg();
    const me = t.as(org.tokens.agent);
    const wrong = await me.post('/api/auth/password', {
      currentPassword: 'not it',
      newPassword: 'a brand new password',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details.issues[0].path).toBe('currentPassword');
    const same = await me.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: TEST_PASSWORD,
    });
    expect(same.statusCode).toBe(400);
    expect(same.json().error.details.issues[0].path).toBe('newPassword');
    const short = await me.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    });
    expect(short.statusCode).toBe(400);

    const ok = await me.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a brand new password',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: org.users.agent.id, mustChangePassword: false });
    expect((await t.login(org.users.agent.email, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await t.login(org.users.agent.email, 'a brand new password')).statusCode).toBe(200);
    const rows = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, org.id), eq(auditLog.action, 'user.password_change')));
    expect(rows).toHaveLength(1);
  });

  it('refuses a password change or profile edit through an API key', async () => {
    const org = await t.seedOrg();
    const key = await t.as(org.tokens.owner).post('/api/api-keys', { name: 'k', role: 'admin' });
    const res = await t
      .as(key.json().key)
      .post('/api/auth/password', { currentPassword: 'x', newPassword: 'long enough password' });
    expect(res.statusCode).toBe(403);
  });

  it('renames the signed-in user', async () => {
    const org = await t.seedOrg();
    const res = await t.as(org.tokens.viewer).patch('/api/auth/me', { name: '  Vera Viewer ' });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('Vera Viewer');
    const me = await t.as(org.tokens.viewer).get('/api/auth/me');
    expect(me.json().user.name).toBe('Vera Viewer');
  });

  it('lets an admin reset a member to a one-time password that must be changed at sign-in', async () => {
    const org = await t.seedOrg();
    const reset = await t.as(org.tokens.admin).post(`/api/users/${org.users.agent.id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    const { password, user } = reset.json();
    expect(password).toMatch(/^[\w-]{24}$/);
    expect(user.mustChangePassword).toBe(true);
    expect((await t.login(org.users.agent.email, TEST_PASSWORD)).statusCode).toBe(401);
    const login = await t.login(org.users.agent.email, password);
    expect(login.statusCode).toBe(200);
    expect(login.json().user.mustChangePassword).toBe(true);
    const change = await t
      .as(login.json().token)
      .post('/api/auth/password', { currentPassword: password, newPassword: 'chosen by the agent' });
    expect(change.json().mustChangePassword).toBe(false);
  });

  it('keeps owners for owners, members for admins, and other organizations out', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    expect((await admin.post(`/api/users/${org.users.owner.id}/reset-password`)).statusCode).toBe(403);
    expect((await admin.post(`/api/users/${other.users.agent.id}/reset-password`)).statusCode).toBe(404);
    expect(
      (await t.as(org.tokens.agent).post(`/api/users/${org.users.viewer.id}/reset-password`)).statusCode,
    ).toBe(403);
    expect(
      (await t.as(org.tokens.owner).post(`/api/users/${org.users.owner.id}/reset-password`)).statusCode,
    ).toBe(200);
  });
});
