import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();
const PASSWORD = 'a long enough password';

describe.each(kinds)('users on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t.close());

  it('lets an admin add, rename, demote and remove users, who can then sign in', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    const created = await api.post('/api/users', {
      email: 'New.Person@Example.test',
      name: 'New',
      password: PASSWORD,
      role: 'agent',
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({
      email: 'new.person@example.test',
      role: 'agent',
      disabled: false,
      lastLoginAt: null,
    });
    expect((await t.login('new.person@example.test', PASSWORD)).statusCode).toBe(200);

    expect(
      (await api.patch(`/api/users/${user.id}`, { name: 'Renamed', role: 'viewer' })).json(),
    ).toMatchObject({
      name: 'Renamed',
      role: 'viewer',
    });
    expect((await api.get('/api/users')).json().total).toBe(5);
    expect(
      (await api.post('/api/users', { email: 'new.person@example.test', password: PASSWORD, role: 'agent' }))
        .statusCode,
    ).toBe(409);
    expect((await api.delete(`/api/users/${user.id}`)).statusCode).toBe(204);
    expect((await t.login('new.person@example.test', PASSWORD)).statusCode).toBe(401);
  });

  it('keeps owners under owner control', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    const owner = t.as(org.tokens.owner);
    expect(
      (await admin.post('/api/users', { email: 'o2@example.test', password: PASSWORD, role: 'owner' }))
        .statusCode,
    ).toBe(403);
    expect((await admin.patch(`/api/users/${org.users.owner.id}`, { name: 'x' })).statusCode).toBe(403);
    expect((await admin.delete(`/api/users/${org.users.owner.id}`)).statusCode).toBe(403);
    expect((await admin.patch(`/api/users/${org.users.viewer.id}`, { role: 'owner' })).statusCode).toBe(403);
    expect((await owner.patch(`/api/users/${org.users.viewer.id}`, { role: 'owner' })).json().role).toBe(
      'owner',
    );
  });

  it('never leaves an organization without an active owner', async () => {
    const org = await t.seedOrg();
    const owner = t.as(org.tokens.owner);
    const demote = await owner.patch(`/api/users/${org.users.owner.id}`, { role: 'admin' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.message).toMatch(/last owner/);
    expect((await owner.patch(`/api/users/${org.users.owner.id}`, { disabled: true })).statusCode).toBe(409);
    expect((await owner.delete(`/api/users/${org.users.owner.id}`)).statusCode).toBe(409);
    // With a second owner, the first may step down.
    const second = (
      await owner.post('/api/users', { email: `o-${org.id}@example.test`, password: PASSWORD, role: 'owner' })
    ).json();
    expect((await owner.patch(`/api/users/${org.users.owner.id}`, { role: 'admin' })).statusCode).toBe(200);
    const secondToken = (await t.login(second.email, PASSWORD)).json().token;
    expect((await t.as(secondToken).patch(`/api/users/${second.id}`, { role: 'admin' })).statusCode).toBe(
      409,
    );
  });

  it('validates user input', async () => {
    const org = await t.seedOrg();
    const api = t.as(org.tokens.admin);
    expect(
      (await api.post('/api/users', { email: 'x@example.test', password: 'short', role: 'agent' }))
        .statusCode,
    ).toBe(400);
    expect(
      (await api.post('/api/users', { email: 'x@example.test', password: PASSWORD, role: 'god' })).statusCode,
    ).toBe(400);
    expect(
      (await api.patch(`/api/users/${org.users.agent.id}`, { email: 'changed@example.test' })).statusCode,
    ).toBe(400);
    expect((await api.delete(`/api/users/${org.users.admin.id}`)).statusCode).toBe(409);
  });
});
