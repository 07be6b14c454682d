import { afterEach, describe, expect, it } from 'vitest';
import { mulawSilence, mulawTone } from '../util/g711.ts';
import { appendAudio, scenarioFixture } from './scenario-fixture.ts';

const { bridgeSession, cleanup } = scenarioFixture();
afterEach(cleanup);

const RESPONSE_ORDER = [
  'response.created',
  'rate_limits.updated',
  'response.output_item.added',
  'conversation.item.added',
  'response.content_part.added',
];
const RESPONSE_TAIL = [
  'response.output_audio.done',
  'response.output_audio_transcript.done',
  'response.content_part.done',
  'response.output_item.done',
  'conversation.item.done',
  'response.done',
];

describe('plain talk', () => {
  it('greets on response.create with schema-complete events, paced in real time', async () => {
    const { client, session } = await bridgeSession({
      script: [{ on: 'greeting', say: { text: 'Hello there, how can I help?', durationMs: 400 } }],
    });
    const t0 = performance.now();
    client.send({ type: 'response.create', response: { instructions: 'Greet the caller.' } });
    const done = await client.next('response.done');
    const elapsed = performance.now() - t0;
    // Paced: never faster than the scripted duration (how much slower is the machine's business).
    expect(elapsed).toBeGreaterThanOrEqual(370);
    const types = client.types().slice(client.types().indexOf('response.created'));
    const core = types.filter((t) => !t.endsWith('.delta'));
    expect(core).toEqual([...RESPONSE_ORDER, ...RESPONSE_TAIL]);
    const deltas = client.of('response.output_audio.delta');
    expect(deltas).toHaveLength(20);
    const first = deltas[0];
    const created = client.of('response.created')[0];
    const itemId = client.of('response.output_item.added')[0]?.item.id;
    expect(first).toMatchObject({
      event_id: expect.stringMatching(/^event_/),
      response_id: created?.response.id,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
    });
    expect(Buffer.from(first?.delta, 'base64')).toHaveLength(160);
    // Real-time pacing: the 20 deltas span ≈ 380 ms.
    expect((deltas[19]?.atMs ?? 0) - (deltas[0]?.atMs ?? 0)).toBeGreaterThanOrEqual(360);
    const transcript = client
      .of('response.output_audio_transcript.delta')
      .map((d) => d.delta)
      .join('');
    expect(transcript).toBe('Hello there, how can I help?');
    expect(client.of('response.output_audio_transcript.done')[0]?.transcript).toBe(transcript);
    expect(created?.response).toMatchObject({
      object: 'realtime.response',
      status: 'in_progress',
      status_details: null,
      output: [],
      conversation_id: expect.stringMatching(/^conv_/),
      output_modalities: ['audio'],
      max_output_tokens: 'inf',
      audio: { output: { format: { type: 'audio/pcmu' }, voice: 'alloy' } },
      usage: null,
      metadata: null,
    });
    expect(done.response).toMatchObject({
      status: 'completed',
      output: [
        {
          id: itemId,
          type: 'message',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_audio', transcript }],
        },
      ],
      usage: {
        total_tokens: expect.any(Number),
        input_token_details: { text_tokens: expect.any(Number), audio_tokens: 0, cached_tokens: 0 },
        output_token_details: { text_tokens: 7, audio_tokens: 8 },
      },
    });
    expect(session.responses[0]).toMatchObject({
      trigger: 'greeting',
      turnIndex: 0,
      status: 'completed',
      instructions: 'Greet the caller.',
      audioMs: 400,
    });
    expect(session.scriptMismatches).toEqual([]);
  });

  it('burst mode sends everything at once in 100 ms chunks; given audio is sent byte-exact', async () => {
    const audio = mulawTone(1000, 1000);
    const { client } = await bridgeSession({ pacing: 'burst', script: [{ say: { text: 'Exact.', audio } }] });
    const t0 = performance.now();
    client.send({ type: 'response.create' });
    await client.next('response.done');
    expect(performance.now() - t0).toBeLessThan(500);
    const deltas = client.of('response.output_audio.delta').map((d) => Buffer.from(d.delta, 'base64'));
    expect(deltas).toHaveLength(10);
    expect(Buffer.concat(deltas)).toEqual(audio);
  });

  it('turns caller speech into VAD events, a transcribed user item and an automatic reply', async () => {
    const { client, session } = await bridgeSession({
      pacing: 'burst',
      script: [{ on: 'user_turn', userTranscript: 'I need a plumber.', say: { text: 'Sure.' } }],
    });
    appendAudio(client, Buffer.concat([mulawSilence(500), mulawTone(300, 600), mulawSilence(400)]));
    const started = await client.next('input_audio_buffer.speech_started');
    expect(started).toMatchObject({ audio_start_ms: 200, item_id: expect.stringMatching(/^item_/) });
    const stopped = await client.next('input_audio_buffer.speech_stopped');
    expect(stopped).toMatchObject({ audio_end_ms: 1100, item_id: started.item_id });
    expect(await client.next('input_audio_buffer.committed')).toMatchObject({
      previous_item_id: null,
      item_id: started.item_id,
    });
    const added = client.of('conversation.item.added')[0];
    expect(added?.item).toMatchObject({
      id: started.item_id,
      type: 'message',
      role: 'user',
      content: [{ type: 'input_audio' }],
    });
    const transcription = await client.next('conversation.item.input_audio_transcription.completed');
    expect(transcription).toMatchObject({
      item_id: started.item_id,
      content_index: 0,
      transcript: 'I need a plumber.',
      usage: { type: 'tokens' },
    });
    const done = await client.next('response.done');
    expect(done.response.status).toBe('completed');
    expect(session.userTurns).toEqual([
      { itemId: started.item_id, audioStartMs: 200, audioEndMs: 1100, transcript: 'I need a plumber.' },
    ]);
    expect(session.responses[0]?.trigger).toBe('user_turn');
    expect(session.inputAudio()).toHaveLength(12000);
    const order = client.types();
    expect(order.indexOf('input_audio_buffer.committed')).toBeLessThan(order.indexOf('response.created'));
  });

  it('handles manual turns: commit errors on an empty buffer; commit + response.create works', async () => {
    const { client, session } = await bridgeSession({ pacing: 'burst' }, {});
    client.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { turn_detection: null } } },
    });
    await client.next('session.updated', 2);
    client.send({ type: 'input_audio_buffer.commit' });
    expect((await client.next('error')).error).toMatchObject({
      code: 'input_audio_buffer_commit_empty',
      message: expect.stringContaining('buffer only has 0.00ms of audio'),
    });
    appendAudio(client, mulawTone(300, 500));
    client.send({ type: 'input_audio_buffer.commit' });
    await client.next('input_audio_buffer.committed');
    expect(client.of('input_audio_buffer.speech_started')).toHaveLength(0);
    client.send({ type: 'response.create' });
    await client.next('response.done');
    expect(session.responses[0]?.trigger).toBe('user_turn');
    expect(session.responses[0]?.turnIndex).toBe(-1); // script exhausted → default reply
  });
});

