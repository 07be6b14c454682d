/**
 * The Gemini adapter against the test kit's fake Gemini Live server (a real WebSocket on
 * 127.0.0.1): the setup it sends, audio conversion at its edge, turns, barge-in, tools and the
 * lifecycle events long calls rely on.
 */
import { mulawDecode, PCM16_24K, PCMU_8K, pcm16FromBytes, pcm16ToBytes } from '@switchboard/audio';
import { goertzelDb, toneMulaw, tonePcm16 } from '@switchboard/audio/testing';
import { type FakeGeminiLive, type FakeGeminiLiveOptions, startFakeGeminiLive } from '@switchboard/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import type { VoiceError } from '../../errors.ts';
import { MODEL_SESSION_EVENTS, pollUntil, recordEvents } from '../../testing/record-events.ts';
import type { AudioFormat } from '../../types.ts';
import type { SessionConfig } from '../types.ts';
import { GeminiLiveModel } from './model.ts';
import type { GeminiLiveSession, GeminiSessionEvents } from './session.ts';

const fakes: FakeGeminiLive[] = [];
const sessions: GeminiLiveSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const config = (url: string, overrides: Partial<SessionConfig> = {}): SessionConfig => ({
  model: 'gemini-live-2.5-flash-preview',
  instructions: 'You are a receptionist.',
  voice: 'Kore',
  tools: [
    {
      name: 'lookup',
      description: 'Look up.',
      parameters: {
        type: 'object',
        properties: { q: { type: 'string' } },
        required: ['q'],
        additionalProperties: false,
      },
    },
  ],
  tuning: { silenceDurationMs: 300, prefixPaddingMs: 100, interruptionSensitivity: 'low' },
  credentials: { apiKey: 'g-key', url },
  ...overrides,
});

const ALL_EVENTS = [...MODEL_SESSION_EVENTS, 'going_away', 'resumption', 'tool_calls_cancelled'] as const;

async function connected(
  opts: FakeGeminiLiveOptions = {},
  overrides: Partial<SessionConfig> = {},
  resume?: string,
  format: AudioFormat = PCMU_8K,
) {
  const fake = fakes[0] ?? (await startFakeGeminiLive({ apiKey: 'g-key', pacing: 'burst', ...opts }));
  if (!fakes.includes(fake)) fakes.push(fake);
  const model = new GeminiLiveModel();
  const session = (await model.connect({
    session: config(fake.url, overrides),
    inputFormat: format,
    outputFormat: format,
    ...(resume ? { resume: { handle: resume } } : {}),
  })) as GeminiLiveSession;
  sessions.push(session);
  const { events, of } = recordEvents<GeminiSessionEvents>(session, ALL_EVENTS);
  const until = (probe: () => boolean, label = 'condition') =>
    pollUntil(probe, { timeoutMs: 8000, intervalMs: 5, label });
  return { fake, session, events, of, until, fakeSession: fake.session() };
}

/** The caller: `ms` of a 1 kHz µ-law tone (or silence), sent as 20 ms Twilio frames. */
function speak(session: GeminiLiveSession, ms: number, tone = true): void {
  const audio = tone ? toneMulaw(1000, ms, 0.5) : new Uint8Array(ms * 8).fill(0xff);
  for (let off = 0; off < audio.length; off += 160) {
    session.sendAudio(Buffer.from(audio.subarray(off, off + 160)).toString('base64'), PCMU_8K);
  }
}

