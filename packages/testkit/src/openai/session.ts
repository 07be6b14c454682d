import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { openAiId } from '../util/ids.ts';
import { SessionTimers } from '../util/timers.ts';
import { applySessionUpdate, defaultSessionConfig, isFailure, type RealtimeSessionConfig } from './config.ts';
import { Conversation } from './conversation.ts';
import type { RealtimeErrorBody, RealtimeFailure } from './errors.ts';
import { DEFAULT_RATE_LIMITS, transcriptionEvents, userAudioItem } from './events.ts';
import { InputBuffer } from './input-buffer.ts';
import { type ConvItem, type ResponseHost, ResponseRun } from './response.ts';
import { planResponse, ScriptCursor } from './script.ts';
import { handleClientEvent } from './session-dispatch.ts';
import type {
  CancelRecord,
  ClientEventRecord,
  FakeOpenAIRealtimeOptions,
  ResponseRecord,
  SpeechStartRecord,
  TruncationRecord,
} from './types.ts';
import type { VadEvent } from './vad.ts';

/** Server-wide services a session uses. */
export interface SessionServices {
  opts: FakeOpenAIRealtimeOptions;
  emitTag(): number;
  /** Something changed (re-check waiters). */
  notify(): void;
}

/**
 * One fake Realtime connection: its effective config, conversation, input buffer + VAD, the
 * current response, and the records tests assert on. Socket callbacks never throw.
 */
export class FakeRealtimeSession implements ResponseHost {
  readonly index: number;
  readonly model: string;
  readonly headers: IncomingHttpHeaders;
  readonly connectedAtMs = performance.now();
  config: RealtimeSessionConfig;
  readonly conversation = new Conversation();
  readonly clientEvents: ClientEventRecord[] = [];
  readonly serverEvents: Array<{ type: string; atMs: number }> = [];
  readonly responses: ResponseRecord[] = [];
  readonly truncations: TruncationRecord[] = [];
  readonly cancels: CancelRecord[] = [];
  readonly toolOutputs: Array<{ atMs: number; callId: string; output: string }> = [];
  readonly speechStarts: SpeechStartRecord[] = [];
  readonly userTurns: Array<{
    itemId: string;
    audioStartMs: number;
    audioEndMs: number;
    transcript: string | null;
  }> = [];
  readonly errors: Array<RealtimeErrorBody & { atMs: number }> = [];
  closeInfo: { code: number; reason: string; atMs: number } | null = null;

  readonly input: InputBuffer;
  active: ResponseRun | null = null;
  /** The script and its cursor (`script.position`, `script.mismatches`). */
  readonly script: ScriptCursor;
  pendingUserInput = false;
  pendingToolOutput = false;
  assistantAudioSent = false;
  speechItemId: string | null = null;
  #speechStartMs = 0;
  #ws: WebSocket;
  #services: SessionServices;
  #timers = new SessionTimers(() => this.#services.notify());
  #cachedText = 0;
  #logServer: boolean;
  /** Whether per-20 ms audio events are logged (`logAudioEvents`). */
  readonly logAudio: boolean;

