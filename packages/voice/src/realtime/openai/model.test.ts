/**
 * Connecting the OpenAI adapter to a real WebSocket server on 127.0.0.1 (the loopback helper):
 * the exact GA handshake, how each failure is classified, and frames that arrive with the
 * acknowledgement. The whole-call behaviour against the test kit's fake OpenAI Realtime server
 * is covered by the conformance suite.
 */

import { PCM16_16K, PCMU_8K } from '@switchboard/audio';
import { afterEach, describe, expect, it } from 'vitest';
import type { VoiceError } from '../../errors.ts';
import { startLoopbackServer } from '../../testing/loopback.ts';
import { openAILoopbackFixture, until } from '../../testing/openai-loopback.ts';
import { OpenAIRealtimeModel } from './model.ts';

const { config, fakeOpenAI, connectTo, connected, track, cleanup } = openAILoopbackFixture();
afterEach(cleanup);

describe('OpenAIRealtimeModel.connect', () => {
  it('connects with the GA handshake and the exact session.update', async () => {
    const { conn } = await connected();
    expect(conn.path).toBe('/v1/realtime?model=gpt-realtime');
    expect(conn.headers.authorization).toBe('Bearer sk-test');
    expect(conn.headers['openai-beta']).toBeUndefined();
    // No permessage-deflate offer: each call would otherwise risk a zlib stream per socket.
    expect(conn.headers['sec-websocket-extensions']).toBeUndefined();
    expect(conn.received[0]).toEqual({
      type: 'session.update',
      event_id: 'sb_session',
      session: {
        type: 'realtime',
        model: 'gpt-realtime',
        instructions: 'You are a receptionist.',
        output_modalities: ['audio'],
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            turn_detection: {
              type: 'server_vad',
              threshold: 0.6,
              prefix_padding_ms: 200,
              silence_duration_ms: 600,
              create_response: true,
              interrupt_response: true,
            },
            transcription: { model: 'gpt-4o-mini-transcribe', language: 'en' },
          },
          output: { format: { type: 'audio/pcmu' }, voice: 'cedar' },
        },
        tools: [
          {
            type: 'function',
            name: 'end_call',
            description: 'Hang up.',
            parameters: { type: 'object', properties: {} },
          },
        ],
        tool_choice: 'auto',
      },
    });
  });

  it('sends semantic_vad when asked', async () => {
    const { conn } = await connected({ tuning: { vadType: 'semantic_vad', eagerness: 'low' } });
    const session = conn.received[0]?.session as { audio: { input: { turn_detection: unknown } } };
    expect(session.audio.input.turn_detection).toEqual({
      type: 'semantic_vad',
      eagerness: 'low',
      create_response: true,
      interrupt_response: true,
    });
  });

  it('waits for session.updated, then times out as model_timeout', async () => {
    const server = await fakeOpenAI({ ack: false });
    const model = new OpenAIRealtimeModel({ connectTimeoutMs: 500 });
    const err = await model
      .connect({ session: config(server.url), inputFormat: PCMU_8K, outputFormat: PCMU_8K })
      .catch((e: VoiceError) => e);
    expect(err).toMatchObject({ code: 'model_timeout', recoverable: true });
  });

  it('classifies a refused connection, a 401 and a rejected session.update', async () => {
    const model = new OpenAIRealtimeModel();
    const refused = await model
      .connect({ session: config('ws://127.0.0.1:1'), inputFormat: PCMU_8K, outputFormat: PCMU_8K })
      .catch((e: VoiceError) => e);
    expect(refused).toMatchObject({ code: 'model_connect_failed', recoverable: true });

    const denying = await startLoopbackServer({ rejectStatus: 401 });
    track.server(denying);
    const denied = await model
      .connect({ session: config(denying.url), inputFormat: PCMU_8K, outputFormat: PCMU_8K })
      .catch((e: VoiceError) => e);
    expect(denied).toMatchObject({ code: 'model_auth_failed', recoverable: false, details: { status: 401 } });

    const picky = await startLoopbackServer({
      onConnection: (c) =>
        c.onMessage(() =>
          c.send({
            type: 'error',
            error: { type: 'invalid_request_error', code: 'invalid_value', param: 'session.voice' },
          }),
        ),
    });
    track.server(picky);
    const rejected = await model
      .connect({ session: config(picky.url), inputFormat: PCMU_8K, outputFormat: PCMU_8K })
      .catch((e: VoiceError) => e);
    expect(rejected).toMatchObject({
      code: 'model_rejected_config',
      recoverable: false,
      details: { code: 'invalid_value', param: 'session.voice' },
    });
  });

  it('rejects unsupported formats and aborted connects', async () => {
    const server = await fakeOpenAI({ ack: false });
    const model = new OpenAIRealtimeModel();
    await expect(
      model.connect({ session: config(server.url), inputFormat: PCM16_16K, outputFormat: PCMU_8K }),
    ).rejects.toMatchObject({ code: 'unsupported_format' });
    const abort = new AbortController();
    const pending = model.connect({
      session: config(server.url),
      inputFormat: PCMU_8K,
      outputFormat: PCMU_8K,
      signal: abort.signal,
    });
    await server.nextConnection();
    abort.abort();
    await expect(pending).rejects.toMatchObject({ code: 'model_aborted' });
  });
});

describe('OpenAIRealtimeModel: frames right behind session.updated', () => {
  it('delivers events sent in the same read as the acknowledgement', async () => {
    const server = await startLoopbackServer({
      onConnection: (c) =>
        c.onMessage((f) => {
          if (f.type !== 'session.update') return;
          // Back-to-back sends usually share one TCP segment, so ws parses them in one read.
          c.send({ type: 'session.updated', session: f.session });
          c.send({ type: 'input_audio_buffer.speech_started', item_id: 'item_early', audio_start_ms: 0 });
        }),
    });
    const session = await connectTo(track.server(server));
    const started: unknown[] = [];
    session.on('speech_started', (e) => started.push(e));
    await until(() => started.length === 1);
    expect(started[0]).toMatchObject({ itemId: 'item_early' });
  });
});

describe('OpenAIRealtimeModel: odd JSON during setup', () => {
  it('ignores frames that are valid JSON but not objects', async () => {
    const server = await startLoopbackServer({
      onConnection: (c) =>
        c.onMessage((f) => {
          if (f.type !== 'session.update') return;
          c.send('null');
          c.send('42');
          c.send({ type: 'session.updated', session: f.session });
        }),
    });
    const session = await connectTo(track.server(server));
    expect(session.capabilities.truncation).toBe(true);
  });
});
