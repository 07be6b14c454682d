import { pcm16FromBytes } from '@switchboard/audio';
import { startFakeGeminiLive } from '@switchboard/testkit';
import { GeminiLiveModel } from '../realtime/gemini/index.ts';
import { runConformanceSuite } from './suite.ts';
import type { MakeTarget } from './types.ts';

const makeGeminiTarget: MakeTarget = async (options) => {
  const fake = await startFakeGeminiLive({
    apiKey: 'g-test',
    // Gemini resumes its own state: the segments are one continuous conversation.
    script: options.segments.flat(),
    staleAudioAfterInterruptMs: options.staleAudioAfterInterruptMs ?? 0,
    speed: options.speed ?? 1,
  });
  const latest = () => fake.sessions.length - 1;
  return {
    provider: 'gemini',
    model: new GeminiLiveModel(),
    session: {
      model: 'gemini-live-2.5-flash-preview',
      instructions: 'You are the Acme receptionist.',
      voice: 'Puck',
      tuning: { silenceDurationMs: 400 },
      credentials: { apiKey: 'g-test', url: fake.url },
    },
    sessionCount: () => fake.sessions.length,
    heardByModel: (i) => ({ samples: pcm16FromBytes(fake.session(i).inputAudio()), sampleRate: 16000 }),
    turns: (i) => fake.session(i).turns.map((t) => ({ trigger: t.trigger, text: t.text, status: t.status })),
    toolOutputs: (i) =>
      fake
        .session(i)
        .toolResponses.filter((r) => !r.late)
        .map((r) => ({ callId: r.id, output: (r.response as { output?: unknown }).output })),
    interruptions: (i) => fake.session(i).interruptions.length,
    truncations: () => [],
    scriptMismatches: () => fake.sessions.flatMap((s) => s.scriptMismatches),
    disconnect: (code, reason) => fake.disconnect(latest(), code, reason),
    sendRaw: (data) => fake.sendRaw(latest(), data),
    forceReconnect: () => fake.goAway(latest(), 10_000),
    startedWith: (i) => ({
      resumed: fake.session(i).resumedFrom !== null,
      instructions: fake.session(i).setup.systemInstruction,
    }),
    close: () => fake.close(),
  };
};

runConformanceSuite('gemini', makeGeminiTarget);
