/**
 * One conformance suite for every model adapter (style.md: "one suite, every adapter"). Each
 * scenario runs a real `CallSession` between the test kit's Twilio simulator and the adapter
 * under test, pointed at its test-kit fake, and asserts only provider-neutral behaviour;
 * differences are expressed through `capabilities`, never the provider name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ResilienceEvents, ResilientModel } from '../realtime/resilient.ts';
import { ToolRegistry } from '../tools/registry.ts';
import { CALLER_HZ, type CallOptions, type ConformanceCall, levelDb, MODEL_HZ, startCall } from './call.ts';
import type { TransportKind } from './phone.ts';
import type { ConformanceTarget, MakeTarget, TargetOptions } from './types.ts';

export type { ConformanceTarget, MakeTarget, TargetOptions, TargetTurn } from './types.ts';

/** The caller's tone as the model received it: 50–350 ms into connection `i`'s input. */
function callerToneDb(target: ConformanceTarget, i: number): number {
  const { samples, sampleRate } = target.heardByModel(i);
  return levelDb(samples.subarray(sampleRate * 0.05, sampleRate * 0.35), sampleRate, CALLER_HZ);
}

function mediaBytes(c: ConformanceCall): number {
  return c.phone.agentAudioBytes();
}

/** Runs every scenario with the adapter `name` over each transport (Twilio Media Streams and SIP). */
export function runConformanceSuite(name: string, makeTarget: MakeTarget): void {
  for (const transport of ['twilio', 'sip'] as const) runOver(name, makeTarget, transport);
}

