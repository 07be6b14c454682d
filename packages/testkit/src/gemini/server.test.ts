import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sineSamples } from '../util/g711.ts';
import { Waiters } from '../util/waiters.ts';
import { pcm16Samples } from './audio.ts';
import { type FakeGeminiLive, startFakeGeminiLive } from './server.ts';
import type { FakeGeminiLiveOptions } from './types.ts';

// biome-ignore lint/suspicious/noExplicitAny: assertions probe wire messages field by field
type Msg = Record<string, any>;

/** A raw `ws` Gemini client for the fake's own tests. */
class Client {
  readonly messages: Msg[] = [];
  closeInfo: { code: number; reason: string } | null = null;
  #waiters = new Waiters();
  readonly ws: WebSocket;
  constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      try {
        this.messages.push(JSON.parse(data.toString()));
      } catch {
        this.messages.push({ raw: data.toString() });
      }
      this.#waiters.check();
    });
    ws.on('close', (code, reason) => {
      this.closeInfo = { code, reason: reason.toString() };
      this.#waiters.check();
    });
    ws.on('error', () => {});
  }
  static async open(url: string): Promise<Client> {
    const ws = new WebSocket(url);
    const client = new Client(ws);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return client;
  }
  send(message: object | string): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }
  until(predicate: (c: Client) => boolean, label = 'condition', timeoutMs = 5000): Promise<void> {
    return this.#waiters.wait(() => predicate(this), timeoutMs, label);
  }
  has(key: string, field?: string): Msg[] {
    return this.messages.filter((m) => key in m && (field === undefined || field in (m[key] ?? {})));
  }
  /** Concatenated model audio (PCM16 24 kHz). */
  audio(): Buffer {
    const parts = this.messages.flatMap((m) => m.serverContent?.modelTurn?.parts ?? []);
    return Buffer.concat(
      parts.flatMap((p: Msg) => (p.inlineData ? [Buffer.from(p.inlineData.data, 'base64')] : [])),
    );
  }
  close(): void {
    this.ws.terminate();
  }
}