describe('connect', () => {
  it('sends setup first with instruction, voice, tools, tuning, transcription, resumption and compression', async () => {
    const { fakeSession } = await connected();
    expect(fakeSession.path).toBe(
      '/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent?key=g-key',
    );
    expect(fakeSession.clientMessages[0]?.message).toEqual({
      setup: {
        model: 'models/gemini-live-2.5-flash-preview',
        generationConfig: {
          responseModalities: ['AUDIO'],
          speechConfig: { voiceConfig: { prebuiltVoiceConfig: { voiceName: 'Kore' } } },
        },
        systemInstruction: { role: 'user', parts: [{ text: 'You are a receptionist.' }] },
        tools: [
          {
            functionDeclarations: [
              {
                name: 'lookup',
                description: 'Look up.',
                parameters: { type: 'OBJECT', properties: { q: { type: 'STRING' } }, required: ['q'] },
              },
            ],
          },
        ],
        realtimeInputConfig: {
          automaticActivityDetection: {
            disabled: false,
            startOfSpeechSensitivity: 'START_SENSITIVITY_LOW',
            endOfSpeechSensitivity: 'END_SENSITIVITY_HIGH',
            prefixPaddingMs: 100,
            silenceDurationMs: 300,
          },
          activityHandling: 'START_OF_ACTIVITY_INTERRUPTS',
          turnCoverage: 'TURN_INCLUDES_ONLY_ACTIVITY',
        },
        inputAudioTranscription: {},
        outputAudioTranscription: {},
        sessionResumption: {},
        contextWindowCompression: { triggerTokens: '25600', slidingWindow: { targetTokens: '12800' } },
      },
    });
  });

  it('waits for setupComplete and classifies close codes during setup', async () => {
    const fake = await startFakeGeminiLive({ withholdSetupComplete: true });
    fakes.push(fake);
    const opts = { inputFormat: PCMU_8K, outputFormat: PCMU_8K };
    const slow = new GeminiLiveModel({ connectTimeoutMs: 500 });
    await expect(slow.connect({ session: config(fake.url), ...opts })).rejects.toMatchObject({
      code: 'model_timeout',
    });
    const expired = await startFakeGeminiLive({
      rejectSetup: { code: 1007, reason: 'API key expired. Please renew the API key.' },
    });
    fakes.push(expired);
    const model = new GeminiLiveModel();
    await expect(model.connect({ session: config(expired.url), ...opts })).rejects.toMatchObject({
      code: 'model_auth_failed',
      recoverable: false,
    });
    const picky = await startFakeGeminiLive({ models: ['models/other'] });
    fakes.push(picky);
    const error = (await model
      .connect({ session: config(picky.url), ...opts })
      .catch((e) => e)) as VoiceError;
    expect(error.code).toBe('model_rejected_config');
    expect(error.details).toMatchObject({ code: 1008 });
    const controller = new AbortController();
    const pending = slow.connect({ session: config(fake.url), ...opts, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'model_aborted' });
  });
});

