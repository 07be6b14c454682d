/**
 * One Gemini Live connection (protocols.md §4), after `setupComplete`. Converts audio at its
 * edge, names turns (Gemini has no ids), maps `interrupted` to `speech_started`, batches tool
 * results into `toolResponse`s and reports `goAway` / resumption handles as lifecycle events.
 * Socket callbacks never throw.
 */
import type { WebSocket } from 'ws';
import { describeFormat, sameFormat } from '../../audio-format.ts';
import { TypedEmitter } from '../../emitter.ts';
import { errorEvent, listenerError, VoiceError } from '../../errors.ts';
import type { AudioFormat, Logger } from '../../types.ts';
import type { SessionLifecycleEvents } from '../lifecycle.ts';
import type { ModelCapabilities, ModelSession, ModelSessionEvents, ModelUsage } from '../types.ts';
import { GeminiAudioIn, GeminiAudioOut } from './audio-edge.ts';
import {
  dtmfText,
  GEMINI_CAPABILITIES,
  GEMINI_INPUT_MIME,
  parseDurationMs,
  parseGeminiUsage,
  textTurn,
} from './protocol.ts';
import { SpeechEndDetector } from './speech-end.ts';
import { ToolBatches } from './tool-batches.ts';
import { Turns } from './turns.ts';

const OPEN = 1;
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export type GeminiSessionEvents = ModelSessionEvents & SessionLifecycleEvents;

export interface GeminiSessionOptions {
  inputFormat: AudioFormat;
  outputFormat: AudioFormat;
  /** Silence that ends a caller turn, ms (for the local `speech_stopped`). */
  silenceDurationMs: number;
  logger?: Logger | undefined;
  /** Frames received after `setupComplete`, before this session existed (replayed first). */
  early?: unknown[];
}

export class GeminiLiveSession implements ModelSession {
  readonly capabilities: ModelCapabilities = GEMINI_CAPABILITIES;
  #ws: WebSocket;
  #events: TypedEmitter<GeminiSessionEvents>;
  #logger: Logger | undefined;
  #inputFormat: AudioFormat;
  #outputFormat: AudioFormat;
  #in: GeminiAudioIn;
  #out: GeminiAudioOut;
  #speechEnd: SpeechEndDetector;
  #turns: Turns;
  #tools = new ToolBatches();
  #pendingText: { text: string | undefined } | null = null;
  #usage: ModelUsage | undefined;
  #handle: string | undefined;
  #closing = false;
  #closed = false;
  #closedPromise: Promise<void>;
  #formatErrorReported = false;
  /** Frames that arrive before the caller could subscribe; replayed on the next macrotask. */
  #early: unknown[] | null;

