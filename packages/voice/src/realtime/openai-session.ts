/**
 * One OpenAI Realtime GA connection (protocols.md §3). Maps GA server events to
 * {@link ModelSessionEvents} and model methods to GA client events. Never throws from a
 * socket callback; provider `error` events are recoverable (the socket stays open).
 */
import type { WebSocket } from 'ws';
import { describeFormat, sameFormat } from '../audio-format.ts';
import { TypedEmitter } from '../emitter.ts';
import { errorEvent, listenerError, VoiceError } from '../errors.ts';
import type { AudioFormat, Logger } from '../types.ts';
import { dtmfMessage, OPENAI_CAPABILITIES, parseUsage } from './openai-protocol.ts';
import type { ModelCapabilities, ModelSession, ModelSessionEvents } from './types.ts';

const OPEN = 1;
type Obj = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null ? (v as Obj) : {});
const RESPONSE_STATUSES = new Set(['completed', 'cancelled', 'failed', 'incomplete']);

export interface OpenAISessionOptions {
  inputFormat: AudioFormat;
  outputFormat: AudioFormat;
  logger?: Logger | undefined;
  /** Frames received between `session.updated` and this constructor, replayed first. */
  early?: Array<[unknown, boolean]>;
}

export class OpenAIRealtimeSession implements ModelSession {
  /** GA produces every format it accepts natively: this session's output is the one it was given. */
  readonly capabilities: ModelCapabilities;
  #ws: WebSocket;
  #events: TypedEmitter<ModelSessionEvents>;
  #logger: Logger | undefined;
  #inputFormat: AudioFormat;
  #outputFormat: AudioFormat;
  #closing = false;
  #closed = false;
  #closedPromise: Promise<void>;
  #eventSeq = 0;
  #activeResponseId: string | null = null;
  /** event_id of a `response.create` we sent that has no `response.created` yet. */
  #createInFlight: { eventId: string; instructions: string | undefined } | null = null;
  /** A `response.create` deferred until the active response is done. */
  #pendingCreate: { instructions: string | undefined } | null = null;
  #partials = new Map<string, string>();
  #formatErrorReported = false;
  /** Events that arrived before the caller could subscribe; replayed on the next macrotask. */
  #early: Array<[unknown, boolean]> | null = [];