describe('audio and turns', () => {
  it('converts µ-law 8 kHz caller audio to 16 kHz PCM and 24 kHz model audio to µ-law 8 kHz', async () => {
    const { fakeSession, session, of, until } = await connected({
      script: [{ say: { text: 'Hello there, how can I help?', durationMs: 600 }, userTranscript: 'hello' }],
    });
    speak(session, 400);
    speak(session, 600, false);
    await until(() => of('response_done').length === 1, 'response_done');
    const heardByModel = pcm16FromBytes(fakeSession.inputAudio());
    expect(heardByModel.length).toBe(16 * 1000);
    expect(goertzelDb(heardByModel.subarray(800, 6400), 16000, 1000)).toBeGreaterThan(-10);
    const toCaller = Buffer.concat(of('audio').map((a) => Buffer.from(a.base64, 'base64')));
    expect(of('audio').every((a) => a.format === PCMU_8K)).toBe(true);
    expect(toCaller.length).toBeGreaterThan(600 * 8 - 40);
    const pcm = mulawDecode(toCaller);
    expect(goertzelDb(pcm.subarray(80), 8000, 440)).toBeGreaterThan(-16);
    expect(goertzelDb(pcm.subarray(80), 8000, 1000)).toBeLessThan(-60);
    const [started] = of('response_started');
    expect(of('response_done')[0]).toMatchObject({ responseId: started?.responseId, status: 'completed' });
    expect(of('response_done')[0]?.usage?.outputAudioTokens).toBe(15);
    expect(of('transcript').filter((t) => t.final)).toEqual([
      { role: 'user', text: 'hello', final: true, itemId: expect.any(String) },
      {
        role: 'assistant',
        text: 'Hello there, how can I help?',
        final: true,
        itemId: of('audio')[0]?.itemId,
      },
    ]);
    // The end of the tone, give or take the resampler's delay and one 20 ms frame.
    expect(of('speech_stopped')).toHaveLength(1);
    expect(of('speech_stopped')[0]?.audioEndMs).toBeGreaterThanOrEqual(400);
    expect(of('speech_stopped')[0]?.audioEndMs).toBeLessThanOrEqual(440);
  });

  it('takes browser PCM16 24 kHz (resampled to 16 kHz) and gives PCM16 24 kHz back untouched', async () => {
    const { fakeSession, session, of, until } = await connected(
      { script: [{ say: { text: 'Hello from the browser.', durationMs: 500 }, userTranscript: 'hi' }] },
      {},
      undefined,
      PCM16_24K,
    );
    const speech = pcm16ToBytes(tonePcm16(1000, 400, 24000, 0.5));
    const silence = Buffer.alloc(600 * 48);
    for (const audio of [speech, silence]) {
      for (let off = 0; off < audio.length; off += 1920) {
        session.sendAudio(Buffer.from(audio.subarray(off, off + 1920)).toString('base64'), PCM16_24K);
      }
    }
    await until(() => of('response_done').length === 1, 'response_done');
    const heardByModel = pcm16FromBytes(fakeSession.inputAudio());
    expect(heardByModel.length).toBe(16 * 1000);
    expect(goertzelDb(heardByModel.subarray(800, 6400), 16000, 1000)).toBeGreaterThan(-7);
    expect(of('audio').every((a) => a.format === PCM16_24K)).toBe(true);
    const toBrowser = pcm16FromBytes(Buffer.concat(of('audio').map((a) => Buffer.from(a.base64, 'base64'))));
    expect(toBrowser.length).toBeGreaterThan(500 * 24 - 240);
    expect(goertzelDb(toBrowser, 24000, 440)).toBeGreaterThan(-16);
    expect(
      of('transcript')
        .filter((t) => t.final)
        .map((t) => t.role),
    ).toEqual(['user', 'assistant']);
  });

  it('maps interrupted to speech_started and drops the rest of the turn', async () => {
    const { session, of, until } = await connected({
      pacing: 'paced',
      staleAudioAfterInterruptMs: 100,
      script: [
        { on: 'greeting', say: { text: 'A very long greeting indeed', durationMs: 5000 } },
        { say: { text: 'Yes?', durationMs: 200 } },
      ],
    });
    session.createResponse('Greet the caller.');
    await until(() => of('audio').length > 2, 'greeting audio');
    speak(session, 200);
    await until(() => of('speech_started').length === 1, 'speech_started');
    const cutAt = of('audio').length;
    await until(() => of('response_done').length === 1, 'interrupted turn done');
    expect(of('audio').length).toBe(cutAt);
    expect(of('response_done')[0]?.status).toBe('cancelled');
    speak(session, 400, false);
    await until(() => of('response_done').length === 2, 'answer');
    const [first, second] = of('response_started');
    expect(second?.responseId).not.toBe(first?.responseId);
    expect(of('audio').at(-1)?.itemId).not.toBe(of('audio')[0]?.itemId);
  });

  it('defers createResponse while a turn is active and sends key presses as text', async () => {
    const { fakeSession, session, of, until } = await connected({ pacing: 'paced', script: [] });
    session.createResponse('Greet.');
    await until(() => of('audio').length > 0);
    session.sendDtmf('5');
    expect(fakeSession.clientTexts).toEqual(['Greet.']);
    await until(() => fakeSession.clientTexts.length === 2, 'dtmf text');
    expect(fakeSession.clientTexts[1]).toBe('[The caller pressed the phone keypad key "5".]');
    expect(of('response_done')).toHaveLength(1);
  });
});

