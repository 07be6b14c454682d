/**
 * The OpenAI adapter against a real WebSocket server on 127.0.0.1 (the loopback helper),
 * checking the exact GA frames it sends. (`startFakeOpenAIRealtime` from @switchboard/testkit
 * was not available yet when this was written; the conformance suite will run against it.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PCM16_16K, PCMU_8K } from '../audio-format.ts';
import type { VoiceError } from '../errors.ts';
import { type LoopbackConnection, type LoopbackServer, startLoopbackServer } from '../testing/loopback.ts';
import { MODEL_SESSION_EVENTS, pollUntil, recordEvents } from '../testing/record-events.ts';
import { OpenAIRealtimeModel } from './openai.ts';
import type { ModelSession, ModelSessionEvents, SessionConfig } from './types.ts';

const servers: LoopbackServer[] = [];
const sessions: ModelSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const config = (url: string, overrides: Partial<SessionConfig> = {}): SessionConfig => ({
  model: 'gpt-realtime',
  instructions: 'You are a receptionist.',
  voice: 'cedar',
  language: 'en-US',
  tools: [{ name: 'end_call', description: 'Hang up.', parameters: { type: 'object', properties: {} } }],
  tuning: { silenceDurationMs: 600, vadThreshold: 0.6, prefixPaddingMs: 200 },
  credentials: { apiKey: 'sk-test', url: `${url}/v1/realtime` },
  ...overrides,
});

/** A server that acknowledges session.update like OpenAI does. */
async function fakeOpenAI(opts: { ack?: boolean } = {}) {
  const server = await startLoopbackServer({
    onConnection: (c) => {
      c.send({ type: 'session.created', session: {} });
      c.onMessage((f) => {
        if (f.type === 'session.update' && opts.ack !== false)
          c.send({ type: 'session.updated', session: f.session });
      });
    },
  });
  servers.push(server);
  return server;
}

async function connected(overrides: Partial<SessionConfig> = {}) {
  const server = await fakeOpenAI();
  const model = new OpenAIRealtimeModel();
  const session = await model.connect({
    session: config(server.url, overrides),
    inputFormat: PCMU_8K,
    outputFormat: PCMU_8K,
  });
  sessions.push(session);
  const conn = await server.nextConnection();
  const { events, of } = recordEvents<ModelSessionEvents>(session, MODEL_SESSION_EVENTS);
  return { server, conn, session, events, of };
}

const until = (probe: () => boolean, timeoutMs = 2000) => pollUntil(probe, { timeoutMs, intervalMs: 5 });
const types = (conn: LoopbackConnection) => conn.received.map((f) => f.type);

