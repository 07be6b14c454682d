/**
 * One OpenAI Realtime GA connection (docs/realtime.md#openai-realtime-ga-adapter). Maps the
 * parsed server events (`events.ts`) to {@link ModelSessionEvents} and model methods to GA
 * client events. Never throws from a socket callback; provider `error` events are recoverable
 * (the socket stays open).
 */
import type { WebSocket } from 'ws';
import { TypedEmitter } from '../../emitter.ts';
import { errorEvent, listenerError, VoiceError } from '../../errors.ts';
import type { AudioFormat, Logger } from '../../types.ts';
import type { EarlyFrame } from '../handshake.ts';
import { inputFormatCheck, ProviderSocket } from '../provider-socket.ts';
import type { ModelCapabilities, ModelSession, ModelSessionEvents } from '../types.ts';
import { type OpenAIErrorBody, type OpenAIServerEvent, parseServerFrame } from './events.ts';
import { dtmfMessage, OPENAI_CAPABILITIES } from './protocol.ts';

export interface OpenAISessionOptions {
  inputFormat: AudioFormat;
  outputFormat: AudioFormat;
  logger?: Logger | undefined;
  /** Frames received between `session.updated` and this constructor, replayed first. */
  early?: EarlyFrame[];
}

type Role = 'user' | 'assistant';

export class OpenAIRealtimeSession implements ModelSession {
  /** GA produces every format it accepts natively: this session's output is the one it was given. */
  readonly capabilities: ModelCapabilities;
  #socket: ProviderSocket;
  #events: TypedEmitter<ModelSessionEvents>;
  #logger: Logger | undefined;
  /** Whether caller audio is in the session's input format (a mismatch is reported once). */
  #acceptsInput: (format: AudioFormat) => boolean;
  #outputFormat: AudioFormat;
  #eventSeq = 0;
  #activeResponseId: string | null = null;
  /** event_id of a `response.create` we sent that has no `response.created` yet. */
  #createInFlight: { eventId: string; instructions: string | undefined } | null = null;
  /** A `response.create` deferred until the active response is done. */
  #pendingCreate: { instructions: string | undefined } | null = null;
  #partials = new Map<string, string>();

