import { randomUUID } from 'node:crypto';
import { ROLE_RANK, ROLES, type Role } from '@switchboard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

const urlFor = (url: string) => url.replace(/:(\w+)/g, () => randomUUID());

it('refuses to register an /api route without config.auth', async () => {
  const failed = await buildTestApp('pglite', {
    extend: (app) => {
      app.get('/api/forgot-auth', async () => 'x');
    },
  }).catch((error: Error) => error);
  expect(failed).toBeInstanceOf(Error);
  expect((failed as Error).message).toMatch(/must declare config.auth/);
});

describe.each(kinds)('role enforcement on %s', (kind) => {
  let t: TestApp;
  let org: SeededOrg;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    org = await t.seedOrg();
  });
  afterAll(() => t.close());

  it('declares auth on every route and documents every route', () => {
    const routes = t.app.apiRoutes;
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) expect(route.doc.auth, `${route.method} ${route.url}`).toBeDefined();
  });

  it('answers 401 without a token on every non-public route', async () => {
    for (const route of t.app.apiRoutes.filter((r) => r.doc.auth !== 'public')) {
      const res = await t.app.inject({ method: route.method as 'GET', url: urlFor(route.url), payload: {} });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('answers 403 to every role below a route’s minimum, before reading the body', async () => {
    let checked = 0;
    for (const route of t.app.apiRoutes) {
      const minimum = route.doc.auth;
      if (minimum === 'public') continue;
      for (const role of ROLES.filter((r: Role) => ROLE_RANK[r] < ROLE_RANK[minimum])) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: urlFor(route.url),
          headers: { authorization: `Bearer ${org.tokens[role]}` },
          payload: {},
        });
        expect(res.statusCode, `${role} ${route.method} ${route.url}`).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('lets a viewer read and nothing else', async () => {
    // Everyone may change their own name and password, sign out and ask for a stream ticket;
    // nothing else is written by a viewer.
    const ownAccount = new Set([
      'POST /api/auth/password',
      'PATCH /api/auth/me',
      'POST /api/auth/logout',
      'POST /api/auth/ticket',
    ]);
    const writes = t.app.apiRoutes.filter(
      (r) => r.method !== 'GET' && r.doc.auth !== 'public' && !ownAccount.has(`${r.method} ${r.url}`),
    );
    expect(writes.length).toBeGreaterThan(10);
    for (const route of writes) expect(route.doc.auth, `${route.method} ${route.url}`).not.toBe('viewer');
    for (const url of [
      '/api/agents',
      '/api/prospects',
      '/api/calls',
      '/api/appointments',
      '/api/phone-numbers',
    ]) {
      expect((await t.as(org.tokens.viewer).get(url)).statusCode, url).toBe(200);
    }
  });

  it('lets an agent write prospects but not agents, users, API keys or phone numbers', async () => {
    const agent = t.as(org.tokens.agent);
    expect((await agent.post('/api/prospects', { phone: '+14155550142' })).statusCode).toBe(201);
    expect((await agent.post('/api/agents', { name: 'Sales' })).statusCode).toBe(403);
    expect((await agent.patch(`/api/agents/${org.agent.id}`, { name: 'x' })).statusCode).toBe(403);
    expect((await agent.get('/api/users')).statusCode).toBe(403);
    expect((await agent.post('/api/users', {})).statusCode).toBe(403);
    expect((await agent.post('/api/api-keys', { name: 'k' })).statusCode).toBe(403);
    expect((await agent.post('/api/phone-numbers', { number: '+14155550143' })).statusCode).toBe(403);
  });
});
