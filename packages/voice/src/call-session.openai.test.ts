/**
 * A whole call through the real OpenAI adapter: in-memory Twilio ⇄ CallSession ⇄
 * OpenAIRealtimeModel ⇄ the testkit's fake OpenAI Realtime server (real WebSocket, GA protocol).
 */
import { type FakeOpenAIRealtime, startFakeOpenAIRealtime } from '@switchboard/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OpenAIRealtimeModel } from './realtime/openai/index.ts';
import { type LoopbackCallOptions, startLoopbackCall } from './testing/loopback-call.ts';
import { ToolRegistry } from './tools/registry.ts';

const fakes: FakeOpenAIRealtime[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function until(probe: () => boolean, label: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function openaiCall(
  script: Parameters<typeof startFakeOpenAIRealtime>[0],
  options: Omit<LoopbackCallOptions<Record<string, unknown>>, 'model'> = {},
) {
  const fake = await startFakeOpenAIRealtime({ apiKey: 'sk-test', pacing: 'burst', ...script });
  fakes.push(fake);
  const call = await startLoopbackCall(
    {
      ...options,
      model: new OpenAIRealtimeModel({ url: fake.url }),
      setup: {
        session: { model: 'gpt-realtime', instructions: 'Be brief.', credentials: { apiKey: 'sk-test' } },
        toolContext: {},
        ...options.setup,
      },
    },
    3000,
  );
  expect(call.session.phase).toBe('live');
  return {
    fake,
    call,
    received: () => Buffer.concat(call.twilio.sentAudio().map((b) => Buffer.from(b, 'base64'))),
  };
}

describe('CallSession over the OpenAI adapter and the fake OpenAI server', () => {
  it('greets, and passes audio through byte-for-byte in both directions', async () => {
    const greetingAudio = Buffer.from(Array.from({ length: 1600 }, (_, i) => (i * 7) % 256));
    const { fake, call, received } = await openaiCall(
      { script: [{ on: 'greeting', say: { text: 'Hello!', audio: greetingAudio } }] },
      { setup: { greeting: 'Hello!' } },
    );
    await until(() => received().length === greetingAudio.length, 'greeting audio');
    expect(received().equals(greetingAudio)).toBe(true);
    expect(fake.session().responses[0]?.trigger).toBe('greeting');

    const callerAudio = Buffer.alloc(160 * 5, 0xfe); // near-silence: no VAD turn
    for (let i = 0; i < 5; i++)
      call.twilio.media(callerAudio.subarray(i * 160, (i + 1) * 160).toString('base64'));
    await until(() => fake.session().inputAudio().length === callerAudio.length, 'caller audio');
    expect(fake.session().inputAudio().equals(callerAudio)).toBe(true);
  });

  it('barges in: clear, then a truncate the server accepts (heard ms from marks and the playout clock)', async () => {
    const { fake, call, received } = await openaiCall(
      { chunkMs: 100, script: [{ on: 'greeting', say: { text: 'A long greeting.', durationMs: 2000 } }] },
      { setup: { greeting: 'A long greeting.' } },
    );
    await until(() => received().length === 16_000, 'greeting audio');
    call.twilio.playMarks(5); // 500 ms played
    await new Promise((resolve) => setTimeout(resolve, 10)); // let the echoes reach the session
    fake.triggerSpeechStarted();
    await until(() => fake.session().truncations.length === 1, 'truncate');
    expect(call.twilio.received.some((m) => m.event === 'clear')).toBe(true);
    // Heard: the last echoed mark (500 ms) plus the playout since, short of the next mark (600 ms).
    const truncation = fake.session().truncations[0]!;
    expect(truncation).toMatchObject({ itemAudioMs: 2000, ok: true });
    expect(truncation.audioEndMs).toBeGreaterThanOrEqual(500);
    expect(truncation.audioEndMs).toBeLessThanOrEqual(600);
    expect(call.of('barge_in')[0]).toMatchObject({ forwardedMs: 2000, truncatedAtMs: truncation.audioEndMs });
  });

  it('runs a tool and asks for the follow-up response', async () => {
    const tools = new ToolRegistry().register({
      name: 'lookup',
      description: 'Look up.',
      parameters: z.object({ q: z.string() }),
      handler: ({ q }) => ({ found: q }),
    });
    const { fake, call } = await openaiCall(
      {
        script: [
          { on: 'greeting', toolCall: { name: 'lookup', arguments: { q: 'hours' }, callId: 'call_1' } },
          { on: 'tool_output', say: { text: 'We open at nine.' } },
        ],
      },
      { tools, setup: { greeting: 'Hi', enabledTools: ['lookup'] } },
    );
    await until(() => fake.session().responses.length === 2, 'second response');
    expect(fake.session().toolOutputs.map((t) => [t.callId, t.output])).toEqual([
      ['call_1', '{"found":"hours"}'],
    ]);
    expect(fake.session().responses[1]?.trigger).toBe('tool_output');
    expect(call.of('tool_call')[0]).toMatchObject({ name: 'lookup', ok: true, arguments: { q: 'hours' } });
  });

  it('ends with model_disconnected and calls onFatal when the server drops mid-call', async () => {
    const fatal: string[] = [];
    const { fake, call } = await openaiCall({}, { onFatal: ({ reason }) => void fatal.push(reason) });
    fake.disconnect();
    const ended = await call.session.finished;
    expect(ended.reason).toBe('model_disconnected');
    expect(fatal).toEqual(['model_disconnected']);
  });
});
