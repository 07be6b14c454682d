/**
 * Single-use tickets for /api/events (POST /api/auth/ticket) and open event streams that end
 * when their caller is revoked (the re-check is driven from the test: recheckPrincipalsNow).
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recheckPrincipalsNow } from '../auth/principal-watch.ts';
import { TICKET_TTL_MS } from '../services/auth-tickets.ts';
import { connectSse } from '../testing/sse-client.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('tickets and revoked streams on %s', (kind) => {
  let t: TestApp;
  let base: string;
  let now = new Date();
  beforeAll(async () => {
    t = await buildTestApp(kind, { clock: () => now });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  const ticketFor = async (token: string): Promise<string> => {
    const res = await t.as(token).post('/api/auth/ticket');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(new Date(body.expiresAt).getTime() - now.getTime()).toBe(TICKET_TTL_MS);
    expect(body.ticket).toMatch(/^tk_[A-Za-z0-9_-]{43}$/);
    return body.ticket;
  };
  const eventsWith = (ticket: string) => t.as(undefined).get(`/api/events?ticket=${ticket}`);

  it('a ticket opens the stream of its own organization once; a second use is 401', async () => {
    const a = await t.seedOrg();
    const b = await t.seedOrg();
    const ticket = await ticketFor(a.tokens.viewer);
    const client = await connectSse(`${base}/api/events?ticket=${ticket}`);
    expect(client.res.status).toBe(200);
    await client.waitFor(': connected');
    t.ctx.live.publish(b.id, {
      type: 'call.transcript',
      callId: 'b',
      role: 'user',
      text: 'other org',
      atMs: 1,
    });
    t.ctx.live.publish(a.id, {
      type: 'call.transcript',
      callId: 'a',
      role: 'user',
      text: 'own org',
      atMs: 2,
    });
    const text = await client.waitFor('own org');
    expect(text).not.toContain('other org');
    client.close();

    const again = await eventsWith(ticket);
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('unauthorized');
  });

  it('refuses an expired, unknown or malformed ticket, and one whose session was revoked', async () => {
    const org = await t.seedOrg();
    const expired = await ticketFor(org.tokens.viewer);
    now = new Date(now.getTime() + TICKET_TTL_MS + 1000);
    expect((await eventsWith(expired)).statusCode).toBe(401);
    expect((await eventsWith(`tk_${'A'.repeat(43)}`)).statusCode).toBe(401);
    expect((await eventsWith('nonsense')).statusCode).toBe(401);
    const revoked = await ticketFor(org.tokens.agent);
    expect((await t.as(org.tokens.agent).post('/api/auth/logout')).statusCode).toBe(204);
    expect((await eventsWith(revoked)).statusCode).toBe(401);
    expect((await t.as(undefined).post('/api/auth/ticket')).statusCode).toBe(401);
  });

  it('ends an open stream with `event: revoked` once the session is signed out', async () => {
    const org = await t.seedOrg();
    const client = await connectSse(`${base}/api/events?ticket=${await ticketFor(org.tokens.viewer)}`);
    await client.waitFor(': connected');
    await recheckPrincipalsNow();
    t.ctx.live.publish(org.id, {
      type: 'call.transcript',
      callId: 'c',
      role: 'user',
      text: 'still on',
      atMs: 1,
    });
    await client.waitFor('still on');

    expect((await t.as(org.tokens.viewer).post('/api/auth/logout')).statusCode).toBe(204);
    await recheckPrincipalsNow();
    const text = await client.waitForEnd();
    expect(text).toContain('event: revoked\ndata: {"reason":"revoked"}\n\n');
  });

  it('ends a stream opened with the deprecated ?token= when the user is disabled', async () => {
    const org = await t.seedOrg();
    const client = await connectSse(`${base}/api/events?token=${org.tokens.agent}`);
    await client.waitFor(': connected');
    const patched = await t
      .as(org.tokens.admin)
      .patch(`/api/users/${org.users.agent.id}`, { disabled: true });
    expect(patched.statusCode).toBe(200);
    await recheckPrincipalsNow();
    expect(await client.waitForEnd()).toContain('event: revoked');
  });

  it('an API key’s ticket and stream end when the key is revoked', async () => {
    const org = await t.seedOrg();
    const created = await t.as(org.tokens.admin).post('/api/api-keys', { name: 'feed', role: 'viewer' });
    const { id, key } = created.json() as { id: string; key: string };
    const client = await connectSse(`${base}/api/events?ticket=${await ticketFor(key)}`);
    await client.waitFor(': connected');
    expect((await t.as(org.tokens.admin).delete(`/api/api-keys/${id}`)).statusCode).toBe(204);
    await recheckPrincipalsNow();
    expect(await client.waitForEnd()).toContain('event: revoked');
  });
});
