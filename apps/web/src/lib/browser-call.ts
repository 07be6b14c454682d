/**
 * "Test in browser": microphone → PCM16 24 kHz → WebSocket `/api/browser-call`, and the
 * agent's PCM16 24 kHz audio → an AudioContext playback queue that `clear` empties at once
 * (barge-in). Browser-only; the pure parts live in pcm.ts.
 */
import { BROWSER_CALL_SAMPLE_RATE, type BrowserCallServerMessage } from '@switchboard/shared';
import { errorMessage, ticketUrl } from '../api.ts';
import {
  base64ToBytes,
  bytesToBase64,
  Chunker,
  floatToPcm16,
  pcm16ToFloat,
  rms,
  SincResampler,
} from './pcm.ts';

const RATE = BROWSER_CALL_SAMPLE_RATE;
/** 40 ms frames (within the 20–100 ms the server accepts). */
const FRAME = (RATE / 1000) * 40;

export type CallPhase = 'idle' | 'starting' | 'connected' | 'ended' | 'error';

export interface BrowserCallEvents {
  phase: (phase: CallPhase, detail?: string) => void;
  message: (msg: BrowserCallServerMessage) => void;
  level: (level: number) => void;
}

/** Schedules agent audio back to back; `clear()` silences everything already queued. */
class PcmPlayer {
  readonly #ctx: AudioContext;
  readonly #out: GainNode;
  #next = 0;
  readonly #playing = new Set<AudioBufferSourceNode>();

  constructor(ctx: AudioContext) {
    this.#ctx = ctx;
    this.#out = ctx.createGain();
    this.#out.connect(ctx.destination);
  }