const fakes: FakeGeminiLive[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const SETUP = {
  setup: {
    model: 'models/gemini-live-2.5-flash-preview',
    generationConfig: { responseModalities: ['AUDIO'] },
    systemInstruction: { role: 'user', parts: [{ text: 'Be brief.' }] },
    realtimeInputConfig: { automaticActivityDetection: { silenceDurationMs: 300, prefixPaddingMs: 20 } },
    inputAudioTranscription: {},
    outputAudioTranscription: {},
    sessionResumption: {},
  },
};

async function connect(opts: FakeGeminiLiveOptions = {}, path?: string) {
  const fake =
    opts === null ? fakes[0]! : await startFakeGeminiLive({ apiKey: 'g-key', pacing: 'burst', ...opts });
  fakes.push(fake);
  const client = await Client.open(path ?? `${fake.wsUrl}?key=g-key`);
  clients.push(client);
  return { fake, client };
}

async function ready(opts: FakeGeminiLiveOptions = {}) {
  const { fake, client } = await connect(opts);
  client.send(SETUP);
  await client.until((c) => c.has('setupComplete').length > 0, 'setupComplete');
  return { fake, client };
}

/** `ms` of PCM16 16 kHz audio: a 1 kHz tone or silence, base64. */
function pcm16k(ms: number, tone: boolean): string {
  const samples = tone ? sineSamples(1000, ms, 16000, 0.5) : new Int16Array((ms * 16000) / 1000);
  return Buffer.from(samples.buffer).toString('base64');
}
const audio = (data: string) => ({ realtimeInput: { audio: { data, mimeType: 'audio/pcm;rate=16000' } } });

describe('connection and setup', () => {
  it('accepts the SDK `//ws/…` path and a single slash; refuses other paths and bad keys', async () => {
    const fake = await startFakeGeminiLive({ apiKey: 'g-key' });
    fakes.push(fake);
    const port = new URL(fake.url).port;
    const method = 'ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent';
    const sdk = await Client.open(`ws://127.0.0.1:${port}//${method}?key=g-key`);
    clients.push(sdk);
    sdk.send(SETUP);
    await sdk.until((c) => c.has('setupComplete').length > 0);
    expect(fake.session(0).setup.model).toBe('models/gemini-live-2.5-flash-preview');
    await expect(Client.open(`ws://127.0.0.1:${port}/v1/realtime?key=g-key`)).rejects.toThrow(/404/);
    const wrong = await Client.open(`${fake.wsUrl}?key=nope`);
    clients.push(wrong);
    await wrong.until((c) => c.closeInfo !== null);
    expect(wrong.closeInfo).toEqual({
      code: 1007,
      reason: 'API key not valid. Please pass a valid API key.',
    });
  });

  it('answers setup with setupComplete and a first resumption handle', async () => {
    const { fake, client } = await ready();
    expect(client.messages[0]).toEqual({ setupComplete: {} });
    expect(client.messages[1]).toEqual({
      sessionResumptionUpdate: { newHandle: expect.stringMatching(/^resume-/), resumable: true },
    });
    expect(fake.session().setup).toMatchObject({ inputTranscription: true, resumption: { handle: null } });
  });

  it('closes with 1007 on an invalid setup, a missing setup or a message with two kinds', async () => {
    const bad = await connect();
    bad.client.send({
      setup: {
        ...SETUP.setup,
        tools: [{ functionDeclarations: [{ name: 'x', parameters: { type: 'object' } }] }],
      },
    });
    await bad.client.until((c) => c.closeInfo !== null);
    expect(bad.client.closeInfo).toEqual({ code: 1007, reason: 'Request contains an invalid argument.' });
    expect(bad.fake.session().setupFailure?.detail).toBe('x.parameters.type "object"');
    const early = await Client.open(`${bad.fake.wsUrl}?key=g-key`);
    clients.push(early);
    early.send(audio(pcm16k(20, false)));
    await early.until((c) => c.closeInfo !== null);
    expect(early.closeInfo?.code).toBe(1007);
    const two = await Client.open(`${bad.fake.wsUrl}?key=g-key`);
    clients.push(two);
    two.send({ ...SETUP, clientContent: { turnComplete: true } });
    await two.until((c) => c.closeInfo !== null);
    expect(two.closeInfo?.code).toBe(1007);
  });
});

describe('turns', () => {
  it('detects caller speech on 16 kHz PCM and answers with 24 kHz audio, transcripts and usage', async () => {
    const { fake, client } = await ready({
      script: [{ say: { text: 'Hello there.', durationMs: 400 }, userTranscript: 'hi' }],
    });
    client.send(audio(pcm16k(300, true)));
    client.send(audio(pcm16k(500, false)));
    await client.until((c) => c.messages.some((m) => m.serverContent?.turnComplete), 'turnComplete');
    expect(client.has('serverContent', 'inputTranscription')[0]?.serverContent.inputTranscription).toEqual({
      text: 'hi',
      finished: true,
    });
    const heard = pcm16Samples(client.audio());
    expect(heard.length).toBe(400 * 24);
    const text = client
      .has('serverContent', 'outputTranscription')
      .map((m) => m.serverContent.outputTranscription.text);
    expect(text.join('')).toBe('Hello there.');
    const done = client.messages.find((m) => m.serverContent?.turnComplete);
    expect(done?.usageMetadata).toMatchObject({ responseTokenCount: 10 });
    const s = fake.session();
    expect(s.inputMs).toBe(800);
    expect(s.userTurns).toEqual([{ audioStartMs: 0, audioEndMs: 300, transcript: 'hi' }]);
    expect(s.turns[0]).toMatchObject({ trigger: 'user_turn', status: 'completed', audioMs: 400 });
  });

  it('answers a clientContent turn as a greeting', async () => {
    const { fake, client } = await ready({ script: [{ on: 'greeting', say: { text: 'Welcome!' } }] });
    client.send({
      clientContent: { turns: [{ role: 'user', parts: [{ text: 'Say welcome' }] }], turnComplete: true },
    });
    await client.until((c) => c.messages.some((m) => m.serverContent?.turnComplete));
    expect(fake.session().turns[0]).toMatchObject({
      trigger: 'greeting',
      text: 'Say welcome',
      status: 'completed',
    });
    expect(fake.session().scriptMismatches).toEqual([]);
  });

  it('interrupts a streaming turn on caller speech: interrupted, stale audio, turnComplete', async () => {
    const { fake, client } = await ready({
      pacing: 'paced',
      staleAudioAfterInterruptMs: 40,
      script: [{ on: 'greeting', say: { text: 'A long greeting', durationMs: 5000 } }],
    });
    client.send({ clientContent: { turnComplete: true } });
    await client.until((c) => c.audio().length > 0, 'first audio');
    client.send(audio(pcm16k(200, true)));
    await client.until((c) => c.has('serverContent', 'interrupted').length > 0, 'interrupted');
    const i = client.messages.findIndex((m) => m.serverContent?.interrupted);
    await client.until((c) => c.messages.slice(i).some((m) => m.serverContent?.turnComplete));
    const after = client.messages.slice(i + 1);
    expect(after.filter((m) => m.serverContent?.modelTurn).length).toBe(2);
    expect(fake.session().turns[0]?.status).toBe('interrupted');
    expect(fake.session().interruptions).toHaveLength(1);
  });
});

describe('tools', () => {
  it('issues a toolCall with an id, waits for the toolResponse and replies on its own', async () => {
    const { fake, client } = await ready({
      script: [
        { on: 'greeting', toolCall: { name: 'lookup', arguments: { q: 'x' }, callId: 'function-call-1' } },
        { on: 'tool_output', say: { text: 'Found it.' } },
      ],
    });
    client.send({ clientContent: { turnComplete: true } });
    await client.until((c) => c.has('toolCall').length > 0);
    expect(client.has('toolCall')[0]).toEqual({
      toolCall: { functionCalls: [{ id: 'function-call-1', name: 'lookup', args: { q: 'x' } }] },
    });
    expect(client.messages.some((m) => m.serverContent?.turnComplete)).toBe(false);
    client.send({
      toolResponse: {
        functionResponses: [{ id: 'function-call-1', name: 'lookup', response: { output: 1 } }],
      },
    });
    await client.until((c) => c.messages.some((m) => m.serverContent?.turnComplete));
    expect(fake.session().turns.map((t) => t.trigger)).toEqual(['greeting', 'tool_output']);
    expect(fake.session().toolCalls[0]?.state).toBe('answered');
  });

  it('cancels pending tool calls when the caller speaks, and marks late responses', async () => {
    const { fake, client } = await ready({
      script: [{ on: 'greeting', toolCall: { name: 'slow', arguments: {}, callId: 'c1' } }],
    });
    client.send({ clientContent: { turnComplete: true } });
    await client.until((c) => c.has('toolCall').length > 0);
    client.send(audio(pcm16k(200, true)));
    await client.until((c) => c.has('toolCallCancellation').length > 0);
    expect(client.has('toolCallCancellation')[0]).toEqual({ toolCallCancellation: { ids: ['c1'] } });
    client.send({
      toolResponse: { functionResponses: [{ id: 'c1', name: 'slow', response: { output: {} } }] },
    });
    await fake.waitFor((f) => f.session().toolResponses.length === 1);
    expect(fake.session().toolResponses[0]?.late).toBe(true);
  });
});

describe('lifecycle', () => {
  it('sends goAway, closes when the time is up, and resumes the conversation with a handle', async () => {
    const { fake, client } = await ready({
      script: [
        { on: 'greeting', say: { text: 'First.' } },
        { on: 'greeting', say: { text: 'Second.' } },
      ],
    });
    client.send({ clientContent: { turnComplete: true } });
    await client.until((c) => c.messages.some((m) => m.serverContent?.turnComplete));
    await client.until((c) => c.has('sessionResumptionUpdate').length >= 3);
    const handle = fake.session(0).handlesSent.at(-1);
    fake.goAway(0, 100);
    await client.until((c) => c.closeInfo !== null);
    expect(client.has('goAway')[0]).toEqual({ goAway: { timeLeft: '0.1s' } });
    expect(client.closeInfo?.code).toBe(1011);
    const resumed = await Client.open(`${fake.wsUrl}?key=g-key`);
    clients.push(resumed);
    resumed.send({ setup: { ...SETUP.setup, sessionResumption: { handle } } });
    await resumed.until((c) => c.has('setupComplete').length > 0);
    resumed.send({ clientContent: { turnComplete: true } });
    await fake.waitFor((f) => f.session(1).turns.length === 1);
    expect(fake.session(1).resumedFrom).toBe(handle);
    expect(fake.session(1).turns[0]?.turnIndex).toBe(1);
    expect(fake.session(1).conversation?.history.map((h) => h.text)).toEqual(['First.', 'Second.']);
    const unknown = await Client.open(`${fake.wsUrl}?key=g-key`);
    clients.push(unknown);
    unknown.send({ setup: { ...SETUP.setup, sessionResumption: { handle: 'nope' } } });
    await unknown.until((c) => c.closeInfo !== null);
    expect(unknown.closeInfo).toEqual({ code: 1008, reason: 'Requested entity was not found.' });
  });

  it('reports errors as close codes and sends raw frames', async () => {
    const { fake, client } = await ready();
    fake.sendRaw(0, 'not json');
    fake.disconnect(0, 1011, 'Internal error occurred.');
    await client.until((c) => c.closeInfo !== null);
    expect(client.closeInfo).toEqual({ code: 1011, reason: 'Internal error occurred.' });
  });
});
