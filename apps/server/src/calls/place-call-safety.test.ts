/**
 * Issue 11's outbound probes, re-run: simultaneous requests to call one prospect dial once (the
 * others get 409 with the live call), an Idempotency-Key makes a retry return the same call, and
 * without PUBLIC_URL a forged Host header never reaches Twilio.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/test-app.ts';
import { startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

describe.each(kinds)('placing calls safely on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind);
  });
  afterAll(() => h?.close());

  const prospect = async (phone: string) =>
    (await h.t.as(h.org.tokens.agent).post('/api/prospects', { phone })).json() as { id: string };
  const place = (id: string, headers: Record<string, string> = {}) =>
    h.t.app.inject({
      method: 'POST',
      url: `/api/prospects/${id}/call`,
      headers: { authorization: `Bearer ${h.org.tokens.agent}`, ...headers },
    });

  it('dials once for five simultaneous requests; the others get 409 with the live call', async () => {
    const p = await prospect('+14155550601');
    const before = h.rest.calls.size;
    const results = await Promise.all([0, 1, 2, 3, 4].map(() => place(p.id)));
    const placed = results.filter((r) => r.statusCode === 202);
    const refused = results.filter((r) => r.statusCode === 409);
    expect(placed).toHaveLength(1);
    expect(refused).toHaveLength(4);
    const callId = placed[0]!.json().id;
    for (const r of refused) {
      expect(r.json().error.details).toMatchObject({ reason: 'call_in_progress', callId });
      expect(r.json().error.details.call.id).toBe(callId);
    }
    expect(h.rest.calls.size).toBe(before + 1);
  });

  it('answers a retried Idempotency-Key with the call it placed, without dialling again', async () => {
    const p = await prospect('+14155550602');
    const before = h.rest.calls.size;
    const first = await place(p.id, { 'idempotency-key': 'retry-me-1' });
    expect(first.statusCode).toBe(202);
    const again = await Promise.all([0, 1, 2].map(() => place(p.id, { 'idempotency-key': 'retry-me-1' })));
    for (const r of again) {
      expect(r.statusCode).toBe(202);
      expect(r.json().id).toBe(first.json().id);
    }
    expect(h.rest.calls.size).toBe(before + 1);
    expect((await place(p.id, { 'idempotency-key': 'bad key\u0001' })).statusCode).toBe(400);
  });
});

describe.each(kinds)('placing calls without PUBLIC_URL on %s', (kind) => {
  it('refuses instead of trusting the Host header, and shows the attempt as not placed', async () => {
    const h = await startVoiceHarness(kind, { env: { PUBLIC_URL: '' } });
    try {
      const p = (await h.t.as(h.org.tokens.agent).post('/api/prospects', { phone: '+14155550603' })).json();
      const res = await h.t.app.inject({
        method: 'POST',
        url: `/api/prospects/${p.id}/call`,
        headers: { authorization: `Bearer ${h.org.tokens.agent}`, host: 'attacker.example.net' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.details.reason).toBe('public_url_missing');
      // Twilio was never asked to call anyone, let alone fetch instructions from the forged host.
      expect(h.rest.calls.size).toBe(0);
      const calls = (await h.t.as(h.org.tokens.viewer).get('/api/calls')).json();
      expect(calls.items).toMatchObject([{ status: 'failed', endReason: 'public_url_missing' }]);
      expect(JSON.stringify(calls)).not.toContain('attacker.example.net');
    } finally {
      await h.close();
    }
  });
});