  /** Wraps an OPEN socket whose `session.update` was already acknowledged. */
  constructor(ws: WebSocket, options: OpenAISessionOptions) {
    this.#ws = ws;
    this.#logger = options.logger;
    this.#inputFormat = options.inputFormat;
    this.#outputFormat = options.outputFormat;
    this.capabilities = { ...OPENAI_CAPABILITIES, outputFormat: options.outputFormat };
    this.#early = [...(options.early ?? [])];
    this.#events = new TypedEmitter((error, event) => {
      if (event !== 'error') this.#events.emit('error', errorEvent(listenerError(error, String(event))));
    });
    this.#closedPromise = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        this.#closed = true;
        this.#events.emit('closed', { code, reason: reason.toString(), expected: this.#closing });
        resolve();
      });
    });
    ws.on('message', (data, isBinary) => {
      if (this.#early) this.#early.push([data, isBinary]);
      else this.#onMessage(data, isBinary);
    });
    setImmediate(() => {
      const early = this.#early ?? [];
      this.#early = null;
      for (const [data, isBinary] of early) this.#onMessage(data, isBinary);
    });
    ws.on('error', (cause) => {
      if (this.#closing) return;
      const error = new VoiceError('model_disconnected', 'openai: socket error', {
        recoverable: false,
        cause,
      });
      this.#events.emit('error', errorEvent(error));
    });
  }

  on: ModelSession['on'] = (event, listener) => this.#events.on(event, listener);
  once: ModelSession['once'] = (event, listener) => this.#events.once(event, listener);
  off: ModelSession['off'] = (event, listener) => this.#events.off(event, listener);

  sendAudio(base64: string, format: AudioFormat): void {
    if (!sameFormat(format, this.#inputFormat)) {
      if (!this.#formatErrorReported) {
        this.#formatErrorReported = true;
        const details = { got: describeFormat(format), want: describeFormat(this.#inputFormat) };
        this.#emitError(
          new VoiceError('unsupported_format', 'openai: audio format differs from the session', {
            recoverable: true,
            details,
          }),
        );
      }
      return;
    }
    // Hot path (50 frames/s): base64 needs no JSON escaping, so skip JSON.stringify.
    this.#sendRaw(`{"type":"input_audio_buffer.append","audio":"${base64}"}`);
  }

  sendToolResult(callId: string, output: string): void {
    this.#send({
      type: 'conversation.item.create',
      item: { type: 'function_call_output', call_id: callId, output },
    });
  }

  createResponse(instructions?: string): void {
    if (this.#activeResponseId !== null || this.#createInFlight !== null) {
      this.#pendingCreate = { instructions: instructions ?? this.#pendingCreate?.instructions };
      return;
    }
    this.#sendCreate(instructions);
  }

  cancelResponse(): void {
    this.#pendingCreate = null;
    if (this.#activeResponseId !== null) {
      this.#send({ type: 'response.cancel', response_id: this.#activeResponseId });
    } else if (this.#createInFlight !== null) {
      this.#send({ type: 'response.cancel' });
    }
  }

  truncate(itemId: string, audioEndMs: number): void {
    const ms = Math.max(0, Math.floor(audioEndMs));
    this.#send({ type: 'conversation.item.truncate', item_id: itemId, content_index: 0, audio_end_ms: ms });
  }

  sendDtmf(digit: string): void {
    this.#send(dtmfMessage(digit));
    this.createResponse();
  }

  close(): Promise<void> {
    if (!this.#closed && !this.#closing) {
      this.#closing = true;
      this.#pendingCreate = null;
      this.#ws.close(1000, 'call ended');
      const force = setTimeout(() => this.#ws.terminate(), 2000);
      force.unref();
      void this.#closedPromise.then(() => clearTimeout(force));
    }
    return this.#closedPromise;
  }

  #sendCreate(instructions: string | undefined): void {
    const eventId = this.#nextEventId();
    const event: Obj = { type: 'response.create', event_id: eventId };
    if (instructions) event.response = { instructions };
    if (this.#send(event)) this.#createInFlight = { eventId, instructions };
  }

  #nextEventId(): string {
    this.#eventSeq++;
    return `sb_${this.#eventSeq}`;
  }

  #send(event: Obj): boolean {
    return this.#sendRaw(JSON.stringify(event));
  }

  #sendRaw(text: string): boolean {
    if (this.#closing || this.#ws.readyState !== OPEN) return false;
    this.#ws.send(text);
    return true;
  }

  #emitError(error: VoiceError): void {
    this.#events.emit('error', errorEvent(error));
  }

  #onMessage(data: unknown, isBinary: boolean): void {
    let msg: Obj;
    try {
      if (isBinary) throw new Error('binary');
      msg = obj(JSON.parse(String(data)));
    } catch {
      this.#emitError(
        new VoiceError('model_protocol', 'openai: unreadable server event', { recoverable: true }),
      );
      return;
    }
    this.#handle(msg);
  }

  #handle(msg: Obj): void {
    switch (msg.type) {
      case 'response.created': {
        const responseId = str(obj(msg.response).id) ?? '';
        this.#activeResponseId = responseId;
        this.#createInFlight = null;
        this.#events.emit('response_started', { responseId });
        return;
      }
      case 'response.output_audio.delta': {
        const base64 = str(msg.delta);
        const itemId = str(msg.item_id);
        if (base64 && itemId) this.#events.emit('audio', { base64, itemId, format: this.#outputFormat });
        return;
      }
      case 'response.output_audio_transcript.delta':
        this.#partial('assistant', str(msg.item_id), str(msg.delta));
        return;
      case 'response.output_audio_transcript.done':
        this.#final('assistant', str(msg.item_id), str(msg.transcript));
        return;
      case 'conversation.item.input_audio_transcription.delta':
        this.#partial('user', str(msg.item_id), str(msg.delta));
        return;
      case 'conversation.item.input_audio_transcription.completed':
        this.#final('user', str(msg.item_id), str(msg.transcript));
        return;
      case 'conversation.item.input_audio_transcription.failed':
        this.#emitError(
          new VoiceError('model_server_error', 'openai: input transcription failed', {
            recoverable: true,
            details: { code: str(obj(msg.error).code) },
          }),
        );
        return;
      case 'input_audio_buffer.speech_started':
        this.#events.emit('speech_started', {
          itemId: str(msg.item_id),
          audioStartMs: num(msg.audio_start_ms),
        });
        return;
      case 'input_audio_buffer.speech_stopped':
        this.#events.emit('speech_stopped', { itemId: str(msg.item_id), audioEndMs: num(msg.audio_end_ms) });
        return;
      case 'response.output_item.done':
        this.#onItemDone(obj(msg.item));
        return;
      case 'response.done':
        this.#onResponseDone(obj(msg.response));
        return;
      case 'error':
        this.#onError(obj(msg.error));
        return;
      default:
        return;
    }
  }

  #partial(role: 'user' | 'assistant', itemId: string | undefined, delta: string | undefined): void {
    if (!itemId || !delta) return;
    const key = `${role}:${itemId}`;
    const text = (this.#partials.get(key) ?? '') + delta;
    this.#partials.set(key, text);
    this.#events.emit('transcript', { role, text, final: false, itemId });
  }

  #final(role: 'user' | 'assistant', itemId: string | undefined, transcript: string | undefined): void {
    if (!itemId) return;
    const key = `${role}:${itemId}`;
    const text = transcript ?? this.#partials.get(key) ?? '';
    this.#partials.delete(key);
    this.#events.emit('transcript', { role, text, final: true, itemId });
  }

  #onItemDone(item: Obj): void {
    if (item.type !== 'function_call') return;
    // Read name here, not from function_call_arguments.done (absent in older GA builds, §6.4).
    const callId = str(item.call_id);
    const name = str(item.name);
    if (!callId || !name) {
      this.#emitError(
        new VoiceError('model_protocol', 'openai: function_call item without call_id/name', {
          recoverable: true,
        }),
      );
      return;
    }
    this.#events.emit('tool_call', { callId, name, arguments: str(item.arguments) ?? '{}' });
  }

  #onResponseDone(response: Obj): void {
    const responseId = str(response.id) ?? this.#activeResponseId ?? '';
    if (this.#activeResponseId === responseId || this.#activeResponseId === '') this.#activeResponseId = null;
    const rawStatus = str(response.status) ?? 'completed';
    const status = (
      RESPONSE_STATUSES.has(rawStatus) ? rawStatus : 'completed'
    ) as ModelSessionEvents['response_done']['status'];
    const usage = parseUsage(response.usage);
    this.#events.emit('response_done', usage ? { responseId, status, usage } : { responseId, status });
    this.#flushPendingCreate();
  }

  #flushPendingCreate(): void {
    if (!this.#pendingCreate || this.#activeResponseId !== null || this.#createInFlight !== null) return;
    const { instructions } = this.#pendingCreate;
    this.#pendingCreate = null;
    this.#sendCreate(instructions);
  }

  #onError(error: Obj): void {
    const code = str(error.code);
    const eventId = str(error.event_id);
    if (code === 'response_cancel_not_active') {
      this.#logger?.debug({ code }, 'openai: nothing to cancel');
      return;
    }
    if (eventId && this.#createInFlight?.eventId === eventId) {
      const { instructions } = this.#createInFlight;
      this.#createInFlight = null;
      if (code === 'conversation_already_has_active_response') {
        // Another response (server VAD) won the race: retry after it is done.
        this.#pendingCreate ??= { instructions };
        if (this.#activeResponseId === null) this.#activeResponseId = '';
        return;
      }
    }
    this.#emitError(
      new VoiceError('model_server_error', `openai: ${code ?? str(error.type) ?? 'error'}`, {
        recoverable: true,
        details: {
          type: str(error.type),
          code,
          param: str(error.param),
          eventId,
          providerMessage: str(error.message),
        },
      }),
    );
  }
}
