import { mulawDecode } from '@switchboard/audio';
import { startFakeOpenAIRealtime } from '@switchboard/testkit';
import { OpenAIRealtimeModel } from '../realtime/openai/index.ts';
import { runConformanceSuite } from './suite.ts';
import type { MakeTarget } from './types.ts';

const makeOpenAITarget: MakeTarget = async (options) => {
  // A fresh OpenAI session starts with an empty conversation: one segment per connection.
  const fake = await startFakeOpenAIRealtime({
    apiKey: 'sk-test',
    scriptFor: (i) => options.segments[i] ?? [],
    speed: options.speed ?? 1,
  });
  const latest = () => fake.sessions.length - 1;
  return {
    provider: 'openai',
    model: new OpenAIRealtimeModel(),
    session: {
      model: 'gpt-realtime',
      instructions: 'You are the Acme receptionist.',
      voice: 'marin',
      tuning: { silenceDurationMs: 400 },
      credentials: { apiKey: 'sk-test', url: fake.url },
    },
    sessionCount: () => fake.sessions.length,
    heardByModel: (i) => ({ samples: mulawDecode(fake.session(i).inputAudio()), sampleRate: 8000 }),
    turns: (i) =>
      fake.session(i).responses.map((r) => ({ trigger: r.trigger, text: r.instructions, status: r.status })),
    toolOutputs: (i) =>
      fake.session(i).toolOutputs.map((o) => ({ callId: o.callId, output: JSON.parse(o.output) as unknown })),
    interruptions: (i) => fake.session(i).bargeIns.length,
    truncations: (i) => fake.session(i).truncations.map((t) => ({ ok: t.ok, audioEndMs: t.audioEndMs })),
    scriptMismatches: () => fake.sessions.flatMap((s) => s.scriptMismatches),
    disconnect: (code, reason) => fake.disconnect(latest(), code, reason),
    sendRaw: (data) => fake.sendRaw(latest(), data),
    // What OpenAI does at its session cap: an `error` event, then it closes the socket.
    forceReconnect: () => {
      const s = fake.session(latest());
      s.sendError(
        {
          type: 'invalid_request_error',
          code: 'session_expired',
          message: 'Your session hit the maximum duration of 30 minutes.',
          param: null,
        },
        null,
      );
      s.disconnect(1000, '');
    },
    startedWith: (i) => ({ resumed: false, instructions: fake.session(i).config.instructions }),
    close: () => fake.close(),
  };
};

runConformanceSuite('openai', makeOpenAITarget);