  constructor(
    index: number,
    ws: WebSocket,
    model: string,
    headers: IncomingHttpHeaders,
    services: SessionServices,
  ) {
    this.index = index;
    this.model = model;
    this.headers = headers;
    this.#ws = ws;
    this.#services = services;
    this.#logServer = services.opts.logServerEvents ?? true;
    this.logAudio = services.opts.logAudioEvents ?? true;
    this.config = defaultSessionConfig(openAiId('sess'), model);
    const turns = services.opts.scriptFor?.(index, model) ?? services.opts.script ?? [];
    this.script = new ScriptCursor(turns, services.opts.defaultSay);
    this.input = new InputBuffer(services.opts.vad ?? {}, services.opts.keepInputAudio ?? true);
    this.input.configure(this.config.audio.input.format, this.config.audio.input.turn_detection);
    ws.on('message', (data, isBinary) => {
      try {
        handleClientEvent(this, data.toString(), isBinary);
      } catch (error) {
        this.sendError(
          { type: 'server_error', code: 'server_error', message: String(error), param: null },
          null,
        );
      }
      services.notify();
    });
    ws.on('close', (code, reason) => this.#onClose(code, reason.toString()));
    ws.on('error', () => {});
    this.send('session.created', { session: this.config });
  }

  get id(): string {
    return this.config.id;
  }

  get conversationId(): string {
    return this.conversation.id;
  }

  /** Every input byte appended so far (needs `keepInputAudio`, default on). */
  inputAudio(): Buffer {
    return this.input.audio();
  }

  /** Script turns whose `on` did not match what triggered them. */
  get scriptMismatches(): ScriptCursor['mismatches'] {
    return this.script.mismatches;
  }

  /** Speech starts that happened while assistant audio existed (what a bridge must handle as barge-in). */
  get bargeIns(): SpeechStartRecord[] {
    return this.speechStarts.filter((s) => s.lastAssistantItemId !== null);
  }

  /** Attach a client truncate/cancel to the latest speech start, unless a response began since. */
  noteClientAction(action: SpeechStartRecord['clientActions'][number]): void {
    const start = this.speechStarts.at(-1);
    const lastResponse = this.responses.at(-1);
    if (!start || (lastResponse && lastResponse.startedAtMs > start.atMs)) return;
    start.clientActions.push(action);
  }

  // ---- sending ------------------------------------------------------------------------------

  send(type: string, fields: Record<string, unknown> = {}): void {
    this.#write(JSON.stringify({ type, event_id: openAiId('event'), ...fields }), type);
  }

  sendAudioDelta(responseId: string, itemId: string, outputIndex: number, base64: string): void {
    this.assistantAudioSent = true;
    this.#write(
      `{"type":"response.output_audio.delta","event_id":"${openAiId('event')}","response_id":"${responseId}","item_id":"${itemId}","output_index":${outputIndex},"content_index":0,"delta":"${base64}"}`,
      'response.output_audio.delta',
      true,
    );
  }

  sendError(failure: RealtimeFailure, clientEventId: string | null): void {
    const error: RealtimeErrorBody = {
      type: failure.type ?? 'invalid_request_error',
      code: failure.code,
      message: failure.message,
      param: failure.param,
      event_id: clientEventId,
    };
    this.errors.push({ ...error, atMs: performance.now() });
    this.send('error', { error });
  }

