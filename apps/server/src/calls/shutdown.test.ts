/**
 * A restart must not lose a call record: closing the app ends live media streams, and the
 * registry drain (what server.close awaits before closing the database) holds until each call's
 * final record is written.
 */
import { calls } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startVoiceHarness, type VoiceHarness } from '../testing/voice-harness.ts';

describe('shutdown during a call', () => {
  let h: VoiceHarness;
  beforeAll(async () => {
    h = await startVoiceHarness('pglite', {
      openai: { script: [{ on: 'greeting', say: { text: 'Hello', durationMs: 5000 } }] },
    });
  });
  afterAll(() => h?.close());

  it('writes the final record of live calls before the database would close', async () => {
    const call = await h.inboundCall();
    await eventually(async () => call.stream!.playedMs() > 100);
    expect(h.t.ctx.liveCalls.size).toBe(1);

    await h.t.app.close();
    expect(await h.t.ctx.liveCalls.drain(5_000)).toBe(true);

    const [row] = await h.t.ctx.db.select().from(calls).where(eq(calls.providerCallSid, call.callSid));
    expect(row?.endedAt).not.toBeNull();
    expect(row?.endReason).toBeTruthy();
    expect(row?.status).toBe('completed');
  });
});
