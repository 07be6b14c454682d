/**
 * Shared by the fake OpenAI server's scenario tests: a Twilio-bridge session (µ-law both ways,
 * server VAD, docs/realtime.md#openai-session-update) against a fresh fake, and audio appended
 * in 20 ms chunks. Everything started is closed by `cleanup` (call it from `afterEach`).
 */
import { type FakeOpenAIRealtime, startFakeOpenAIRealtime } from './server.ts';
import { RealtimeTestClient } from './test-client.ts';
import type { FakeOpenAIRealtimeOptions } from './types.ts';

export function scenarioFixture() {
  const fakes: FakeOpenAIRealtime[] = [];
  const clients: RealtimeTestClient[] = [];

  /** Connect and configure the bridge session; `vad` overrides `turn_detection` fields. */
  async function bridgeSession(opts: FakeOpenAIRealtimeOptions = {}, vad: Record<string, unknown> = {}) {
    const fake = await startFakeOpenAIRealtime(opts);
    fakes.push(fake);
    const client = await RealtimeTestClient.connect(`${fake.url}?model=gpt-realtime`);
    clients.push(client);
    client.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        output_modalities: ['audio'],
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            transcription: { model: 'gpt-4o-mini-transcribe' },
            turn_detection: { type: 'server_vad', silence_duration_ms: 200, ...vad },
          },
          output: { format: { type: 'audio/pcmu' }, voice: 'alloy' },
        },
      },
    });
    await client.next('session.updated');
    return { fake, client, session: fake.session() };
  }

  const cleanup = async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  };

  return { fakes, clients, bridgeSession, cleanup };
}

export function appendAudio(client: RealtimeTestClient, mulaw: Buffer, chunkBytes = 160): void {
  for (let off = 0; off < mulaw.length; off += chunkBytes) {
    client.send({
      type: 'input_audio_buffer.append',
      audio: mulaw.subarray(off, off + chunkBytes).toString('base64'),
    });
  }
}