describe('response control', () => {
  it('cancels on response.cancel, refuses a second active response, and errors when nothing is active', async () => {
    const { client, session } = await bridgeSession({
      script: [{ say: { text: 'A long answer.', durationMs: 3000 } }],
    });
    client.send({ type: 'response.create' });
    await client.next('response.output_audio.delta', 3);
    client.send({ type: 'response.create' });
    const busy = await client.next('error');
    expect(busy.error.code).toBe('conversation_already_has_active_response');
    expect(busy.error.message).toMatch(/^Conversation already has an active response in progress: resp_/);
    client.send({ type: 'response.cancel' });
    const done = await client.next('response.done');
    expect(done.response).toMatchObject({
      status: 'cancelled',
      status_details: { type: 'cancelled', reason: 'client_cancelled' },
    });
    expect(done.response.output[0]).toMatchObject({ status: 'incomplete' });
    expect(client.of('response.output_item.done')[0]?.item.status).toBe('incomplete');
    const deltas = client.of('response.output_audio.delta').length;
    await new Promise((r) => setTimeout(r, 60));
    expect(client.of('response.output_audio.delta')).toHaveLength(deltas);
    client.send({ type: 'response.cancel' });
    expect((await client.next('error', 2)).error).toMatchObject({
      code: 'response_cancel_not_active',
      message: 'Cancellation failed: no active response found',
    });
    expect(session.cancels.map((c) => [c.by, c.ok])).toEqual([
      ['client', true],
      ['client', false],
    ]);
  });

  it('barge-in: speech during a paced reply cancels it (turn_detected); truncate is validated against audio sent', async () => {
    const { fake, client, session } = await bridgeSession({
      script: [
        { say: { text: 'Let me tell you a long story.', durationMs: 5000 } },
        { on: 'user_turn', say: { text: 'Yes?' } },
      ],
    });
    client.send({ type: 'response.create' });
    await client.next('response.output_audio.delta', 10); // ≈ 200 ms sent
    const itemId = client.of('response.output_item.added')[0]?.item.id;
    fake.triggerSpeechStarted();
    await client.next('input_audio_buffer.speech_started');
    const done = await client.next('response.done');
    expect(done.response.status_details).toEqual({ type: 'cancelled', reason: 'turn_detected' });
    const sentMs = (client.of('response.output_audio.delta').length * 160) / 8;
    // What a bridge does: truncate to what the caller heard (here: too much, then correct).
    client.send({
      type: 'conversation.item.truncate',
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 9100,
    });
    const err = await client.next('error');
    expect(err.error.message).toBe(`Audio content of ${sentMs}ms is already shorter than 9100ms`);
    client.send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: 120 });
    expect(await client.next('conversation.item.truncated')).toMatchObject({
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 120,
    });
    client.send({ type: 'response.cancel' });
    await client.next('error', 2);
    expect(session.bargeIns).toHaveLength(1);
    expect(session.bargeIns[0]).toMatchObject({
      activeResponseId: done.response.id,
      serverCancelled: true,
      lastAssistantItemId: itemId,
      clientActions: [
        { type: 'truncate', itemId, audioEndMs: 9100 },
        { type: 'truncate', itemId, audioEndMs: 120 },
        { type: 'cancel' },
      ],
    });
    expect(session.truncations.map((t) => t.ok)).toEqual([false, true]);
    expect(session.truncations[1]?.itemAudioMs).toBe(sentMs);
    fake.triggerSpeechStopped();
    const reply = await client.next('response.created', 2);
    expect(reply.response.status).toBe('in_progress');
    expect(session.responses[1]?.trigger).toBe('user_turn');
  });

  it('barge-in from real caller audio via the energy VAD', async () => {
    const { client, session } = await bridgeSession({
      script: [{ say: { text: 'Long.', durationMs: 4000 } }],
    });
    client.send({ type: 'response.create' });
    await client.next('response.output_audio.delta', 5);
    appendAudio(client, mulawTone(300, 200));
    await client.next('input_audio_buffer.speech_started');
    expect((await client.next('response.done')).response.status).toBe('cancelled');
    expect(session.speechStarts[0]?.serverCancelled).toBe(true);
  });

  it('interrupt_response: false leaves the reply running (the client must cancel)', async () => {
    const { fake, client, session } = await bridgeSession(
      { script: [{ say: { text: 'Long.', durationMs: 2000 } }] },
      { interrupt_response: false },
    );
    client.send({ type: 'response.create' });
    await client.next('response.output_audio.delta', 2);
    fake.triggerSpeechStarted();
    await client.next('input_audio_buffer.speech_started');
    await new Promise((r) => setTimeout(r, 50));
    expect(client.of('response.done')).toHaveLength(0);
    client.send({ type: 'response.cancel' });
    expect((await client.next('response.done')).response.status_details.reason).toBe('client_cancelled');
    expect(session.speechStarts[0]).toMatchObject({
      serverCancelled: false,
      clientActions: [{ type: 'cancel' }],
    });
  });
});
