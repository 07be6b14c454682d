import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveBus } from '../live/bus.ts';
import { toCallJson } from '../mappers/calls.ts';
import { insertCall } from '../testing/fixtures.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

/** An SSE client over fetch: collects the text and waits for what a test expects. */
async function connect(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const waitFor = async (needle: string, timeoutMs = 3000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    while (!text.includes(needle)) {
      if (Date.now() > deadline) throw new Error(`no "${needle}" in ${JSON.stringify(text)}`);
      const chunk = await Promise.race([
        reader.read(),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 100)),
      ]);
      if (chunk?.done) throw new Error(`stream ended without "${needle}": ${JSON.stringify(text)}`);
      if (chunk?.value) text += decoder.decode(chunk.value, { stream: true });
    }
    return text;
  };
  return { res, waitFor, text: () => text, close: () => controller.abort() };
}

/** Counts subscriptions still open on the bus. */
function countSubscriptions(bus: LiveBus): { open: () => number } {
  let open = 0;
  const subscribe = bus.subscribe.bind(bus);
  bus.subscribe = (organizationId, listener) => {
    open++;
    const unsubscribe = subscribe(organizationId, listener);
    return () => {
      open--;
      unsubscribe();
    };
  };
  return { open: () => open };
}

describe.each(kinds)('GET /api/events on %s', (kind) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await buildTestApp(kind);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  it('streams the organization’s live events to a token in the query string, and only those', async () => {
    const a = await t.seedOrg();
    const b = await t.seedOrg();
    const call = toCallJson(await insertCall(t.ctx.db, a.id, { status: 'in-progress' }));
    const client = await connect(`${base}/api/events?token=${a.tokens.viewer}`);
    expect(client.res.status).toBe(200);
    expect(client.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(client.res.headers.get('cache-control')).toContain('no-cache');
    expect(client.res.headers.get('x-accel-buffering')).toBe('no');
    // Helmet's and the request id's headers survive taking over the response.
    expect(client.res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(client.res.headers.get('x-request-id')).toBeTruthy();
    await client.waitFor(': connected');

    t.ctx.live.publish(b.id, {
      type: 'call.transcript',
      callId: 'b-call',
      role: 'user',
      text: 'secret',
      atMs: 1,
    });
    t.ctx.live.publish(a.id, { type: 'call.updated', call });
    t.ctx.live.publish(a.id, {
      type: 'call.transcript',
      callId: call.id,
      role: 'assistant',
      text: 'Hi',
      atMs: 40,
    });
    t.ctx.live.publish(a.id, {
      type: 'call.event',
      callId: call.id,
      event: {
        id: 1,
        type: 'tool_call',
        atMs: 90,
        data: { name: 'end_call' },
        createdAt: new Date(0).toISOString(),
      },
    });
    const text = await client.waitFor('event: call.event');
    expect(text).toContain(`event: call.updated\ndata: ${JSON.stringify(call)}\n\n`);
    expect(text).toContain(
      `event: call.transcript\ndata: ${JSON.stringify({ callId: call.id, role: 'assistant', text: 'Hi', atMs: 40 })}\n\n`,
    );
    expect(text).toContain(
      `event: call.event\ndata: ${JSON.stringify({ callId: call.id, event: { id: 1, type: 'tool_call', atMs: 90, data: { name: 'end_call' }, createdAt: new Date(0).toISOString() } })}\n\n`,
    );
    expect(text).not.toContain('secret');
    client.close();
  });

  it('accepts the Authorization header and API keys, and refuses bad tokens like any route', async () => {
    const a = await t.seedOrg();
    const key = (await t.as(a.tokens.admin).post('/api/api-keys', { name: 'sse', role: 'viewer' })).json()
      .key;
    for (const headers of [
      { authorization: `Bearer ${a.tokens.viewer}` },
      { authorization: `Bearer ${key}` },
    ]) {
      const client = await connect(`${base}/api/events`, headers);
      expect(client.res.status).toBe(200);
      await client.waitFor(': connected');
      client.close();
    }
    const viaQuery = await connect(`${base}/api/events?token=${encodeURIComponent(key)}`);
    expect(viaQuery.res.status).toBe(200);
    viaQuery.close();

    for (const url of ['/api/events', '/api/events?token=nope', `/api/events?token=${a.tokens.viewer}x`]) {
      const res = await fetch(base + url);
      expect(res.status, url).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it('unsubscribes when the client goes away', async () => {
    const a = await t.seedOrg();
    const subscriptions = countSubscriptions(t.ctx.live);
    const first = await connect(`${base}/api/events?token=${a.tokens.viewer}`);
    const second = await connect(`${base}/api/events?token=${a.tokens.agent}`);
    await first.waitFor(': connected');
    await second.waitFor(': connected');
    expect(subscriptions.open()).toBe(2);
    first.close();
    await expect.poll(subscriptions.open).toBe(1);
    second.close();
    await expect.poll(subscriptions.open).toBe(0);
  });
});

describe('GET /api/events and shutdown', () => {
  it('does not keep the server from closing', async () => {
    const t = await buildTestApp('pglite');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const org = await t.seedOrg();
    const client = await connect(`${base}/api/events?token=${org.tokens.viewer}`);
    await client.waitFor(': connected');
    // An open stream must not hold the close: were it to, this would hang until the test times out.
    await t.close();
    client.close();
  });
});
