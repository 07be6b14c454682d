/**
 * Concurrent phone calls are capped per organization (and per server): a caller beyond the cap
 * hears that the lines are busy, the refusal is on the call log, and the running call goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDbKinds } from '../testing/test-app.ts';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

const kinds = await testDbKinds();

describe.each(kinds)('call capacity on %s', (kind) => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness(kind, {
      env: { MAX_CONCURRENT_CALLS_PER_ORG: '1' },
      openai: { scriptFor: () => [{ on: 'greeting', say: { text: 'Hello', durationMs: 300 } }] },
    });
  });
  afterAll(() => h?.close());

  it('refuses a call beyond the organization cap politely and logs it', async () => {
    const first = await h.inboundCall();
    await eventually(async () => first.stream!.playedMs() > 100);
    const second = await h.inboundCall({ From: '+14155550777' });
    expect(second.stream).toBeNull();
    expect(second.webhook.body).toMatch(/lines are busy/);
    const list = (await h.t.as(h.org.tokens.viewer).get('/api/calls?limit=200')).json();
    const refused = list.items.find((c: { providerCallSid: string }) => c.providerCallSid === second.callSid);
    expect(refused).toMatchObject({ status: 'failed', endReason: 'capacity' });
    expect(first.stream!.closeInfo).toBeNull();
    await first.stream!.stop();
    // Once the first call is over, a new one is answered.
    await eventually(async () => {
      const row = (await h.t.as(h.org.tokens.viewer).get('/api/calls?live=true')).json();
      return row.items.length === 0;
    });
    const third = await h.inboundCall({ From: '+14155550778' });
    expect(third.stream).not.toBeNull();
    await third.stream!.stop();
  });
});