  /** Wraps an OPEN socket whose `setup` was acknowledged (`setupComplete`). */
  constructor(ws: WebSocket, options: GeminiSessionOptions) {
    this.#ws = ws;
    this.#logger = options.logger;
    this.#early = [...(options.early ?? [])];
    this.#inputFormat = options.inputFormat;
    this.#outputFormat = options.outputFormat;
    this.#in = new GeminiAudioIn(options.inputFormat);
    this.#out = new GeminiAudioOut(options.outputFormat);
    this.#speechEnd = new SpeechEndDetector({ silenceMs: options.silenceDurationMs });
    this.#events = new TypedEmitter((error, event) => {
      if (event !== 'error') this.#emitError(listenerError(error, String(event)));
    });
    this.#turns = new Turns((event, payload) =>
      this.#events.emit(event, payload as GeminiSessionEvents[typeof event]),
    );
    this.#closedPromise = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.#closed = true;
        // Gemini's errors are close codes (§6.15): `closed` carries them; no separate error event.
        this.#events.emit('closed', { code, reason: reason.toString(), expected: this.#closing });
        resolve();
      });
    });
    ws.on('message', (data) => {
      if (this.#early) this.#early.push(data);
      else this.#onMessage(data);
    });
    setImmediate(() => {
      const early = this.#early ?? [];
      this.#early = null;
      for (const data of early) this.#onMessage(data);
    });
    ws.on('error', (cause) => {
      if (this.#closing) return;
      this.#emitError(
        new VoiceError('model_disconnected', 'gemini: socket error', { recoverable: false, cause }),
      );
    });
  }

  on: EventSourceOn = (event, listener) => this.#events.on(event, listener);
  once: EventSourceOn = (event, listener) => this.#events.once(event, listener);
  off: TypedEmitter<GeminiSessionEvents>['off'] = (event, listener) => this.#events.off(event, listener);

  /** Latest session-resumption handle (undefined until the server sent one). */
  get resumptionHandle(): string | undefined {
    return this.#handle;
  }

  sendAudio(base64: string, format: AudioFormat): void {
    if (!sameFormat(format, this.#inputFormat)) {
      this.#formatError(format);
      return;
    }
    if (this.#closing || this.#ws.readyState !== OPEN) return;
    const samples = this.#in.push(base64);
    if (samples.length === 0) return;
    const endedAtMs = this.#speechEnd.push(samples);
    // Hot path (50 frames/s): base64 needs no JSON escaping.
    const data = GeminiAudioIn.encode(samples);
    this.#ws.send(`{"realtimeInput":{"audio":{"data":"${data}","mimeType":"${GEMINI_INPUT_MIME}"}}}`);
    if (endedAtMs !== undefined) this.#events.emit('speech_stopped', { audioEndMs: endedAtMs });
  }

  sendToolResult(callId: string, output: string, opts: { name: string }): void {
    if (this.#tools.isCancelled(callId)) {
      this.#logger?.debug({ callId }, 'gemini: dropping the result of a cancelled tool call');
    }
    for (const message of this.#tools.result(callId, opts.name, output)) this.#send(message);
  }

  createResponse(instructions?: string): void {
    if (this.#turns.current) {
      this.#pendingText = { text: instructions ?? this.#pendingText?.text };
      return;
    }
    this.#send(textTurn(instructions));
  }

  /** Gemini cannot cancel server-side (its VAD already did); drop the rest of the turn locally. */
  cancelResponse(): void {
    this.#pendingText = null;
    const turn = this.#turns.current;
    if (turn && !turn.interrupted) {
      turn.interrupted = true;
      this.#out.reset();
    }
  }

  /** Not supported (`capabilities.truncation` is false): Gemini tracks playback itself. */
  truncate(): void {}

  sendDtmf(digit: string): void {
    this.createResponse(dtmfText(digit));
  }

  close(): Promise<void> {
    if (!this.#closed && !this.#closing) {
      this.#closing = true;
      this.#pendingText = null;
      this.#ws.close(1000, 'call ended');
      const force = setTimeout(() => this.#ws.terminate(), 2000);
      force.unref();
      void this.#closedPromise.then(() => clearTimeout(force));
    }
    return this.#closedPromise;
  }

  #send(message: Obj): void {
    if (this.#closing || this.#ws.readyState !== OPEN) return;
    this.#ws.send(JSON.stringify(message));
  }

  #emitError(error: VoiceError): void {
    this.#events.emit('error', errorEvent(error));
  }

  #formatError(format: AudioFormat): void {
    if (this.#formatErrorReported) return;
    this.#formatErrorReported = true;
    const details = { got: describeFormat(format), want: describeFormat(this.#inputFormat) };
    this.#emitError(
      new VoiceError('unsupported_format', 'gemini: audio format differs from the session', {
        recoverable: true,
        details,
      }),
    );
  }

  #onMessage(data: unknown): void {
    let msg: Obj;
    try {
      const text = Array.isArray(data) ? Buffer.concat(data as Buffer[]).toString() : String(data);
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      msg = parsed as Obj;
    } catch {
      this.#emitError(
        new VoiceError('model_protocol', 'gemini: unreadable server message', { recoverable: true }),
      );
      return;
    }
    if (msg.usageMetadata !== undefined) this.#usage = parseGeminiUsage(msg.usageMetadata);
    if (msg.serverContent !== undefined) this.#onContent(obj(msg.serverContent));
    if (msg.toolCall !== undefined) this.#onToolCall(obj(msg.toolCall));
    if (msg.toolCallCancellation !== undefined) this.#onCancellation(obj(msg.toolCallCancellation));
    if (msg.sessionResumptionUpdate !== undefined) this.#onResumption(obj(msg.sessionResumptionUpdate));
    if (msg.goAway !== undefined) {
      const timeLeftMs = parseDurationMs(obj(msg.goAway).timeLeft);
      this.#logger?.debug({ timeLeftMs }, 'gemini: goAway');
      this.#events.emit(
        'going_away',
        timeLeftMs === undefined ? { reason: 'go_away' } : { timeLeftMs, reason: 'go_away' },
      );
    }
  }

  #onContent(c: Obj): void {
    if (c.interrupted === true) this.#onInterrupted();
    const input = obj(c.inputTranscription);
    if (typeof input.text === 'string' || input.finished === true) {
      this.#turns.userText(str(input.text) ?? '', input.finished === true);
    }
    const parts = obj(c.modelTurn).parts;
    if (Array.isArray(parts)) for (const part of parts) this.#onPart(obj(part));
    const output = str(obj(c.outputTranscription).text);
    if (output && !this.#turns.current?.interrupted) this.#turns.assistantText(output);
    if (c.turnComplete === true) this.#onTurnComplete();
  }

  #onPart(part: Obj): void {
    const inline = obj(part.inlineData);
    const data = str(inline.data);
    if (!data || !str(inline.mimeType)?.startsWith('audio/pcm')) return; // text parts are thoughts here
    const turn = this.#turns.ensure();
    if (turn.interrupted) return; // stale audio of an interrupted turn
    const base64 = this.#out.push(data);
    if (base64) this.#events.emit('audio', { base64, itemId: turn.itemId, format: this.#outputFormat });
  }

  #onInterrupted(): void {
    const turn = this.#turns.current;
    if (turn && !turn.interrupted) {
      turn.interrupted = true;
      this.#out.reset();
    }
    this.#events.emit('speech_started', {});
  }

  #onTurnComplete(): void {
    const usage = this.#usage;
    this.#usage = undefined;
    this.#turns.complete(usage);
    const pending = this.#pendingText;
    if (pending && !this.#turns.current) {
      this.#pendingText = null;
      this.#send(textTurn(pending.text));
    }
  }

  #onToolCall(call: Obj): void {
    const calls = Array.isArray(call.functionCalls) ? call.functionCalls.map(obj) : [];
    const valid = calls.filter((f) => str(f.id) && str(f.name));
    if (valid.length < calls.length) {
      this.#emitError(
        new VoiceError('model_protocol', 'gemini: function call without id/name', { recoverable: true }),
      );
    }
    if (valid.length === 0) return;
    this.#turns.ensure();
    this.#tools.add(valid.map((f) => String(f.id)));
    for (const f of valid) {
      const args = f.args === undefined ? '{}' : JSON.stringify(f.args);
      this.#events.emit('tool_call', { callId: String(f.id), name: String(f.name), arguments: args });
    }
  }

  #onCancellation(c: Obj): void {
    const callIds = Array.isArray(c.ids) ? c.ids.filter((id): id is string => typeof id === 'string') : [];
    if (callIds.length === 0) return;
    for (const message of this.#tools.cancel(callIds)) this.#send(message);
    this.#events.emit('tool_calls_cancelled', { callIds });
  }

  #onResumption(u: Obj): void {
    const handle = str(u.newHandle);
    if (handle) this.#handle = handle;
    this.#events.emit('resumption', {
      handle: this.#handle,
      resumable: u.resumable === true && !!this.#handle,
    });
  }
}

type EventSourceOn = <K extends keyof GeminiSessionEvents>(
  event: K,
  listener: (payload: GeminiSessionEvents[K]) => void,
) => () => void;
