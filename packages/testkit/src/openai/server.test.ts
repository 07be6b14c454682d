import { afterEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIRealtime, startFakeOpenAIRealtime } from './server.ts';
import { RealtimeTestClient } from './test-client.ts';
import type { FakeOpenAIRealtimeOptions } from './types.ts';

const fakes: FakeOpenAIRealtime[] = [];
const clients: RealtimeTestClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

async function setup(opts: FakeOpenAIRealtimeOptions = {}) {
  const fake = await startFakeOpenAIRealtime({ apiKey: 'sk-test', ...opts });
  fakes.push(fake);
  const client = await RealtimeTestClient.connect(`${fake.url}?model=gpt-realtime`);
  clients.push(client);
  await client.next('session.created');
  return { fake, client };
}

describe('connection', () => {
  it('checks Bearer auth, the path and the beta header at the upgrade', async () => {
    const fake = await startFakeOpenAIRealtime({ apiKey: 'sk-right' });
    fakes.push(fake);
    await expect(RealtimeTestClient.connect(fake.url, null)).rejects.toMatchObject({ statusCode: 401 });
    const wrong = RealtimeTestClient.connect(fake.url, 'sk-wrong');
    await expect(wrong).rejects.toMatchObject({ statusCode: 401 });
    const body = await wrong.catch((e: { body: string }) => JSON.parse(e.body));
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
    await expect(
      RealtimeTestClient.connect(fake.url.replace('/v1/realtime', '/nope'), 'sk-right'),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(fake.rejected.map((r) => r.status)).toEqual([401, 401, 404]);
    const beta = await RealtimeTestClient.connect(fake.url, 'sk-right', { 'OpenAI-Beta': 'realtime=v1' });
    await beta.waitFor(() => beta.closeInfo !== null);
    expect(beta.closeInfo).toEqual({ code: 4000, reason: 'beta_api_shape_disabled' });
    expect(fake.sessions).toHaveLength(0);
  });

  it('sends session.created with the GA session object', async () => {
    const { fake, client } = await setup();
    const created = client.of('session.created')[0];
    expect(created?.event_id).toMatch(/^event_/);
    expect(created?.session).toMatchObject({
      type: 'realtime',
      object: 'realtime.session',
      id: expect.stringMatching(/^sess_/),
      model: 'gpt-realtime',
      output_modalities: ['audio'],
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: { type: 'server_vad' } },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'marin', speed: 1 },
      },
    });
    expect(fake.session(0).headers.authorization).toBe('Bearer sk-test');
  });
});

describe('session.update', () => {
  it('merges a GA update and answers session.updated with the full config', async () => {
    const { fake, client } = await setup();
    client.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        instructions: 'Be brief.',
        audio: {
          input: {
            format: { type: 'audio/pcmu' },
            turn_detection: { type: 'server_vad', silence_duration_ms: 300 },
          },
          output: { format: { type: 'audio/pcmu' }, voice: 'alloy' },
        },
        tools: [{ type: 'function', name: 'end_call', parameters: { type: 'object', properties: {} } }],
      },
    });
    const updated = await client.next('session.updated');
    expect(updated.session).toMatchObject({
      instructions: 'Be brief.',
      tools: [{ name: 'end_call' }],
      audio: {
        input: {
          format: { type: 'audio/pcmu' },
          turn_detection: {
            type: 'server_vad',
            silence_duration_ms: 300,
            threshold: 0.5,
            create_response: true,
          },
        },
        output: { format: { type: 'audio/pcmu' }, voice: 'alloy', speed: 1 },
      },
    });
    expect(fake.session().config.audio.output.format).toEqual({ type: 'audio/pcmu' });
  });

  it('rejects beta-shaped and invalid updates with the real error shape; the socket stays open', async () => {
    const { fake, client } = await setup();
    client.send({
      type: 'session.update',
      event_id: 'evt_1',
      session: { modalities: ['text', 'audio'], input_audio_format: 'g711_ulaw' },
    });
    const e1 = await client.next('error');
    expect(e1.error).toEqual({
      type: 'invalid_request_error',
      code: 'unknown_parameter',
      message: "Unknown parameter: 'session.modalities'.",
      param: 'session.modalities',
      event_id: 'evt_1',
    });
    client.send({ type: 'session.update', session: { audio: {} } });
    expect((await client.next('error', 2)).error.message).toBe("Missing required parameter: 'session.type'.");
    client.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { format: { type: 'g711_ulaw' } } } },
    });
    expect((await client.next('error', 3)).error).toMatchObject({
      code: 'invalid_value',
      message:
        "Invalid value: 'g711_ulaw'. Supported values are: 'audio/pcm', 'audio/pcmu', and 'audio/pcma'.",
      param: 'session.audio.input.format.type',
    });
    client.send({
      type: 'session.update',
      session: { type: 'realtime', tools: [{ type: 'function', function: { name: 'x' } }] },
    });
    expect((await client.next('error', 4)).error.param).toBe('session.tools[0].function');
    client.send({ type: 'session.update', session: { type: 'realtime', audio: { output: { speed: 2 } } } });
    expect((await client.next('error', 5)).error.code).toBe('decimal_above_max_value');
    client.send({ type: 'session.update', session: { type: 'realtime' } });
    await client.next('session.updated');
    expect(fake.session().errors).toHaveLength(5);
    expect(client.closeInfo).toBeNull();
  });

  it('answers unknown, typeless and unparsable client events with errors', async () => {
    const { client } = await setup();
    client.send({ type: 'response.audio.delta' });
    expect((await client.next('error')).error).toMatchObject({ code: 'invalid_value', param: 'type' });
    client.send({ event_id: 'x' });
    expect((await client.next('error', 2)).error).toMatchObject({ code: 'invalid_event', event_id: 'x' });
    client.ws.send('{oops');
    expect((await client.next('error', 3)).error.code).toBe('invalid_json');
  });
});

describe('control methods', () => {
  it('disconnects abruptly or with a close code, sends raw frames and rate limits', async () => {
    const { fake, client } = await setup();
    fake.sendRaw(0, 'not json at all');
    fake.emitRateLimits(0);
    await client.next('rate_limits.updated');
    expect(client.of('(unparsable)')[0]?.raw).toBe('not json at all');
    expect(client.of('rate_limits.updated')[0]?.rate_limits[0]).toEqual({
      name: 'requests',
      limit: 1000,
      remaining: 999,
      reset_seconds: 60,
    });
    fake.disconnect(0, 1011, 'server_error');
    await client.waitFor(() => client.closeInfo !== null);
    expect(client.closeInfo).toEqual({ code: 1011, reason: 'server_error' });
    const second = await RealtimeTestClient.connect(fake.url);
    clients.push(second);
    await fake.waitForSession(1);
    fake.disconnect(1);
    await second.waitFor(() => second.closeInfo !== null);
    expect(second.closeInfo?.code).toBe(1006);
    await fake.waitFor((f) => f.sessions.every((s) => s.closeInfo !== null));
  });
});
