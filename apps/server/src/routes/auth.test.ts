import { auditLog } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_TTL_MS } from '../auth/session-token.ts';
import { buildTestApp, TEST_PASSWORD, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { LOGIN_ATTEMPTS_PER_MINUTE } from './auth.ts';

const kinds = await testDbKinds();

describe.each(kinds)('auth on %s', (kind) => {
  let t: TestApp;
  let now = new Date('2030-01-01T00:00:00Z');
  beforeAll(async () => {
    t = await buildTestApp(kind, { clock: () => now });
  });
  afterAll(() => t.close());

  it('logs in with the right password and the token works', async () => {
    const org = await t.seedOrg();
    const res = await t.login(org.users.admin.email.toUpperCase(), TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({ email: org.users.admin.email, role: 'admin', organizationId: org.id });
    expect(body.user.passwordHash).toBeUndefined();
    expect(body.user.lastLoginAt).toBe(now.toISOString());
    expect(new Date(body.expiresAt).getTime() - now.getTime()).toBe(SESSION_TTL_MS);
    const me = await t.as(body.token).get('/api/auth/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: org.users.admin.id }, role: 'admin', via: 'session' });
    const audits = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, org.id), eq(auditLog.action, 'auth.login')));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ userId: org.users.admin.id, targetId: org.users.admin.id });
  });

  it('answers 401 invalid_credentials for a wrong password or an unknown email, alike', async () => {
    const org = await t.seedOrg();
    const wrong = await t.login(org.users.owner.email, 'not the password');
    const unknown = await t.login('nobody@example.test', TEST_PASSWORD);
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        error: { code: 'invalid_credentials', message: 'Invalid email or password' },
      });
    }
    const failed = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, org.id), eq(auditLog.action, 'auth.login_failed')));
    expect(failed).toHaveLength(1);
  });

  it('refuses disabled users at login and with an existing token', async () => {
    const org = await t.seedOrg();
    const disable = await t
      .as(org.tokens.owner)
      .patch(`/api/users/${org.users.agent.id}`, { disabled: true });
    expect(disable.statusCode).toBe(200);
    expect((await t.login(org.users.agent.email, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await t.as(org.tokens.agent).get('/api/prospects')).statusCode).toBe(401);
  });

  it('validates the login body', async () => {
    const res = await t.as(undefined).post('/api/auth/login', { email: 'not-an-email', password: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation_failed');
  });

  it(`rate limits logins to ${LOGIN_ATTEMPTS_PER_MINUTE} per minute per IP and email`, async () => {
    const org = await t.seedOrg();
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE; i++) {
      expect((await t.login(org.users.viewer.email, 'wrong password')).statusCode).toBe(401);
    }
    const limited = await t.login(org.users.viewer.email, TEST_PASSWORD);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
    // Another account from the same IP is not locked out.
    expect((await t.login(org.users.agent.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('rejects missing, malformed, tampered and expired session tokens', async () => {
    const org = await t.seedOrg();
    const missing = await t.as(undefined).get('/api/prospects');
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/prospects',
      headers: { authorization: 'Basic abc' },
    });
    expect(res.statusCode).toBe(401);
    const token = org.tokens.viewer;
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await t.as(tampered).get('/api/prospects')).statusCode).toBe(401);
    expect((await t.as('garbage').get('/api/prospects')).statusCode).toBe(401);
    expect((await t.as(token).get('/api/prospects')).statusCode).toBe(200);
    const saved = now;
    now = new Date(saved.getTime() + SESSION_TTL_MS + 1000);
    try {
      const expired = await t.as(token).get('/api/prospects');
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error.code).toBe('unauthorized');
    } finally {
      now = saved;
    }
  });

  it('gives a new API key the viewer role unless another is asked for', async () => {
    const org = await t.seedOrg();
    const created = await t.as(org.tokens.admin).post('/api/api-keys', { name: 'read only' });
    expect(created.statusCode).toBe(201);
    expect(created.json().role).toBe('viewer');
  });

  it('authenticates API keys by hash, shows the key once and stops accepting it when revoked', async () => {
    const org = await t.seedOrg();
    const created = await t.as(org.tokens.admin).post('/api/api-keys', { name: 'CRM sync', role: 'agent' });
    expect(created.statusCode).toBe(201);
    const { key, id, prefix } = created.json();
    expect(key).toMatch(/^sk_[\w-]{43}$/);
    expect(key.startsWith(prefix)).toBe(true);
    const list = await t.as(org.tokens.admin).get('/api/api-keys');
    expect(JSON.stringify(list.json())).not.toContain(key);
    expect(list.json().items[0]).toMatchObject({ id, role: 'agent', revokedAt: null });

    const me = await t.as(key).get('/api/auth/me');
    expect(me.json()).toMatchObject({
      user: null,
      role: 'agent',
      via: 'api_key',
      organization: { id: org.id },
    });
    expect((await t.as(key).post('/api/prospects', { phone: '+14155550199' })).statusCode).toBe(201);
    // An agent-role key cannot do admin things.
    expect((await t.as(key).post('/api/agents', { name: 'X' })).statusCode).toBe(403);
    const audits = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, org.id), eq(auditLog.action, 'prospect.create')));
    expect(audits[0]).toMatchObject({ apiKeyId: id, userId: null });

    expect((await t.as(org.tokens.admin).delete(`/api/api-keys/${id}`)).statusCode).toBe(204);
    expect((await t.as(key).get('/api/auth/me')).statusCode).toBe(401);
    expect((await t.as('sk_unknown').get('/api/auth/me')).statusCode).toBe(401);
  });

  it('does not let a key carry more rights than its creator', async () => {
    const org = await t.seedOrg();
    const owner = await t.as(org.tokens.admin).post('/api/api-keys', { name: 'x', role: 'owner' });
    expect(owner.statusCode).toBe(400);
    expect(
      (await t.as(org.tokens.agent).post('/api/api-keys', { name: 'x', role: 'viewer' })).statusCode,
    ).toBe(403);
  });
});
