import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { readTag } from '../tagging.ts';
import { scenarioFixture } from './scenario-fixture.ts';
import { startFakeOpenAIRealtime } from './server.ts';
import { RealtimeTestClient } from './test-client.ts';

const { fakes, clients, bridgeSession, cleanup } = scenarioFixture();
afterEach(cleanup);

describe('function calling', () => {
  it('streams a tool call, waits for function_call_output + response.create, then continues the script', async () => {
    const { client, session } = await bridgeSession({
      pacing: 'burst',
      script: [
        {
          on: 'greeting',
          say: { text: 'Let me check.' },
          toolCall: { name: 'check_availability', arguments: { day: 'monday' } },
        },
        { on: 'tool_output', say: { text: 'Monday at ten works.' } },
      ],
    });
    client.send({ type: 'response.create' });
    const done = await client.next('response.done');
    const added = client.of('response.output_item.added');
    expect(added.map((a) => a.item.type)).toEqual(['message', 'function_call']);
    const call = added[1]?.item;
    expect(call).toMatchObject({
      type: 'function_call',
      status: 'in_progress',
      name: 'check_availability',
      call_id: expect.stringMatching(/^call_/),
      arguments: '',
    });
    expect(added[1]?.output_index).toBe(1);
    const args = client
      .of('response.function_call_arguments.delta')
      .map((d) => d.delta)
      .join('');
    expect(args).toBe('{"day":"monday"}');
    expect(client.of('response.function_call_arguments.done')[0]).toMatchObject({
      response_id: done.response.id,
      item_id: call.id,
      output_index: 1,
      call_id: call.call_id,
      name: 'check_availability',
      arguments: '{"day":"monday"}',
    });
    expect(done.response.output[1]).toMatchObject({
      type: 'function_call',
      status: 'completed',
      call_id: call.call_id,
      arguments: '{"day":"monday"}',
    });
    client.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: 'call_nope', output: '{}' },
    });
    expect((await client.next('error')).error.param).toBe('item.call_id');
    client.send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: call.call_id, output: '{"slots":["10:00"]}' },
    });
    const outAdded = await client.next('conversation.item.added', 3);
    expect(outAdded.item).toMatchObject({
      type: 'function_call_output',
      call_id: call.call_id,
      status: 'completed',
    });
    expect(outAdded.previous_item_id).toBe(call.id);
    client.send({ type: 'response.create' });
    const second = await client.next('response.done', 2);
    expect(second.response.output[0].content[0].transcript).toBe('Monday at ten works.');
    expect(session.toolOutputs).toEqual([
      { atMs: expect.any(Number), callId: call.call_id, output: '{"slots":["10:00"]}' },
    ]);
    expect(session.responses.map((r) => r.trigger)).toEqual(['greeting', 'tool_output']);
    expect(session.scriptMismatches).toEqual([]);
  });
});

describe('benchmark support', () => {
  it('tags every 20 ms delta and records its emit time', async () => {
    const { fake, client } = await bridgeSession({
      pacing: 'burst',
      tagAudio: true,
      script: [{ say: { text: 'Tagged.', durationMs: 200 } }],
    });
    client.send({ type: 'response.create' });
    await client.next('response.done');
    const seqs = client.of('response.output_audio.delta').map((d) => readTag(Buffer.from(d.delta, 'base64')));
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const emitted = fake.tags.get(9);
    expect(emitted?.atMs).toBeLessThanOrEqual(client.of('response.output_audio.delta')[9]?.atMs ?? 0);
  });

  it('runs 200 paced sessions at once in real time', async () => {
    const fake = await startFakeOpenAIRealtime({
      script: [{ say: { text: 'Load.', durationMs: 1000 } }],
      logAudioEvents: false,
      keepInputAudio: false,
    });
    fakes.push(fake);
    const many = await Promise.all(Array.from({ length: 200 }, () => RealtimeTestClient.connect(fake.url)));
    clients.push(...many);
    const t0 = performance.now();
    for (const c of many) c.send({ type: 'response.create' });
    await Promise.all(many.map((c) => c.next('response.done', 1, 5000)));
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    for (const c of many) expect(c.of('response.output_audio.delta')).toHaveLength(50);
    const s0 = fake.session(0);
    expect(s0.serverEvents.some((e) => e.type === 'response.output_audio.delta')).toBe(false);
    expect(s0.serverEvents.some((e) => e.type === 'response.done')).toBe(true);
  });
});