describe('tools', () => {
  it('emits tool_call and answers with one toolResponse carrying the call id', async () => {
    const { fakeSession, session, of, until } = await connected({
      script: [
        { on: 'greeting', toolCall: { name: 'lookup', arguments: { q: 'order 42' }, callId: 'fc-1' } },
        { on: 'tool_output', say: { text: 'It shipped.' } },
      ],
    });
    session.createResponse();
    await until(() => of('tool_call').length === 1);
    expect(of('tool_call')[0]).toEqual({ callId: 'fc-1', name: 'lookup', arguments: '{"q":"order 42"}' });
    session.sendToolResult('fc-1', '{"status":"shipped"}', { name: 'lookup' });
    await until(() => of('response_done').length === 1);
    expect(fakeSession.toolResponses).toEqual([
      {
        atMs: expect.any(Number),
        id: 'fc-1',
        name: 'lookup',
        response: { output: { status: 'shipped' } },
        late: false,
      },
    ]);
    expect(fakeSession.turns.map((t) => t.trigger)).toEqual(['greeting', 'tool_output']);
    expect(of('response_started')).toHaveLength(1);
  });

  it('honours toolCallCancellation: the late result is not sent', async () => {
    const { fakeSession, session, of, until } = await connected({
      script: [{ on: 'greeting', toolCall: { name: 'lookup', arguments: { q: 'x' }, callId: 'fc-2' } }],
    });
    session.createResponse();
    await until(() => of('tool_call').length === 1);
    speak(session, 200);
    await until(() => of('tool_calls_cancelled').length === 1);
    expect(of('tool_calls_cancelled')[0]).toEqual({ callIds: ['fc-2'] });
    session.sendToolResult('fc-2', '{"error":{"code":"failed","message":"nope"}}', { name: 'lookup' });
    speak(session, 400, false);
    await until(() => fakeSession.turns.length === 2, 'next turn');
    expect(fakeSession.toolResponses).toEqual([]);
  });
});

describe('lifecycle and errors', () => {
  it('reports goAway and resumption handles, and resumes with a handle', async () => {
    const { fake, session, of, until } = await connected({
      script: [{ on: 'greeting', say: { text: 'One.' } }],
    });
    await until(() => of('resumption').length > 0, 'first handle');
    const handle = session.resumptionHandle;
    expect(of('resumption')[0]).toEqual({ handle, resumable: true });
    fake.goAway(0, 5000, { close: false });
    await until(() => of('going_away').length === 1);
    expect(of('going_away')[0]).toEqual({ timeLeftMs: 5000, reason: 'go_away' });
    const resumed = await connected({}, {}, handle);
    expect(resumed.fakeSession.resumedFrom).toBe(handle);
    expect(resumed.fakeSession.clientMessages[0]?.message).toMatchObject({
      setup: { sessionResumption: { handle } },
    });
  });

  it('survives malformed messages; reports a server close with its code', async () => {
    const { fake, of, until } = await connected();
    fake.sendRaw(0, 'not json');
    fake.sendRaw(0, '[1,2]');
    fake.sendRaw(0, JSON.stringify({ serverContent: 42, toolCall: { functionCalls: [{ name: 'x' }] } }));
    await until(() => of('error').length === 3);
    expect(of('error').map((e) => [e.error.code, e.recoverable])).toEqual([
      ['model_protocol', true],
      ['model_protocol', true],
      ['model_protocol', true],
    ]);
    fake.disconnect(0, 1011, 'Internal error occurred.');
    await until(() => of('closed').length === 1);
    expect(of('closed')[0]).toEqual({ code: 1011, reason: 'Internal error occurred.', expected: false });
    expect(of('error')).toHaveLength(3);
  });
});
