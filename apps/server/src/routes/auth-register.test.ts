/**
 * Sign-up for installations hosting several businesses (ALLOW_SIGNUP), and environment
 * credentials serving only the first organization unless SHARE_ENV_CREDENTIALS=true.
 */
import { describe, expect, it } from 'vitest';
import { buildTestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();
const ENV_TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${'e'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'env-token-123456',
  TWILIO_PHONE_NUMBER: '+15005550006',
};
const signup = (n: number) => ({
  organizationName: `Business ${n}`,
  name: 'Owner',
  email: `owner${n}-${Math.random().toString(36).slice(2)}@example.test`,
  password: 'a long enough password',
});

describe.each(kinds)('sign-up on %s', (kind) => {
  it('is off by default with a clear message', async () => {
    const t = await buildTestApp(kind);
    try {
      const res = await t.as(undefined).post('/api/auth/register', signup(1));
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toContain('Sign-up is turned off');
      expect((await t.as(undefined).get('/api/auth/register')).json()).toEqual({ enabled: false });
    } finally {
      await t.close();
    }
  });

  it('creates an organization with its owner and default agent; env credentials stay with the first', async () => {
    const t = await buildTestApp(kind, {
      env: { ALLOW_SIGNUP: 'true', SHARE_ENV_CREDENTIALS: 'false', ...ENV_TWILIO },
    });
    try {
      expect((await t.as(undefined).get('/api/auth/register')).json()).toEqual({ enabled: true });
      const first = await t.seedOrg();
      const body = signup(2);
      const res = await t.as(undefined).post('/api/auth/register', body);
      expect(res.statusCode).toBe(201);
      const { token, user } = res.json();
      expect(user).toMatchObject({ email: body.email, role: 'owner', name: 'Owner' });
      const me = (await t.as(token).get('/api/auth/me')).json();
      expect(me.organization.name).toBe('Business 2');
      expect(me.organization.id).not.toBe(first.id);
      const agents = (await t.as(token).get('/api/agents')).json();
      expect(agents.items).toEqual([expect.objectContaining({ isDefault: true, name: 'Receptionist' })]);
      // The new business sees nothing of the first one's, and not the operator's Twilio account.
      expect((await t.as(token).get('/api/prospects')).json().total).toBe(0);
      const twilio = (integrations: Array<{ provider: string }>) =>
        integrations.find((i) => i.provider === 'twilio');
      expect(twilio((await t.as(token).get('/api/integrations')).json())).toMatchObject({
        configured: false,
      });
      expect(twilio((await t.as(first.tokens.admin).get('/api/integrations')).json())).toMatchObject({
        configured: true,
        source: 'environment',
      });

      expect((await t.as(undefined).post('/api/auth/register', body)).statusCode).toBe(409);
      for (const bad of [
        { ...signup(3), email: 'nope' },
        { ...signup(3), password: 'short' },
        { ...signup(3), organizationName: '' },
      ]) {
        expect((await t.as(undefined).post('/api/auth/register', bad)).statusCode).toBe(400);
      }
      // Rate limited per IP (5 per hour; 5 attempts made above).
      const limited = await t.as(undefined).post('/api/auth/register', signup(4));
      expect(limited.statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('shares environment credentials with every organization when SHARE_ENV_CREDENTIALS=true', async () => {
    const t = await buildTestApp(kind, {
      env: { ALLOW_SIGNUP: 'true', SHARE_ENV_CREDENTIALS: 'true', ...ENV_TWILIO },
    });
    try {
      await t.seedOrg();
      const { token } = (await t.as(undefined).post('/api/auth/register', signup(5))).json();
      const items = (await t.as(token).get('/api/integrations')).json();
      expect(items.find((i: { provider: string }) => i.provider === 'twilio')).toMatchObject({
        configured: true,
        source: 'environment',
      });
    } finally {
      await t.close();
    }
  });
});
