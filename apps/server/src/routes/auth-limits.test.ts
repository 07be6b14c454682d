/**
 * Issue 11's login probe, re-run: failed sign-ins from one IP across many emails, and for one
 * account across IPs, end in 429 with Retry-After before any password check; other addresses
 * and accounts still sign in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  type SeededOrg,
  TEST_PASSWORD,
  type TestApp,
  testDbKinds,
} from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('login limits on %s', (kind) => {
  let t: TestApp;
  let org: SeededOrg;
  beforeAll(async () => {
    t = await buildTestApp(kind, { env: { LOGIN_FAILURES_PER_IP: '5', LOGIN_FAILURES_PER_ACCOUNT: '3' } });
    org = await t.seedOrg();
  });
  afterAll(() => t?.close());

  const login = (email: string, password: string, ip: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: ip,
      payload: { email, password },
    });

  it('refuses an IP after its failed sign-ins, whatever the emails', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await login(`nobody-${i}@example.test`, 'wrong password', '203.0.113.7')).statusCode).toBe(401);
    }
    const refused = await login('nobody-99@example.test', 'wrong password', '203.0.113.7');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json().error.code).toBe('rate_limited');
    // Even the right password is refused from there; another address signs in.
    expect((await login(org.users.admin.email, TEST_PASSWORD, '203.0.113.7')).statusCode).toBe(429);
    expect((await login(org.users.admin.email, TEST_PASSWORD, '203.0.113.8')).statusCode).toBe(200);
  });

  it('refuses an account after its failed sign-ins, from any IP', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await login(org.users.viewer.email, 'wrong password', `198.51.100.${i}`)).statusCode).toBe(401);
    }
    const refused = await login(org.users.viewer.email, TEST_PASSWORD, '198.51.100.50');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Other accounts are not affected.
    expect((await login(org.users.agent.email, TEST_PASSWORD, '198.51.100.51')).statusCode).toBe(200);
  });

  it('a success clears the account count', async () => {
    for (let i = 0; i < 2; i++) {
      expect((await login(org.users.owner.email, 'wrong password', '192.0.2.1')).statusCode).toBe(401);
    }
    expect((await login(org.users.owner.email, TEST_PASSWORD, '192.0.2.1')).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) {
      expect((await login(org.users.owner.email, 'wrong password', '192.0.2.1')).statusCode).toBe(401);
    }
    expect((await login(org.users.owner.email, TEST_PASSWORD, '192.0.2.1')).statusCode).toBe(200);
  });
});
