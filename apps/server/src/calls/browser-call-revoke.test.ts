/**
 * The dashboard's test call opened with a single-use ticket, and ended (4401) when its caller is
 * revoked mid-call; the re-check is driven from the test (recheckPrincipalsNow).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { recheckPrincipalsNow } from '../auth/principal-watch.ts';
import { testDbKinds } from '../testing/test-app.ts';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

type Msg = { type: string; [key: string]: unknown };

function open(url: string) {
  const ws = new WebSocket(url);
  const messages: Msg[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Msg));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  const waitFor = (type: string) => eventually(async () => messages.find((m) => m.type === type) ?? null);
  return { messages, closed, waitFor };
}

describe.each(kinds)('browser call revocation on %s', (kind) => {
  let h: VoiceHarness;
  const wsUrl = (query: Record<string, string>) =>
    `${h.base.replace(/^http/, 'ws')}/api/browser-call?${new URLSearchParams(query)}`;
  const ticketFor = async (token: string): Promise<string> =>
    (await h.t.as(token).post('/api/auth/ticket')).json().ticket;

  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      openai: { scriptFor: () => [{ on: 'greeting', say: { text: 'Hello there.', durationMs: 300 } }] },
    });
  });
  afterAll(() => h?.close());

  it('opens with a ticket once, and ends the call with 4401 when the caller signs out', async () => {
    const { t, org } = h;
    const ticket = await ticketFor(org.tokens.agent);
    const client = open(wsUrl({ agentId: org.agent.id, ticket }));
    const ready = await client.waitFor('ready');
    await recheckPrincipalsNow(); // still allowed: nothing happens

    const reused = open(wsUrl({ agentId: org.agent.id, ticket }));
    expect((await reused.closed).code).toBe(4401);

    expect((await t.as(org.tokens.agent).post('/api/auth/logout')).statusCode).toBe(204);
    await recheckPrincipalsNow();
    expect((await client.closed).code).toBe(4401);
    expect(client.messages).toContainEqual({ type: 'error', message: expect.stringContaining('revoked') });
    const call = await eventually(async () => {
      const body = (await t.as(org.tokens.viewer).get(`/api/calls/${String(ready.callId)}`)).json();
      return body.endedAt ? body : null;
    });
    expect(call.endedAt).toEqual(expect.any(String));
  });

  it('ends the call of an agent demoted to viewer', async () => {
    const { t } = h;
    const seeded = await t.seedOrg({ name: 'Demoted' });
    const client = open(wsUrl({ agentId: seeded.agent.id, ticket: await ticketFor(seeded.tokens.agent) }));
    await client.waitFor('ready');
    const res = await t
      .as(seeded.tokens.admin)
      .patch(`/api/users/${seeded.users.agent.id}`, { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    await recheckPrincipalsNow();
    expect((await client.closed).code).toBe(4401);
    expect(client.messages).toContainEqual({ type: 'error', message: expect.stringContaining('revoked') });
  });
});