function runOver(name: string, makeTarget: MakeTarget, transport: TransportKind): void {
  describe(`model adapter conformance: ${name} over ${transport}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
    });

    async function call(
      options: TargetOptions & Pick<CallOptions, 'tools' | 'setup'> & { resilient?: boolean } = {
        segments: [],
      },
    ) {
      const target = await makeTarget(options);
      cleanups.push(() => target.close());
      const reconnects: Array<ResilienceEvents['reconnected']> = [];
      const model = options.resilient
        ? new ResilientModel(target.model, {
            onEvent: (event, payload) => {
              if (event === 'reconnected') reconnects.push(payload as ResilienceEvents['reconnected']);
            },
          })
        : target.model;
      const c = await startCall({
        transport,
        model,
        session: target.session,
        ...(options.tools ? { tools: options.tools } : {}),
        ...(options.setup ? { setup: options.setup } : {}),
      });
      cleanups.push(() => c.close());
      await c.until(() => c.session.phase === 'live', 'the call to go live');
      return { target, c, reconnects };
    }

    it('plain talk: the caller hears the model and the model hears the caller', async () => {
      const { target, c } = await call({
        segments: [
          [
            {
              on: 'user_turn',
              userTranscript: 'I would like a table for two',
              say: { text: 'Sure, for what time?', durationMs: 600 },
            },
          ],
        ],
      });
      expect(c.of('ready')[0]?.provider).toBe(target.provider);
      await c.say(400);
      await c.until(() => c.of('playback').length === 1, 'the reply to play');
      const heard = c.heard();
      expect(heard.length).toBeGreaterThanOrEqual(550 * 8);
      expect(levelDb(heard, 8000, MODEL_HZ)).toBeGreaterThan(-20);
      expect(levelDb(heard, 8000, CALLER_HZ)).toBeLessThan(-50);
      expect(callerToneDb(target, 0)).toBeGreaterThan(-12);
      expect(c.finals()).toEqual(['user: I would like a table for two', 'assistant: Sure, for what time?']);
      expect(c.of('playback')[0]).toMatchObject({ interrupted: false });
      expect(c.of('metrics')).toHaveLength(1);
      expect(target.turns(0)).toMatchObject([{ trigger: 'user_turn', status: 'completed' }]);
      await c.phone.hangUp();
      const ended = await c.session.finished;
      expect(ended.reason).toBe('caller_hangup');
      expect(ended.usage.totalTokens).toBeGreaterThan(0);
      expect(c.of('error')).toEqual([]);
      expect(target.scriptMismatches()).toEqual([]);
    });

    it('greeting: the model speaks first', async () => {
      const greeting = 'Thanks for calling Acme, how can I help?';
      const { target, c } = await call({
        segments: [[{ on: 'greeting', say: { text: greeting, durationMs: 500 } }]],
        setup: { greeting },
      });
      await c.until(() => c.of('playback').length === 1, 'the greeting to play');
      expect(target.turns(0)).toMatchObject([{ trigger: 'greeting', status: 'completed' }]);
      expect(target.turns(0)[0]?.text).toContain(greeting);
      expect(levelDb(c.heard(), 8000, MODEL_HZ)).toBeGreaterThan(-20);
      expect(c.finals()).toEqual([`assistant: ${greeting}`]);
      expect(target.scriptMismatches()).toEqual([]);
    });

    it('tool call: runs through the registry and the model answers with the result', async () => {
      const tools = new ToolRegistry<Record<string, unknown>>().register({
        name: 'lookup_order',
        description: 'Look up an order.',
        parameters: z.object({ order_id: z.string() }),
        handler: (args) => ({ status: 'shipped', order_id: args.order_id }),
      });
      const { target, c } = await call({
        segments: [
          [
            {
              on: 'user_turn',
              userTranscript: 'Where is order A42?',
              toolCall: { name: 'lookup_order', arguments: { order_id: 'A42' } },
            },
            { on: 'tool_output', say: { text: 'Order A42 has shipped.', durationMs: 500 } },
          ],
        ],
        tools,
        setup: { enabledTools: ['lookup_order'] },
      });
      await c.say(400);
      await c.until(() => c.of('playback').length === 1, 'the answer to play');
      const [run] = c.of('tool_call');
      expect(run).toMatchObject({
        name: 'lookup_order',
        arguments: { order_id: 'A42' },
        ok: true,
        result: { status: 'shipped', order_id: 'A42' },
      });
      expect(target.toolOutputs(0)).toEqual([
        { callId: run?.callId, output: { status: 'shipped', order_id: 'A42' } },
      ]);
      expect(target.turns(0).map((t) => t.trigger)).toEqual(['user_turn', 'tool_output']);
      expect(c.finals()).toEqual(['user: Where is order A42?', 'assistant: Order A42 has shipped.']);
      expect(levelDb(c.heard(), 8000, MODEL_HZ)).toBeGreaterThan(-20);
      expect(target.scriptMismatches()).toEqual([]);
    });

    it('slow tool: the call waits for the result without answering early', async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started = false;
      const tools = new ToolRegistry<Record<string, unknown>>().register({
        name: 'check_calendar',
        description: 'Slow lookup.',
        parameters: z.object({}),
        timeoutMs: 60_000,
        handler: async () => {
          started = true;
          await gate;
          return { free: ['10:00'] };
        },
      });
      const { target, c } = await call({
        segments: [
          [
            { on: 'user_turn', toolCall: { name: 'check_calendar', arguments: {} } },
            { on: 'tool_output', say: { text: 'Ten is free.', durationMs: 400 } },
          ],
        ],
        tools,
        setup: { enabledTools: ['check_calendar'] },
      });
      await c.say(400);
      await c.until(() => started, 'the tool to start');
      await c.phone.sendAudio(Buffer.alloc(400 * 8, 0xff)); // the caller waits quietly
      await new Promise((r) => setTimeout(r, 300));
      expect(target.toolOutputs(0)).toEqual([]);
      expect(target.turns(0)).toHaveLength(1);
      expect(c.session.phase).toBe('live');
      release();
      await c.until(() => c.of('playback').length === 1, 'the answer to play');
      expect(c.of('tool_call')[0]).toMatchObject({
        name: 'check_calendar',
        ok: true,
        result: { free: ['10:00'] },
      });
      expect(target.toolOutputs(0)).toHaveLength(1);
      expect(target.turns(0).map((t) => t.trigger)).toEqual(['user_turn', 'tool_output']);
    });

    it('barge-in: the phone is cleared at once and the rest of the cut turn is dropped', async () => {
      const { target, c } = await call({
        segments: [
          [
            {
              on: 'greeting',
              say: { text: 'Welcome to Acme. Let me tell you about all our offers.', durationMs: 6000 },
            },
            { on: 'user_turn', userTranscript: 'Stop', say: { text: 'Yes?', durationMs: 400 } },
          ],
        ],
        staleAudioAfterInterruptMs: 100,
        // Twice real time, so audio is queued at the phone when the caller cuts in (what `clear` drops).
        speed: 2,
        setup: { greeting: 'Welcome to Acme.' },
      });
      await c.until(() => c.phone.playedMs() > 300, 'the greeting to be heard');
      await c.say(300);
      await c.until(() => c.of('playback').length === 2, 'the reply to play');
      const [barge] = c.of('barge_in');
      expect(barge).toBeDefined();
      expect(barge?.heardMs).toBeLessThan(6000);
      expect(barge?.forwardedMs).toBeGreaterThanOrEqual(barge?.heardMs ?? 0);
      expect(c.phone.clears()).toBe(1);
      expect(c.of('playback').map((p) => p.interrupted)).toEqual([true, false]);
      // The phone got the greeting up to the barge-in, then only the reply (≈ 400 ms = 3200 bytes):
      // nothing of the cut greeting after it, not even audio the provider still had in flight.
      const deliveredMs = c.phone.receivesClearedAudio ? barge?.forwardedMs : barge?.heardMs;
      const greetingBytes = (deliveredMs ?? 0) * 8;
      expect(mediaBytes(c)).toBeGreaterThan(greetingBytes + 300 * 8);
      expect(mediaBytes(c)).toBeLessThanOrEqual(greetingBytes + 400 * 8 + 160);
      expect(target.interruptions(0)).toBeGreaterThanOrEqual(1);
      const turns = target.turns(0);
      expect(turns[0]?.status).not.toBe('completed');
      expect(turns[1]).toMatchObject({ trigger: 'user_turn', status: 'completed' });
      if (target.model.capabilities.truncation) {
        expect(barge?.truncatedAtMs).toBeDefined();
        expect(target.truncations(0).some((t) => t.ok)).toBe(true);
      } else {
        expect(barge?.truncatedAtMs).toBeUndefined();
        expect(target.truncations(0)).toEqual([]);
      }
    });

    it('model disconnect: the call ends cleanly with model_disconnected', async () => {
      const { target, c } = await call({
        segments: [[{ on: 'user_turn', say: { text: 'Hello.', durationMs: 300 } }]],
      });
      await c.say(300);
      await c.until(() => c.of('playback').length === 1, 'the reply to play');
      target.disconnect(1011, 'Internal error occurred.');
      const ended = await c.session.finished;
      expect(ended.reason).toBe('model_disconnected');
      expect(c.fatal).toEqual([{ reason: 'model_disconnected' }]);
      expect(c.of('error').at(-1)).toMatchObject({
        recoverable: false,
        error: { code: 'model_disconnected' },
      });
      await c.phone.closed;
    });

    it('model disconnect without a close frame (network failure) ends the call too', async () => {
      const { target, c } = await call({ segments: [[]] });
      target.disconnect();
      const ended = await c.session.finished;
      expect(ended.reason).toBe('model_disconnected');
      expect(c.fatal).toEqual([{ reason: 'model_disconnected' }]);
    });

    it('malformed model message: reported as recoverable, the call goes on', async () => {
      const { target, c } = await call({
        segments: [[{ on: 'user_turn', say: { text: 'Still here.', durationMs: 300 } }]],
      });
      target.sendRaw('{"this is": not json');
      target.sendRaw('{"unexpected":{"shape":true}}');
      await c.until(() => c.of('error').length >= 1, 'an error event');
      await c.say(300);
      await c.until(() => c.of('playback').length === 1, 'the reply to play');
      expect(c.of('error').map((e) => [e.error.code, e.recoverable])).toEqual([['model_protocol', true]]);
      expect(levelDb(c.heard(), 8000, MODEL_HZ)).toBeGreaterThan(-20);
      expect(c.session.phase).toBe('live');
    });

    it('long call: survives a forced provider reconnect with its transcript intact', async () => {
      const { target, c, reconnects } = await call({
        resilient: true,
        segments: [
          [
            {
              on: 'user_turn',
              userTranscript: 'Book a table',
              say: { text: 'For how many people?', durationMs: 400 },
            },
          ],
          [
            {
              on: 'user_turn',
              userTranscript: 'Four people',
              say: { text: 'Booked for four.', durationMs: 400 },
            },
          ],
        ],
      });
      await c.say(400);
      await c.until(() => c.of('playback').length === 1, 'the first reply to play');
      target.forceReconnect();
      await c.until(() => reconnects.length === 1, 'the reconnect');
      await c.say(400);
      await c.until(() => c.of('playback').length === 2, 'the second reply to play');
      expect(c.finals()).toEqual([
        'user: Book a table',
        'assistant: For how many people?',
        'user: Four people',
        'assistant: Booked for four.',
      ]);
      const itemIds = c
        .of('transcript')
        .filter((t) => t.final)
        .map((t) => t.itemId);
      expect(new Set(itemIds).size).toBe(4);
      expect(c.of('playback').map((p) => p.interrupted)).toEqual([false, false]);
      expect(c.fatal).toEqual([]);
      expect(c.of('error').filter((e) => !e.recoverable)).toEqual([]);
      expect(target.sessionCount()).toBe(2);
      expect(callerToneDb(target, 0)).toBeGreaterThan(-12);
      expect(callerToneDb(target, 1)).toBeGreaterThan(-12);
      const second = target.startedWith(1);
      if (target.model.capabilities.sessionResumption) {
        expect(reconnects[0]).toMatchObject({ resumed: true });
        expect(second.resumed).toBe(true);
      } else {
        expect(reconnects[0]).toMatchObject({ resumed: false });
        expect(second.instructions).toContain('Caller: Book a table\nYou: For how many people?');
      }
      await c.phone.hangUp();
      expect((await c.session.finished).reason).toBe('caller_hangup');
    });
  });
}
