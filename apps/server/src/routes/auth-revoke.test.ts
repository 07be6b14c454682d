/**
 * Revocation (docs/security.md "Revocation"): a session token stops working after a password
 * reset, a role change, disabling, or POST /api/auth/logout; the session that changed its own
 * password stays; tokens minted before token versions existed keep working; an API key stops
 * when its creator is disabled, demoted below the key's role, or deleted.
 */
import { users } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey } from '../secrets.ts';
import {
  buildTestApp,
  TEST_APP_SECRET,
  TEST_PASSWORD,
  type TestApp,
  testDbKinds,
} from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('session revocation on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  const me = async (token: string) => (await t.as(token).get('/api/auth/me')).statusCode;
  const signIn = async (email: string, password = TEST_PASSWORD): Promise<string> => {
    const res = await t.login(email, password);
    expect(res.statusCode).toBe(200);
    return res.json().token as string;
  };

  it('POST /api/auth/logout ends every session of the user (204), and only theirs', async () => {
    const org = await t.seedOrg();
    const other = await signIn(org.users.agent.email);
    expect(await me(org.tokens.agent)).toBe(200);
    expect((await t.as(org.tokens.agent).post('/api/auth/logout')).statusCode).toBe(204);
    expect(await me(org.tokens.agent)).toBe(401);
    expect(await me(other)).toBe(401);
    expect(await me(org.tokens.viewer)).toBe(200);
    // A new sign-in works again.
    expect(await me(await signIn(org.users.agent.email))).toBe(200);
  });

  it('a role change, disabling or an admin password reset revokes the member’s sessions', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    expect((await admin.patch(`/api/users/${org.users.agent.id}`, { role: 'viewer' })).statusCode).toBe(200);
    expect(await me(org.tokens.agent)).toBe(401);
    expect((await admin.patch(`/api/users/${org.users.viewer.id}`, { disabled: true })).statusCode).toBe(200);
    expect(await me(org.tokens.viewer)).toBe(401);
    const owner = t.as(org.tokens.owner);
    expect((await owner.post(`/api/users/${org.users.admin.id}/reset-password`)).statusCode).toBe(200);
    expect(await me(org.tokens.admin)).toBe(401);
    // A rename revokes nothing.
    expect((await owner.patch(`/api/users/${org.users.owner.id}`, { name: 'Renamed' })).statusCode).toBe(200);
    expect(await me(org.tokens.owner)).toBe(200);
  });

  it('changing your own password signs out your other sessions and keeps this one', async () => {
    const org = await t.seedOrg();
    const here = await signIn(org.users.agent.email);
    const elsewhere = await signIn(org.users.agent.email);
    const change = (token: string, from: string, to: string) =>
      t.as(token).post('/api/auth/password', { currentPassword: from, newPassword: to });
    expect((await change(here, TEST_PASSWORD, 'a brand new passphrase')).statusCode).toBe(200);
    expect(await me(here)).toBe(200);
    expect(await me(elsewhere)).toBe(401);
    expect(await me(org.tokens.agent)).toBe(401);
    // A session signed in after the change, then a second change from the kept session.
    const later = await signIn(org.users.agent.email, 'a brand new passphrase');
    expect((await change(here, 'a brand new passphrase', 'yet another passphrase')).statusCode).toBe(200);
    expect(await me(here)).toBe(200);
    expect(await me(later)).toBe(401);
    // Signing out also ends the kept session.
    expect((await t.as(here).post('/api/auth/logout')).statusCode).toBe(204);
    expect(await me(here)).toBe(401);
  });

  it('a token minted before token versions existed (no `tv`) counts as version 0', async () => {
    const org = await t.seedOrg();
    const now = Math.floor(Date.now() / 1000);
    const legacy = await new SignJWT({ org: org.id })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(org.users.viewer.id)
      .setIssuer('switchboard')
      .setAudience('switchboard-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(deriveKey(TEST_APP_SECRET, 'session-jwt/hs256'));
    expect(await me(legacy)).toBe(200);
    await t.ctx.db.update(users).set({ tokenVersion: 1 }).where(eq(users.id, org.users.viewer.id));
    expect(await me(legacy)).toBe(401);
  });

  it('an API key stops when its creator is disabled, demoted below its role, or deleted', async () => {
    const org = await t.seedOrg();
    const createKey = async (token: string, role: string): Promise<{ id: string; key: string }> => {
      const res = await t.as(token).post('/api/api-keys', { name: `key ${role}`, role });
      expect(res.statusCode).toBe(201);
      return res.json();
    };
    const byAdmin = await createKey(org.tokens.admin, 'admin');
    const agentKeyByAdmin = await createKey(org.tokens.admin, 'agent');
    const owner = t.as(org.tokens.owner);
    expect(await me(byAdmin.key)).toBe(200);

    // Demoted to agent: the admin key stops, the agent key goes on.
    expect((await owner.patch(`/api/users/${org.users.admin.id}`, { role: 'agent' })).statusCode).toBe(200);
    expect(await me(byAdmin.key)).toBe(401);
    expect(await me(agentKeyByAdmin.key)).toBe(200);
    // Promoted back: the admin key works again (it was never revoked).
    expect((await owner.patch(`/api/users/${org.users.admin.id}`, { role: 'admin' })).statusCode).toBe(200);
    expect(await me(byAdmin.key)).toBe(200);

    // Disabled: both stop.
    expect((await owner.patch(`/api/users/${org.users.admin.id}`, { disabled: true })).statusCode).toBe(200);
    expect(await me(byAdmin.key)).toBe(401);
    expect(await me(agentKeyByAdmin.key)).toBe(401);
    expect((await owner.patch(`/api/users/${org.users.admin.id}`, { disabled: false })).statusCode).toBe(200);
    expect(await me(agentKeyByAdmin.key)).toBe(200);

    // Deleted: the keys are revoked, not left without a creator.
    expect((await owner.delete(`/api/users/${org.users.admin.id}`)).statusCode).toBe(204);
    expect(await me(agentKeyByAdmin.key)).toBe(401);
    const keys = (await owner.get('/api/api-keys')).json();
    const listed = (Array.isArray(keys) ? keys : keys.items) as Array<{
      id: string;
      revokedAt: string | null;
    }>;
    expect(listed.find((k) => k.id === agentKeyByAdmin.id)?.revokedAt).toEqual(expect.any(String));
  });
});
