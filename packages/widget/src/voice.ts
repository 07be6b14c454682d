/**
 * The widget's voice channel: microphone → PCM16 24 kHz → the voice socket (the same protocol
 * as the dashboard's test call: `audio`, `stop` up; `ready`, `audio`, `clear`, `transcript`,
 * `ended`, `error` down), and the agent's audio → a playback queue that `clear` empties at once
 * (barge-in). A refused microphone is reported so the panel falls back to chat.
 */
import { base64ToBytes, bytesToBase64, Chunker, floatToPcm16, pcm16ToFloat, RATE, Resampler } from './pcm.ts';

export interface VoiceEvents {
  ready(): void;
  caption(role: 'user' | 'assistant', text: string, final: boolean): void;
  ended(reason: string): void;
  failed(code: string, message: string): void;
}

const FRAME = (RATE / 1000) * 40;

const WORKLET = `registerProcessor('sbw-capture', class extends AudioWorkletProcessor {
  process(inputs) { const c = inputs[0] && inputs[0][0]; if (c) this.port.postMessage(c.slice(0)); return true; }
});`;

export class VoiceSession {
  #ws: WebSocket | null = null;
  #ctx: AudioContext | null = null;
  #stream: MediaStream | null = null;
  #nodes: AudioNode[] = [];
  #playing = new Set<AudioBufferSourceNode>();
  #next = 0;
  #ready = false;
  #done = false;
  readonly #on: VoiceEvents;

  constructor(events: VoiceEvents) {
    this.#on = events;
  }

  /** Asks for the microphone first: a refusal never opens a session. */
  async start(connect: () => Promise<WebSocket>): Promise<void> {
    try {
      this.#stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch {
      this.#fail('microphone_denied', 'The microphone is not available. You can keep typing instead.');
      return;
    }
    try {
      await this.#startAudio();
      const ws = await connect();
      this.#ws = ws;
      ws.onmessage = (e) => this.#handle(String(e.data));
      ws.onclose = (e) => {
        if (!this.#done) this.#finish(e.code === 1000 ? 'ended' : e.reason || 'connection_closed');
      };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      this.#fail(e.code ?? 'voice_failed', e.message ?? 'The call could not be started.');
    }
  }

  async #startAudio(): Promise<void> {
    let ctx = new AudioContext({ sampleRate: RATE, latencyHint: 'interactive' });
    let source: MediaStreamAudioSourceNode;
    try {
      source = ctx.createMediaStreamSource(this.#stream!);
    } catch {
      void ctx.close();
      ctx = new AudioContext({ latencyHint: 'interactive' });
      source = ctx.createMediaStreamSource(this.#stream!);
    }
    this.#ctx = ctx;
    await ctx.resume();
    const resampler = new Resampler(ctx.sampleRate, RATE);
    const chunker = new Chunker(FRAME);
    const onSamples = (samples: Float32Array) => {
      for (const frame of chunker.push(resampler.process(samples))) this.#send(frame);
    };
    try {
      const url = URL.createObjectURL(new Blob([WORKLET], { type: 'text/javascript' }));
      await ctx.audioWorklet.addModule(url);
      URL.revokeObjectURL(url);
      const node = new AudioWorkletNode(ctx, 'sbw-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
      node.port.onmessage = (e: MessageEvent<Float32Array>) => onSamples(e.data);
      source.connect(node);
      this.#nodes = [source, node];
    } catch {
      // A page whose CSP forbids blob: workers: the older ScriptProcessor still works everywhere.
      const node = ctx.createScriptProcessor(2048, 1, 1);
      node.onaudioprocess = (e) => onSamples(new Float32Array(e.inputBuffer.getChannelData(0)));
      source.connect(node);
      node.connect(ctx.destination);
      this.#nodes = [source, node];
    }
  }

  #handle(data: string): void {
    let msg: { type: string; [key: string]: unknown };
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (msg.type === 'ready') {
      this.#ready = true;
      this.#on.ready();
    } else if (msg.type === 'audio') this.#play(pcm16ToFloat(base64ToBytes(String(msg.audio))));
    else if (msg.type === 'clear') this.#clear();
    else if (msg.type === 'transcript') {
      this.#on.caption(msg.role === 'user' ? 'user' : 'assistant', String(msg.text), msg.final === true);
    } else if (msg.type === 'ended') this.#finish(String(msg.reason));
    else if (msg.type === 'error') this.#fail('voice_error', String(msg.message));
  }

  #send(frame: Float32Array): void {
    if (this.#ready && this.#ws?.readyState === WebSocket.OPEN) {
      this.#ws.send(JSON.stringify({ type: 'audio', audio: bytesToBase64(floatToPcm16(frame)) }));
    }
  }

  #play(samples: Float32Array): void {
    const ctx = this.#ctx;
    if (!ctx || samples.length === 0) return;
    const buffer = ctx.createBuffer(1, samples.length, RATE);
    buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
    const src = ctx.createBufferSource();
    src.buffer = buffer;
    src.connect(ctx.destination);
    const at = Math.max(this.#next, ctx.currentTime + 0.06);
    src.start(at);
    this.#next = at + buffer.duration;
    this.#playing.add(src);
    src.onended = () => this.#playing.delete(src);
  }

  #clear(): void {
    for (const src of this.#playing) {
      try {
        src.stop();
      } catch {
        // already stopped
      }
    }
    this.#playing.clear();
    this.#next = 0;
  }

  /** Hangs up. */
  stop(): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify({ type: 'stop' }));
    this.#finish('caller_hangup');
  }

  #fail(code: string, message: string): void {
    if (this.#done) return;
    this.#teardown();
    this.#on.failed(code, message);
  }

  #finish(reason: string): void {
    if (this.#done) return;
    this.#teardown();
    this.#on.ended(reason);
  }

  #teardown(): void {
    this.#done = true;
    this.#ready = false;
    this.#clear();
    for (const node of this.#nodes) node.disconnect();
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    void this.#ctx?.close().catch(() => {});
    const ws = this.#ws;
    if (ws && ws.readyState <= WebSocket.OPEN) setTimeout(() => ws.close(1000), 1000);
  }
}
