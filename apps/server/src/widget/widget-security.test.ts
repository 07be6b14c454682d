/**
 * The widget's public surface on both databases: settings (admin only, origins validated), the
 * session endpoint's refusals (unknown key, switched off, missing or foreign Origin, channel not
 * offered, caps per IP / agent / organization), CORS for customers' sites, and the chat socket
 * accepting a token once, from its origin, within 60 s. Refused requests store nothing.
 */
import { agentWidgets, calls, widgetSessions } from '@switchboard/db';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { ChatClient, enableWidget, requestSession, SITE } from '../testing/widget.ts';

const kinds = await testDbKinds();

describe.each(kinds)('widget security on %s', (kind) => {
  let t: TestApp;
  let now = new Date('2026-03-06T15:00:00Z');
  let ws: string;
  beforeAll(async () => {
    t = await buildTestApp(kind, {
      clock: () => now,
      env: {
        OPENAI_API_KEY: 'sk-unused',
        OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
        WIDGET_SESSIONS_PER_IP_PER_HOUR: '4',
        WIDGET_MAX_SESSIONS_PER_AGENT: '3',
        WIDGET_MAX_SESSIONS_PER_ORG: '5',
      },
    });
    ws = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');
  });
  afterAll(() => t?.close());

  let ipSeq = 0;
  const freshIp = () => `10.0.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
  const stored = async (org: SeededOrg) => {
    const [s] = await t.ctx.db
      .select({ n: count() })
      .from(widgetSessions)
      .where(eq(widgetSessions.organizationId, org.id));
    const [c] = await t.ctx.db.select({ n: count() }).from(calls).where(eq(calls.organizationId, org.id));
    return { sessions: Number(s?.n), calls: Number(c?.n) };
  };

  it('creates a switched-off widget with a public key; only admins change it; origins are validated', async () => {
    const org = await t.seedOrg();
    const read = await t.as(org.tokens.viewer).get(`/api/agents/${org.agent.id}/widget`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ enabled: false, allowedOrigins: [], channels: ['chat'] });
    expect(read.json().publicKey).toMatch(/^wk_[\w-]{32}$/);
    expect(
      (await t.as(org.tokens.agent).put(`/api/agents/${org.agent.id}/widget`, { enabled: true })).statusCode,
    ).toBe(403);
    for (const origin of [
      'https://shop.example.com/page',
      'ftp://shop.example.com',
      'shop.example.com',
      '*',
    ]) {
      const res = await t
        .as(org.tokens.admin)
        .put(`/api/agents/${org.agent.id}/widget`, { allowedOrigins: [origin] });
      expect(res.statusCode, origin).toBe(400);
    }
    const theme = { color: '#0f766e', title: 'Ask us', welcomeMessage: 'Hi!', position: 'bottom-left' };
    const set = await t.as(org.tokens.admin).put(`/api/agents/${org.agent.id}/widget`, {
      enabled: true,
      allowedOrigins: ['https://shop.example.com/', 'http://localhost:8080'],
      channels: ['chat', 'voice'],
      theme,
    });
    expect(set.json()).toMatchObject({
      enabled: true,
      allowedOrigins: ['https://shop.example.com', 'http://localhost:8080'],
      channels: ['chat', 'voice'],
      theme,
    });
    const rotated = await t
      .as(org.tokens.admin)
      .put(`/api/agents/${org.agent.id}/widget`, { rotateKey: true });
    expect(rotated.json().publicKey).not.toBe(read.json().publicKey);
    // Another organization's agent is not found.
    const other = await t.seedOrg();
    expect((await t.as(other.tokens.admin).get(`/api/agents/${org.agent.id}/widget`)).statusCode).toBe(404);
    // The public config answers the allowed origin only.
    const config = await t.app.inject({
      method: 'GET',
      url: `/api/widget/config?key=${rotated.json().publicKey}`,
      headers: { origin: SITE },
    });
    expect(config.json()).toEqual({ channels: ['chat', 'voice'], theme, agentName: org.agent.name });
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/api/widget/config?key=${rotated.json().publicKey}`,
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.statusCode).toBe(403);
  });

  it('refuses unknown keys, switched-off widgets, missing or foreign origins and channels not offered, storing nothing', async () => {
    const org = await t.seedOrg();
    const key = (await t.as(org.tokens.viewer).get(`/api/agents/${org.agent.id}/widget`)).json().publicKey;
    const off = await requestSession(t, { agentKey: key, channel: 'chat' }, { ip: freshIp() });
    expect(off.statusCode).toBe(403);
    expect(off.json().error.message).toBe('This widget is switched off');
    await enableWidget(t, org);
    const unknown = await requestSession(
      t,
      { agentKey: `wk_${'x'.repeat(32)}`, channel: 'chat' },
      { ip: freshIp() },
    );
    expect(unknown.statusCode).toBe(404);
    const missing = await requestSession(
      t,
      { agentKey: key, channel: 'chat' },
      { origin: null, ip: freshIp() },
    );
    expect(missing.statusCode).toBe(403);
    const foreign = await requestSession(
      t,
      { agentKey: key, channel: 'chat' },
      { origin: 'https://evil.example', ip: freshIp() },
    );
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.message).toBe('This website is not allowed to use this widget');
    const voice = await requestSession(t, { agentKey: key, channel: 'voice' }, { ip: freshIp() });
    expect(voice.statusCode).toBe(400);
    for (const body of [
      {},
      { agentKey: key },
      { agentKey: key, channel: 'fax' },
      { agentKey: 'pk_live', channel: 'chat' },
    ]) {
      expect((await requestSession(t, body, { ip: freshIp() })).statusCode).toBe(400);
    }
    const garbage = await t.app.inject({
      method: 'POST',
      url: '/api/widget/sessions',
      headers: { origin: SITE, 'content-type': 'application/json' },
      payload: '\u0000\u00ff{not json',
    });
    expect(garbage.statusCode).toBe(400);
    expect(await stored(org)).toEqual({ sessions: 0, calls: 0 });
  });

  it('answers CORS preflights from any site on the widget endpoints only', async () => {
    const preflight = (url: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: 'https://any-shop.example', 'access-control-request-method': 'POST' },
      });
    const widget = await preflight('/api/widget/sessions');
    expect(widget.headers['access-control-allow-origin']).toBe('https://any-shop.example');
    expect(widget.headers['access-control-allow-credentials']).toBeUndefined();
    const dashboard = await preflight('/api/agents');
    expect(dashboard.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('accepts a chat token once, from its origin, within 60 seconds', async () => {
    const org = await t.seedOrg();
    const { publicKey } = await enableWidget(t, org);
    const grant = async () =>
      (await requestSession(t, { agentKey: publicKey, channel: 'chat' }, { ip: freshIp() })).json()
        .token as string;
    const refused = async (token: string | null, origin: string | null = SITE) => {
      const client = new ChatClient(
        `${ws}/api/widget/chat${token === null ? '' : `?token=${token}`}`,
        origin,
      );
      expect((await client.closed).code).toBe(4401);
      expect(client.of('error').map((m) => m.code)).toEqual(['invalid_token']);
    };
    await refused(null);
    await refused('wst_forged');
    const token = await grant();
    await refused(token, 'https://evil.example');
    await refused(token, null);
    // Refused attempts did not spend it: the page on the right origin opens its chat once.
    const first = new ChatClient(`${ws}/api/widget/chat?token=${token}`);
    await first.waitFor((m) => m.type === 'ready', 'ready');
    await refused(token);
    first.close();
    await first.closed;
    // A widget switched off after the token was issued refuses it.
    const beforeOff = await grant();
    await t.as(org.tokens.admin).put(`/api/agents/${org.agent.id}/widget`, { enabled: false });
    const off = new ChatClient(`${ws}/api/widget/chat?token=${beforeOff}`);
    expect((await off.closed).code).toBe(4404);
    await t.as(org.tokens.admin).put(`/api/agents/${org.agent.id}/widget`, { enabled: true });
    const late = await grant();
    now = new Date(now.getTime() + 61_000);
    await refused(late);
    // The chat was opened but nobody wrote: no conversation is stored.
    expect((await stored(org)).calls).toBe(0);
  });

  it('caps sessions per IP per hour, per agent and per organization with a friendly message', async () => {
    const org = await t.seedOrg();
    const { publicKey } = await enableWidget(t, org);
    const ask = (ip: string, key = publicKey) =>
      requestSession(t, { agentKey: key, channel: 'chat' }, { ip });
    // Per IP: 4 an hour.
    const ip = freshIp();
    for (let n = 0; n < 3; n++) expect((await ask(ip)).statusCode).toBe(201);
    now = new Date(now.getTime() + 61_000); // those tokens expired: no longer open, still counted per IP
    expect((await ask(ip)).statusCode).toBe(201);
    now = new Date(now.getTime() + 61_000);
    const fifth = await ask(ip);
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error).toMatchObject({
      code: 'rate_limited',
      details: { limit: 'sessions_per_ip_per_hour' },
    });
    expect(fifth.json().error.message).toMatch(/try again later/);
    now = new Date(now.getTime() + 3_600_000);
    // Per agent: 3 open at once (pending tokens count).
    for (let n = 0; n < 3; n++) expect((await ask(freshIp())).statusCode).toBe(201);
    const busy = await ask(freshIp());
    expect(busy.statusCode).toBe(429);
    expect(busy.json().error.details).toEqual({ limit: 'sessions_per_agent' });
    // Per organization: 5, across agents.
    const second = (await t.as(org.tokens.admin).post('/api/agents', { name: 'Second' })).json() as {
      id: string;
    };
    const secondKey = (
      await t
        .as(org.tokens.admin)
        .put(`/api/agents/${second.id}/widget`, { enabled: true, allowedOrigins: [SITE] })
    ).json().publicKey;
    for (let n = 0; n < 2; n++) expect((await ask(freshIp(), secondKey)).statusCode).toBe(201);
    const full = await ask(freshIp(), secondKey);
    expect(full.statusCode).toBe(429);
    expect(full.json().error.details).toEqual({ limit: 'sessions_per_org' });
    // Unused tokens expire after 60 s and free their place.
    now = new Date(now.getTime() + 61_000);
    expect((await ask(freshIp(), secondKey)).statusCode).toBe(201);
    const [widgets] = await t.ctx.db
      .select({ n: count() })
      .from(agentWidgets)
      .where(eq(agentWidgets.organizationId, org.id));
    expect(Number(widgets?.n)).toBe(2);
  });
});
