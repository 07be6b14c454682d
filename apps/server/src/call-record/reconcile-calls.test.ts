/**
 * Issue 11's restart probe: calls a dead process left non-final are settled — from Twilio's REST
 * status when it knows the call, else failed with `server_restart` once older than the agent's
 * maximum duration — and vanish from "live"; recent calls and calls Twilio still runs stay.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/test-app.ts';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';
import { reconcileStaleCalls } from './reconcile-calls.ts';
import { createCall } from './update-call.ts';

const kinds = await testDbKinds();

describe.each(kinds)('reconciling unfinished calls on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind);
  });
  afterAll(() => h?.close());

  const make = async (values: { startedAt: Date; providerCallSid?: string; direction?: 'inbound' | 'web' }) =>
    (await createCall(h.t.ctx, {
      organizationId: h.org.id,
      direction: values.direction ?? 'inbound',
      status: 'in-progress',
      agentId: h.org.agent.id,
      startedAt: values.startedAt,
      ...(values.providerCallSid ? { providerCallSid: values.providerCallSid } : {}),
    }))!;
  const get = async (id: string) => (await h.t.as(h.org.tokens.viewer).get(`/api/calls/${id}`)).json();

  it('settles stale calls and leaves live ones', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    const crashedWeb = await make({ startedAt: hourAgo, direction: 'web' });
    const unknownToTwilio = await make({ startedAt: hourAgo, providerCallSid: `CA${'9'.repeat(32)}` });
    const recent = await make({ startedAt: new Date(), direction: 'web' });

    // An outbound call Twilio has completed while nobody listened, and one it still runs.
    const prospect = (
      await h.t.as(h.org.tokens.agent).post('/api/prospects', { phone: '+14155550701' })
    ).json();
    const done = (await h.t.as(h.org.tokens.agent).post(`/api/prospects/${prospect.id}/call`)).json();
    h.rest.setCallStatus(done.providerCallSid, 'completed');
    const other = (await h.t.as(h.org.tokens.agent).post('/api/prospects', { phone: '+14155550702' })).json();
    const running = (await h.t.as(h.org.tokens.agent).post(`/api/prospects/${other.id}/call`)).json();
    h.rest.setCallStatus(running.providerCallSid, 'in-progress');

    const report = await reconcileStaleCalls(h.t.ctx);
    expect(report).toMatchObject({ fromTwilio: 1, failed: 2 });

    for (const id of [crashedWeb.id, unknownToTwilio.id]) {
      expect(await get(id)).toMatchObject({ status: 'failed', endReason: 'server_restart' });
    }
    expect((await get(done.id)).status).toBe('completed');
    expect((await get(recent.id)).status).toBe('in-progress');
    expect((await get(running.id)).status).toBe('queued');

    const live = (await h.t.as(h.org.tokens.viewer).get('/api/calls?live=true&limit=200')).json();
    const liveIds = live.items.map((c: { id: string }) => c.id);
    expect(liveIds).not.toContain(crashedWeb.id);
    expect(liveIds).not.toContain(done.id);
    expect(liveIds).toContain(recent.id);
    // Hang-up of a settled call is no longer refused as "still live" (it is simply over).
    await eventually(async () => (await get(crashedWeb.id)).endedAt);
  });
});
