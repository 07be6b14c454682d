/**
 * One Gemini Live connection (docs/realtime-gemini.md#gemini-live-adapter), after
 * `setupComplete`. Converts audio at its edge, names turns (Gemini has no ids), maps
 * `interrupted` to `speech_started`, batches tool results into `toolResponse`s and reports
 * `goAway` / resumption handles as lifecycle events. Server messages arrive parsed
 * (`events.ts`). Socket callbacks never throw.
 */
import type { WebSocket } from 'ws';
import { TypedEmitter } from '../../emitter.ts';
import { errorEvent, listenerError, VoiceError } from '../../errors.ts';
import { keyPressNote } from '../../instructions.ts';
import type { AudioFormat, Logger } from '../../types.ts';
import type { EarlyFrame } from '../handshake.ts';
import type { SessionLifecycleEvents } from '../lifecycle.ts';
import { inputFormatCheck, ProviderSocket } from '../provider-socket.ts';
import type { ModelCapabilities, ModelSession, ModelSessionEvents, ModelUsage } from '../types.ts';
import { GeminiAudioIn, GeminiAudioOut } from './audio-edge.ts';
import { type GeminiFunctionCall, type GeminiServerEvent, parseServerFrame } from './events.ts';
import { GEMINI_CAPABILITIES, GEMINI_INPUT_MIME, textTurn } from './protocol.ts';
import { SpeechEndDetector } from './speech-end.ts';
import { ToolBatches } from './tool-batches.ts';
import { Turns } from './turns.ts';

export type GeminiSessionEvents = ModelSessionEvents & SessionLifecycleEvents;

export interface GeminiSessionOptions {
  inputFormat: AudioFormat;
  outputFormat: AudioFormat;
  /** Silence that ends a caller turn, ms (for the local `speech_stopped`). */
  silenceDurationMs: number;
  logger?: Logger | undefined;
  /** Frames received after `setupComplete`, before this session existed (replayed first). */
  early?: EarlyFrame[];
}

export class GeminiLiveSession implements ModelSession {
  readonly capabilities: ModelCapabilities = GEMINI_CAPABILITIES;
  #socket: ProviderSocket;
  #events: TypedEmitter<GeminiSessionEvents>;
  #logger: Logger | undefined;
  /** Whether caller audio is in the session's input format (a mismatch is reported once). */
  #acceptsInput: (format: AudioFormat) => boolean;
  #outputFormat: AudioFormat;
  #in: GeminiAudioIn;
  #out: GeminiAudioOut;
  #speechEnd: SpeechEndDetector;
  #turns: Turns;
  #tools = new ToolBatches();
  #pendingText: { text: string | undefined } | null = null;
  #usage: ModelUsage | undefined;
  #handle: string | undefined;

  /** Wraps an OPEN socket whose `setup` was acknowledged (`setupComplete`). */
  constructor(ws: WebSocket, options: GeminiSessionOptions) {
    this.#logger = options.logger;
    this.#acceptsInput = inputFormatCheck('gemini', options.inputFormat, (error) => this.#emitError(error));
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
    this.#socket = new ProviderSocket(ws, {
      provider: 'gemini',
      early: options.early,
      onFrame: (data) => {
        for (const event of parseServerFrame(data)) this.#onEvent(event);
      },
      // Gemini's errors are close codes: `closed` carries them; no separate error event.
      onClose: (info) => this.#events.emit('closed', info),
      onError: (error) => this.#emitError(error),
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
    if (!this.#acceptsInput(format)) return;
    if (!this.#socket.isOpen) return;
    const samples = this.#in.push(base64);
    if (samples.length === 0) return;
    const endedAtMs = this.#speechEnd.push(samples);
    // Hot path (50 frames/s): base64 needs no JSON escaping.
    const data = GeminiAudioIn.encode(samples);
    this.#socket.send(`{"realtimeInput":{"audio":{"data":"${data}","mimeType":"${GEMINI_INPUT_MIME}"}}}`);
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
    this.#interruptTurn();
  }

  /** Not supported (`capabilities.truncation` is false): Gemini tracks playback itself. */
  truncate(): void {}

  sendDtmf(digit: string): void {
    this.createResponse(keyPressNote(digit));
  }

  close(): Promise<void> {
    this.#pendingText = null;
    return this.#socket.close();
  }

  #send(message: object): void {
    this.#socket.send(JSON.stringify(message));
  }

  #emitError(error: VoiceError): void {
    this.#events.emit('error', errorEvent(error));
  }

  #onEvent(event: GeminiServerEvent): void {
    switch (event.type) {
      case 'usage':
        this.#usage = event.usage;
        return;
      case 'interrupted':
        this.#interruptTurn();
        this.#events.emit('speech_started', {});
        return;
      case 'input_transcription':
        this.#turns.userText(event.text, event.finished);
        return;
      case 'audio':
        this.#onAudio(event.data);
        return;
      case 'output_transcription':
        if (!this.#turns.current?.interrupted) this.#turns.assistantText(event.text);
        return;
      case 'turn_complete':
        this.#onTurnComplete();
        return;
      case 'tool_call':
        this.#onToolCall(event.calls);
        return;
      case 'tool_call_cancellation':
        for (const message of this.#tools.cancel(event.ids)) this.#send(message);
        this.#events.emit('tool_calls_cancelled', { callIds: event.ids });
        return;
      case 'resumption':
        if (event.handle) this.#handle = event.handle;
        this.#events.emit('resumption', {
          handle: this.#handle,
          resumable: event.resumable && !!this.#handle,
        });
        return;
      case 'go_away': {
        const { timeLeftMs } = event;
        this.#logger?.debug({ timeLeftMs }, 'gemini: goAway');
        this.#events.emit(
          'going_away',
          timeLeftMs === undefined ? { reason: 'go_away' } : { timeLeftMs, reason: 'go_away' },
        );
        return;
      }
      case 'malformed':
        this.#emitError(new VoiceError('model_protocol', event.message, { recoverable: true }));
        return;
      case 'setup_complete': // a repeat of the handshake's acknowledgement
        return;
    }
  }

  /** Marks the current turn interrupted: the rest of its audio is stale and dropped. */
  #interruptTurn(): void {
    const turn = this.#turns.current;
    if (turn && !turn.interrupted) {
      turn.interrupted = true;
      this.#out.reset();
    }
  }

  #onAudio(data: string): void {
    const turn = this.#turns.ensure();
    if (turn.interrupted) return; // stale audio of an interrupted turn
    const base64 = this.#out.push(data);
    if (base64) this.#events.emit('audio', { base64, itemId: turn.itemId, format: this.#outputFormat });
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

  #onToolCall(calls: GeminiFunctionCall[]): void {
    this.#turns.ensure();
    this.#tools.add(calls.map((f) => f.id));
    for (const f of calls) {
      this.#events.emit('tool_call', { callId: f.id, name: f.name, arguments: f.arguments });
    }
  }
}

type EventSourceOn = <K extends keyof GeminiSessionEvents>(
  event: K,
  listener: (payload: GeminiSessionEvents[K]) => void,
) => () => void;