  /** Wraps an OPEN socket whose `session.update` was already acknowledged. */
  constructor(ws: WebSocket, options: OpenAISessionOptions) {
    this.#logger = options.logger;
    this.#acceptsInput = inputFormatCheck('openai', options.inputFormat, (error) => this.#emitError(error));
    this.#outputFormat = options.outputFormat;
    this.capabilities = { ...OPENAI_CAPABILITIES, outputFormat: options.outputFormat };
    this.#events = new TypedEmitter((error, event) => {
      if (event !== 'error') this.#emitError(listenerError(error, String(event)));
    });
    this.#socket = new ProviderSocket(ws, {
      provider: 'openai',
      early: options.early,
      onFrame: (data, isBinary) => this.#onEvent(parseServerFrame(data, isBinary)),
      onClose: (info) => this.#events.emit('closed', info),
      onError: (error) => this.#emitError(error),
    });
  }

  on: ModelSession['on'] = (event, listener) => this.#events.on(event, listener);
  once: ModelSession['once'] = (event, listener) => this.#events.once(event, listener);
  off: ModelSession['off'] = (event, listener) => this.#events.off(event, listener);

  sendAudio(base64: string, format: AudioFormat): void {
    if (!this.#acceptsInput(format)) return;
    // Hot path (50 frames/s): base64 needs no JSON escaping, so skip JSON.stringify.
    this.#socket.send(`{"type":"input_audio_buffer.append","audio":"${base64}"}`);
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
    this.#pendingCreate = null;
    return this.#socket.close();
  }

  #sendCreate(instructions: string | undefined): void {
    this.#eventSeq++;
    const eventId = `sb_${this.#eventSeq}`;
    const event: Record<string, unknown> = { type: 'response.create', event_id: eventId };
    if (instructions) event.response = { instructions };
    if (this.#send(event)) this.#createInFlight = { eventId, instructions };
  }

  #send(event: object): boolean {
    return this.#socket.send(JSON.stringify(event));
  }

  #emitError(error: VoiceError): void {
    this.#events.emit('error', errorEvent(error));
  }

  #onEvent(event: OpenAIServerEvent): void {
    switch (event.type) {
      case 'response.created':
        this.#activeResponseId = event.responseId;
        this.#createInFlight = null;
        this.#events.emit('response_started', { responseId: event.responseId });
        return;
      case 'response.output_audio.delta':
        this.#events.emit('audio', { base64: event.delta, itemId: event.itemId, format: this.#outputFormat });
        return;
      case 'response.output_audio_transcript.delta':
        this.#partial('assistant', event.itemId, event.delta);
        return;
      case 'response.output_audio_transcript.done':
        this.#final('assistant', event.itemId, event.transcript);
        return;
      case 'conversation.item.input_audio_transcription.delta':
        this.#partial('user', event.itemId, event.delta);
        return;
      case 'conversation.item.input_audio_transcription.completed':
        this.#final('user', event.itemId, event.transcript);
        return;
      case 'conversation.item.input_audio_transcription.failed':
        this.#emitError(
          new VoiceError('model_server_error', 'openai: input transcription failed', {
            recoverable: true,
            details: { code: event.code },
          }),
        );
        return;
      case 'input_audio_buffer.speech_started':
        this.#events.emit('speech_started', { itemId: event.itemId, audioStartMs: event.audioStartMs });
        return;
      case 'input_audio_buffer.speech_stopped':
        this.#events.emit('speech_stopped', { itemId: event.itemId, audioEndMs: event.audioEndMs });
        return;
      case 'function_call':
        this.#events.emit('tool_call', {
          callId: event.callId,
          name: event.name,
          arguments: event.arguments,
        });
        return;
      case 'response.done':
        this.#onResponseDone(event);
        return;
      case 'error':
        this.#onError(event.error);
        return;
      case 'malformed':
        this.#emitError(new VoiceError('model_protocol', event.message, { recoverable: true }));
        return;
      case 'session.updated': // a repeat of the handshake's acknowledgement
      case 'ignored':
        return;
    }
  }

  #partial(role: Role, itemId: string, delta: string): void {
    const key = `${role}:${itemId}`;
    const text = (this.#partials.get(key) ?? '') + delta;
    this.#partials.set(key, text);
    this.#events.emit('transcript', { role, text, final: false, itemId });
  }

  #final(role: Role, itemId: string, transcript: string | undefined): void {
    const key = `${role}:${itemId}`;
    const text = transcript ?? this.#partials.get(key) ?? '';
    this.#partials.delete(key);
    this.#events.emit('transcript', { role, text, final: true, itemId });
  }

  #onResponseDone(done: Extract<OpenAIServerEvent, { type: 'response.done' }>): void {
    const responseId = done.responseId ?? this.#activeResponseId ?? '';
    if (this.#activeResponseId === responseId || this.#activeResponseId === '') this.#activeResponseId = null;
    const { status, usage } = done;
    this.#events.emit('response_done', usage ? { responseId, status, usage } : { responseId, status });
    this.#flushPendingCreate();
  }

  #flushPendingCreate(): void {
    if (!this.#pendingCreate || this.#activeResponseId !== null || this.#createInFlight !== null) return;
    const { instructions } = this.#pendingCreate;
    this.#pendingCreate = null;
    this.#sendCreate(instructions);
  }

  #onError(error: OpenAIErrorBody): void {
    const { code, eventId } = error;
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
      new VoiceError('model_server_error', `openai: ${code ?? error.type ?? 'error'}`, {
        recoverable: true,
        details: {
          type: error.type,
          code,
          param: error.param,
          eventId,
          providerMessage: error.message,
        },
      }),
    );
  }
}