  play(samples: Float32Array): void {
    if (samples.length === 0) return;
    const buffer = this.#ctx.createBuffer(1, samples.length, RATE);
    buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
    const src = this.#ctx.createBufferSource();
    src.buffer = buffer;
    src.connect(this.#out);
    // A little slack on the first chunk absorbs network jitter without audible delay.
    const startAt = Math.max(this.#next, this.#ctx.currentTime + 0.06);
    src.start(startAt);
    this.#next = startAt + buffer.duration;
    this.#playing.add(src);
    src.onended = () => this.#playing.delete(src);
  }

  clear(): void {
    for (const src of this.#playing) {
      try {
        src.stop();
      } catch {
        // Already stopped.
      }
    }
    this.#playing.clear();
    this.#next = 0;
  }
}

/** The server's end reason (CallSession `EndReason`) in words. */
const ENDED_TEXT: Record<string, string> = {
  caller_hangup: 'You hung up',
  agent_hangup: 'The agent ended the call',
  max_duration: 'The call reached its time limit',
  silence_timeout: 'Ended after a long silence',
  model_unavailable: 'The voice model could not be reached',
  model_disconnected: 'The connection to the voice model was lost',
  socket_closed: 'Connection closed',
};

function endedText(reason: string): string {
  return ENDED_TEXT[reason] ?? reason;
}

function micErrorMessage(err: unknown): string {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'Microphone access was blocked. Allow the microphone for this site (the icon in the address bar) and try again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return 'No microphone was found. Connect one and try again.';
  if (name === 'NotReadableError') return 'The microphone is in use by another application.';
  return `Could not start the microphone: ${err instanceof Error ? err.message : String(err)}`;
}

export class BrowserCall {
  readonly #on: BrowserCallEvents;
  #ws: WebSocket | null = null;
  #ctx: AudioContext | null = null;
  #stream: MediaStream | null = null;
  #capture: AudioNode | null = null;
  #player: PcmPlayer | null = null;
  #ready = false;
  #phase: CallPhase = 'idle';

  constructor(events: BrowserCallEvents) {
    this.#on = events;
  }

  get phase(): CallPhase {
    return this.#phase;
  }

  #setPhase(phase: CallPhase, detail?: string): void {
    this.#phase = phase;
    this.#on.phase(phase, detail);
  }

  async start(agentId: string): Promise<void> {
    if (this.#phase === 'starting' || this.#phase === 'connected') return;
    this.#setPhase('starting');
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      this.#fail('The microphone needs a secure page: open the dashboard over HTTPS or on localhost.');
      return;
    }
    try {
      this.#stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch (err) {
      this.#fail(micErrorMessage(err));
      return;
    }
    try {
      await this.#startAudio();
    } catch (err) {
      this.#fail(`Could not start audio: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    let url: string;
    try {
      url = await ticketUrl('/api/browser-call', { agentId });
    } catch (err) {
      this.#fail(`Could not open the test call: ${errorMessage(err)}`);
      return;
    }
    if ((this.#phase as CallPhase) !== 'starting') return; // stopped while asking for the ticket
    this.#connect(url);
  }

  async #startAudio(): Promise<void> {
    const stream = this.#stream;
    if (!stream) throw new Error('no microphone stream');
    // Ask for 24 kHz so no resampling is needed. Some browsers (Firefox) refuse to connect a
    // microphone to a context at another rate; then use the device rate and resample.
    let ctx = new AudioContext({ sampleRate: RATE, latencyHint: 'interactive' });
    let source: MediaStreamAudioSourceNode;
    try {
      source = ctx.createMediaStreamSource(stream);
    } catch {
      void ctx.close();
      ctx = new AudioContext({ latencyHint: 'interactive' });
      source = ctx.createMediaStreamSource(stream);
    }
    this.#ctx = ctx;
    await ctx.resume();
    this.#player = new PcmPlayer(ctx);
    const resampler = new SincResampler(ctx.sampleRate, RATE);
    const chunker = new Chunker(FRAME);
    const onSamples = (samples: Float32Array) => {
      this.#on.level(rms(samples));
      for (const frame of chunker.push(resampler.process(samples))) this.#send(frame);
    };
    if (ctx.audioWorklet) {
      await ctx.audioWorklet.addModule(`${import.meta.env.BASE_URL}capture-worklet.js`);
      const node = new AudioWorkletNode(ctx, 'switchboard-capture', {
        numberOfInputs: 1,
        numberOfOutputs: 0,
      });
      node.port.onmessage = (e: MessageEvent<Float32Array>) => onSamples(e.data);
      source.connect(node);
      this.#capture = node;
    } else {
      // Older browsers: ScriptProcessor is deprecated but still works everywhere.
      const node = ctx.createScriptProcessor(2048, 1, 1);
      node.onaudioprocess = (e) => onSamples(new Float32Array(e.inputBuffer.getChannelData(0)));
      source.connect(node);
      node.connect(ctx.destination);
      this.#capture = node;
    }
  }

  #connect(url: string): void {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}${url}`);
    this.#ws = ws;
    ws.onmessage = (e) => {
      let msg: BrowserCallServerMessage;
      try {
        msg = JSON.parse(String(e.data)) as BrowserCallServerMessage;
      } catch {
        return;
      }
      this.#handle(msg);
    };
    ws.onclose = (e) => {
      if (this.#phase === 'starting') {
        this.#fail(
          e.code === 1006
            ? 'Could not open the test call. The server may not support browser calls yet, or refused the connection.'
            : `The server closed the test call${e.reason ? `: ${e.reason}` : ''}.`,
        );
      } else if (this.#phase === 'connected') {
        this.#teardown();
        this.#setPhase('ended', e.reason || 'Connection closed');
      }
    };
  }

  #handle(msg: BrowserCallServerMessage): void {
    switch (msg.type) {
      case 'ready':
        this.#ready = true;
        this.#setPhase('connected');
        break;
      case 'audio':
        this.#player?.play(pcm16ToFloat(base64ToBytes(msg.audio)));
        break;
      case 'clear':
        this.#player?.clear();
        break;
      case 'ended':
        // After "End test call" the phase is already `ended` ("You hung up"): keep that.
        if (this.#phase !== 'connected' && this.#phase !== 'starting') break;
        this.#teardown();
        this.#setPhase('ended', endedText(msg.reason));
        break;
      case 'error':
        this.#on.message(msg);
        if (!this.#ready) this.#fail(msg.message);
        return;
      default:
        break;
    }
    this.#on.message(msg);
  }

  #send(frame: Float32Array): void {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || !this.#ready) return;
    ws.send(JSON.stringify({ type: 'audio', audio: bytesToBase64(floatToPcm16(frame)) }));
  }

  /** Hangs up: tells the server, then releases the microphone and audio. */
  stop(): void {
    const ws = this.#ws;
    if (ws?.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ type: 'stop' }));
      // Give the server a moment to answer `ended` before closing from our side.
      setTimeout(() => ws.close(1000, 'stopped'), 1500);
    }
    this.#teardown();
    if (this.#phase !== 'error') this.#setPhase('ended', 'You hung up');
  }

  #fail(message: string): void {
    this.#teardown();
    this.#ws?.close();
    this.#setPhase('error', message);
  }

  #teardown(): void {
    this.#ready = false;
    this.#player?.clear();
    this.#capture?.disconnect();
    this.#capture = null;
    for (const t of this.#stream?.getTracks() ?? []) t.stop();
    this.#stream = null;
    void this.#ctx?.close().catch(() => {});
    this.#ctx = null;
    this.#player = null;
    this.#on.level(0);
  }
}