  sendRaw(data: string | Buffer): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(data);
  }

  #write(json: string, type: string, audio = false): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    if (this.#logServer && (this.logAudio || !audio))
      this.serverEvents.push({ type, atMs: performance.now() });
    this.#ws.send(json);
  }

  // ---- ResponseHost -------------------------------------------------------------------------

  lastItemId(): string | null {
    return this.conversation.lastItemId();
  }

  previousItemId(itemId: string): string | null {
    return this.conversation.previousItemId(itemId);
  }

  addItem(item: ConvItem): void {
    this.conversation.add(item);
  }

  emitTag(): number {
    return this.#services.emitTag();
  }

  inputUsage(): { textChars: number; audioMs: number; cachedText: number } {
    const textChars = this.config.instructions.length + (this.active?.record.instructions?.length ?? 0);
    const cachedText = this.#cachedText;
    this.#cachedText = Math.floor(textChars / 8);
    return { textChars, audioMs: this.input.takeSinceResponseMs(), cachedText };
  }

  created(_run: ResponseRun): void {
    if (this.#services.opts.rateLimits ?? true) this.emitRateLimits();
  }

  finished(run: ResponseRun): void {
    if (this.active === run) this.active = null;
    this.#services.notify();
  }

  // ---- behaviour ----------------------------------------------------------------------------

  /** Apply a `session.update`; returns the failure to report, if any. */
  updateSession(session: unknown): RealtimeFailure | undefined {
    const next = applySessionUpdate(this.config, session, { assistantAudioSent: this.assistantAudioSent });
    if (isFailure(next)) return next;
    this.config = next;
    this.input.configure(next.audio.input.format, next.audio.input.turn_detection);
    this.send('session.updated', { session: this.config });
    return undefined;
  }

  appendAudio(bytes: Buffer): void {
    for (const ev of this.input.append(bytes)) this.onVad(ev);
  }

  onVad(ev: VadEvent): void {
    const td = this.config.audio.input.turn_detection;
    if (ev.type === 'start') {
      const itemId = openAiId('item');
      this.speechItemId = itemId;
      this.#speechStartMs = ev.audioStartMs;
      this.send('input_audio_buffer.speech_started', {
        audio_start_ms: Math.round(ev.audioStartMs),
        item_id: itemId,
      });
      const active = this.active;
      const record: SpeechStartRecord = {
        atMs: performance.now(),
        itemId,
        audioStartMs: Math.round(ev.audioStartMs),
        activeResponseId: active?.id ?? null,
        serverCancelled: false,
        lastAssistantItemId: this.conversation.lastAssistantAudioItem()?.id ?? null,
        clientActions: [],
      };
      this.speechStarts.push(record);
      if (active && td?.interrupt_response !== false) {
        record.serverCancelled = active.cancel('turn_detected');
        this.cancels.push({ atMs: performance.now(), by: 'server', responseId: active.id, ok: true });
      }
      return;
    }
    const itemId = this.speechItemId ?? openAiId('item');
    this.speechItemId = null;
    this.send('input_audio_buffer.speech_stopped', {
      audio_end_ms: Math.round(ev.audioEndMs),
      item_id: itemId,
    });
    this.commitUserAudio(itemId, this.#speechStartMs, ev.audioEndMs);
    if (td?.create_response !== false && !this.active) this.startResponse('user_turn', {});
  }

  /** Commit the input buffer as a user audio item (VAD stop or `input_audio_buffer.commit`). */
  commitUserAudio(itemId: string, audioStartMs: number, audioEndMs: number): void {
    const previous = this.conversation.add({ id: itemId, type: 'message', role: 'user', audioBytes: 0 });
    this.input.reset();
    this.pendingUserInput = true;
    this.send('input_audio_buffer.committed', { previous_item_id: previous, item_id: itemId });
    this.send('conversation.item.added', { previous_item_id: previous, item: userAudioItem(itemId, null) });
    this.send('conversation.item.done', { previous_item_id: previous, item: userAudioItem(itemId, null) });
    const transcript = this.config.audio.input.transcription
      ? (this.script.nextUserTranscript() ?? `(user turn ${this.userTurns.length + 1})`)
      : null;
    this.userTurns.push({ itemId, audioStartMs, audioEndMs, transcript });
    if (transcript === null) return;
    this.#later(this.#services.opts.transcriptionDelayMs ?? 0, () => {
      for (const [type, fields] of transcriptionEvents(itemId, transcript)) this.send(type, fields);
    });
  }

  startResponse(trigger: ResponseRecord['trigger'], params: Record<string, unknown>): void {
    const plan = planResponse(this.#services.opts, this.config, this.script.take(trigger), trigger, params);
    const run = new ResponseRun(this, plan);
    this.pendingUserInput = false;
    this.pendingToolOutput = false;
    this.active = run;
    this.responses.push(run.record);
    run.start();
  }

  /** Per-session rate limits event (defaults from the official example). */
  emitRateLimits(limits?: unknown[]): void {
    this.send('rate_limits.updated', {
      rate_limits: limits ?? DEFAULT_RATE_LIMITS,
    });
  }

  /** Drop the connection: a close frame with `code`, or (no code) a TCP reset like a network failure. */
  disconnect(code?: number, reason = ''): void {
    if (code === undefined) this.#ws.terminate();
    else this.#ws.close(code, reason);
  }

  #later(ms: number, fn: () => void): void {
    if (ms <= 0) {
      fn();
      return;
    }
    this.#timers.later(ms, fn);
  }

  #onClose(code: number, reason: string): void {
    this.active?.dispose();
    this.active = null;
    this.#timers.clear();
    this.closeInfo = { code, reason, atMs: performance.now() };
    this.#services.notify();
  }
}
