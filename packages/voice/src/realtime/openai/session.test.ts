/**
 * A connected OpenAI session against a loopback server, checking the exact GA frames it sends
 * and how it maps the server's events.
 */

import { PCMU_8K } from '@switchboard/audio';
import { afterEach, describe, expect, it } from 'vitest';
import { openAILoopbackFixture, types, until } from '../../testing/openai-loopback.ts';

const { connected, cleanup } = openAILoopbackFixture();
afterEach(cleanup);

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