describe('OpenAIRealtimeModel.connect', () => {
  it('connects with the GA handshake and the exact session.update', async () => {
    const { conn } = await connected();
    expect(conn.path).toBe('/v1/realtime?model=gpt-realtime');
    expect(conn.headers.authorization).toBe('Bearer sk-test');
    expect(conn.headers['openai-beta']).toBeUndefined();
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
    servers.push(denying);
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
    servers.push(picky);
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

describe('OpenAIRealtimeSession', () => {
  it('passes audio through untouched both ways', async () => {
    const { conn, session, of } = await connected();
    const payload = Buffer.from([0, 1, 2, 127, 128, 255]).toString('base64');
    session.sendAudio(payload, PCMU_8K);
    await conn.waitFor((f) => f.type === 'input_audio_buffer.append');
    expect(conn.received.at(-1)).toEqual({ type: 'input_audio_buffer.append', audio: payload });
    conn.send({ type: 'response.output_audio.delta', response_id: 'r1', item_id: 'i1', delta: payload });
    await until(() => of('audio').length === 1);
    expect(of('audio')).toEqual([{ base64: payload, itemId: 'i1', format: PCMU_8K }]);
  });

  it('maps VAD, transcripts, responses and usage', async () => {
    const { conn, of } = await connected();
    conn.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 100, item_id: 'u1' });
    conn.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 900, item_id: 'u1' });
    conn.send({
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: 'u1',
      transcript: 'Hi',
    });
    conn.send({ type: 'response.created', response: { id: 'r1', status: 'in_progress' } });
    conn.send({ type: 'response.output_audio_transcript.delta', item_id: 'a1', delta: 'Hel' });
    conn.send({ type: 'response.output_audio_transcript.delta', item_id: 'a1', delta: 'lo' });
    conn.send({ type: 'response.output_audio_transcript.done', item_id: 'a1', transcript: 'Hello' });
    conn.send({
      type: 'response.done',
      response: {
        id: 'r1',
        status: 'completed',
        usage: {
          total_tokens: 253,
          input_tokens: 132,
          output_tokens: 121,
          input_token_details: { text_tokens: 119, audio_tokens: 13, cached_tokens: 64 },
          output_token_details: { text_tokens: 30, audio_tokens: 91 },
        },
      },
    });
    await until(() => of('response_done').length === 1);
    expect(of('speech_started')).toEqual([{ itemId: 'u1', audioStartMs: 100 }]);
    expect(of('speech_stopped')).toEqual([{ itemId: 'u1', audioEndMs: 900 }]);
    expect(of('transcript')).toEqual([
      { role: 'user', text: 'Hi', final: true, itemId: 'u1' },
      { role: 'assistant', text: 'Hel', final: false, itemId: 'a1' },
      { role: 'assistant', text: 'Hello', final: false, itemId: 'a1' },
      { role: 'assistant', text: 'Hello', final: true, itemId: 'a1' },
    ]);
    expect(of('response_started')).toEqual([{ responseId: 'r1' }]);
    expect(of('response_done')).toEqual([
      {
        responseId: 'r1',
        status: 'completed',
        usage: {
          inputTokens: 132,
          outputTokens: 121,
          totalTokens: 253,
          inputAudioTokens: 13,
          inputTextTokens: 119,
          cachedInputTokens: 64,
          outputAudioTokens: 91,
          outputTextTokens: 30,
        },
      },
    ]);
  });

  it('runs the tool round trip: name from output_item.done, response.create after response.done', async () => {
    const { conn, session, of } = await connected();
    conn.send({ type: 'response.created', response: { id: 'r2' } });
    conn.send({
      type: 'response.function_call_arguments.done',
      item_id: 'fc1',
      call_id: 'c1',
      arguments: '{}',
    });
    conn.send({
      type: 'response.output_item.done',
      item: { id: 'fc1', type: 'function_call', name: 'end_call', call_id: 'c1', arguments: '{"a":1}' },
    });
    await until(() => of('tool_call').length === 1);
    expect(of('tool_call')).toEqual([{ callId: 'c1', name: 'end_call', arguments: '{"a":1}' }]);
    session.sendToolResult('c1', '{"ok":true}', { name: 'end_call' });
    session.createResponse();
    await conn.waitFor((f) => f.type === 'conversation.item.create');
    await new Promise((r) => setTimeout(r, 30));
    expect(types(conn)).not.toContain('response.create');
    conn.send({ type: 'response.done', response: { id: 'r2', status: 'completed' } });
    const create = await conn.waitFor((f) => f.type === 'response.create');
    expect(create).toEqual({ type: 'response.create', event_id: expect.any(String) });
    expect(conn.received.find((f) => f.type === 'conversation.item.create')).toEqual({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: 'c1', output: '{"ok":true}' },
    });
  });

  it('retries a response.create refused because another response won the race', async () => {
    const { conn, session, of } = await connected();
    session.createResponse('Greet the caller.');
    const first = await conn.waitFor((f) => f.type === 'response.create');
    expect(first.response).toEqual({ instructions: 'Greet the caller.' });
    conn.send({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: 'conversation_already_has_active_response',
        event_id: first.event_id,
      },
    });
    conn.send({ type: 'response.done', response: { id: 'r_vad', status: 'completed' } });
    await until(() => conn.received.filter((f) => f.type === 'response.create').length === 2);
    expect(conn.received.filter((f) => f.type === 'response.create')[1]?.response).toEqual({
      instructions: 'Greet the caller.',
    });
    expect(of('error')).toEqual([]);
  });

  it('sends cancel with the response id, truncate, and DTMF as a user message', async () => {
    const { conn, session, of } = await connected();
    conn.send({ type: 'response.created', response: { id: 'r3' } });
    await until(() => of('response_started').length === 1);
    session.cancelResponse();
    session.truncate('a1', 1234.9);
    session.sendDtmf('7');
    await conn.waitFor((f) => f.type === 'conversation.item.create');
    expect(conn.received.slice(1)).toEqual([
      { type: 'response.cancel', response_id: 'r3' },
      { type: 'conversation.item.truncate', item_id: 'a1', content_index: 0, audio_end_ms: 1234 },
      {
        type: 'conversation.item.create',
        item: {
          type: 'message',
          role: 'user',
          content: [{ type: 'input_text', text: '[The caller pressed the phone keypad key "7".]' }],
        },
      },
    ]);
    conn.send({ type: 'response.done', response: { id: 'r3', status: 'cancelled' } });
    await conn.waitFor((f) => f.type === 'response.create');
  });

  it('reports provider errors as recoverable and ignores cancel-not-active', async () => {
    const { conn, of } = await connected();
    conn.send({
      type: 'error',
      error: { type: 'invalid_request_error', code: 'response_cancel_not_active' },
    });
    conn.send({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: 'invalid_value',
        message: 'Audio content of 100ms is already shorter than 200ms',
      },
    });
    conn.send('not json');
    await until(() => of('error').length === 2);
    expect(of('error').map((e) => [e.error.code, e.recoverable, e.error.details?.code])).toEqual([
      ['model_server_error', true, 'invalid_value'],
      ['model_protocol', true, undefined],
    ]);
  });

  it('emits closed expected:false on a mid-call drop and expected:true after close()', async () => {
    const dropped = await connected();
    dropped.conn.terminate();
    await until(() => dropped.of('closed').length === 1);
    expect(dropped.of('closed')[0]).toMatchObject({ expected: false });

    const closing = await connected();
    await closing.session.close();
    expect(closing.of('closed')).toEqual([{ code: 1000, reason: 'call ended', expected: true }]);
    expect(await closing.conn.closed).toEqual({ code: 1000, reason: 'call ended' });
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
    servers.push(server);
    const session = await new OpenAIRealtimeModel().connect({
      session: config(server.url),
      inputFormat: PCMU_8K,
      outputFormat: PCMU_8K,
    });
    sessions.push(session);
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
    servers.push(server);
    const session = await new OpenAIRealtimeModel().connect({
      session: config(server.url),
      inputFormat: PCMU_8K,
      outputFormat: PCMU_8K,
    });
    sessions.push(session);
    expect(session.capabilities.truncation).toBe(true);
  });
});
