import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { SessionTimers } from '../util/timers.ts';
import { INPUT_BYTES_PER_MS } from './audio.ts';
import type { FakeConversation } from './conversation.ts';
import { handleClientMessage } from './dispatch.ts';
import type { GeminiSetup, SetupFailure } from './setup.ts';
import { type TurnHost, TurnRun } from './turn.ts';
import type {
  FakeGeminiLiveOptions,
  GeminiClientRecord,
  GeminiToolCallRecord,
  GeminiToolResponseRecord,
  GeminiTurnRecord,
  ScriptTurn,
} from './types.ts';
import type { GeminiEnergyVad, GeminiVadEvent } from './vad.ts';

/** Server-wide services a session uses. */
export interface GeminiSessionServices {
  opts: FakeGeminiLiveOptions;
  /** A new conversation (fresh script cursor) for session `index`. */
  newConversation(index: number, model: string): FakeConversation;
  /** The conversation a resumption handle points at. */
  resume(handle: string): FakeConversation | undefined;
  /** Register a handle issued by a session. */
  issued(handle: string, conversation: FakeConversation): void;
  notify(): void;
}

/**
 * One fake Gemini Live connection: setup, input audio + VAD, the current model turn, tool calls,
 * resumption handles and the records tests assert on. Socket callbacks never throw.
 */
export class FakeGeminiSession implements TurnHost {
  readonly index: number;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly connectedAtMs = performance.now();
  /** The parsed `setup` (null until a valid one arrived). */
  setup!: GeminiSetup;
  setupReceived = false;
  setupFailure: SetupFailure | null = null;
  conversation: FakeConversation | null = null;
  /** The handle this session resumed from, when it did. */
  resumedFrom: string | null = null;
  readonly clientMessages: GeminiClientRecord[] = [];
  readonly serverMessages: Array<{ type: string; atMs: number }> = [];
  readonly turns: GeminiTurnRecord[] = [];
  readonly toolCalls: GeminiToolCallRecord[] = [];
  readonly toolResponses: GeminiToolResponseRecord[] = [];
  readonly cancellations: Array<{ atMs: number; ids: string[] }> = [];
  readonly interruptions: Array<{ atMs: number; turnId: string }> = [];
  readonly userTurns: Array<{ audioStartMs: number; audioEndMs: number; transcript: string | null }> = [];
  readonly clientTexts: string[] = [];
  readonly handlesSent: string[] = [];
  readonly scriptMismatches: Array<{ turnIndex: number; expected: string; actual: string }> = [];
  /** `realtimeInput.audio` MIME types seen (anything but 16 kHz PCM closes the session). */
  readonly inputMimeTypes = new Set<string>();
  closeInfo: { code: number; reason: string; atMs: number } | null = null;
  vad: GeminiEnergyVad | null = null;
  active: TurnRun | null = null;
  pendingUserTurn = false;
  readonly services: GeminiSessionServices;
  #ws: WebSocket;
  #chunks: Buffer[] = [];
  #inputBytes = 0;
  #turnSeq = 0;
  #timers = new SessionTimers(() => this.services.notify());

  constructor(
    index: number,
    ws: WebSocket,
    path: string,
    headers: IncomingHttpHeaders,
    services: GeminiSessionServices,
  ) {
    this.index = index;
    this.#ws = ws;
    this.path = path;
    this.headers = headers;
    this.services = services;
    ws.on('message', (data, isBinary) => {
      try {
        handleClientMessage(this, data.toString(), isBinary);
      } catch (error) {
        this.disconnect(1011, 'Internal error occurred.');
        this.clientMessages.push({
          atMs: performance.now(),
          type: '(crash)',
          message: { error: String(error) },
        });
      }
      services.notify();
    });
    ws.on('close', (code, reason) => this.#onClose(code, reason.toString()));
    ws.on('error', () => {});
  }

  get model(): string {
    return this.setup?.model ?? '';
  }

  /** Every `realtimeInput.audio` byte received (PCM16 16 kHz), in order. */
  inputAudio(): Buffer {
    return Buffer.concat(this.#chunks);
  }

  /** Input audio received so far, ms. */
  get inputMs(): number {
    return this.#inputBytes / INPUT_BYTES_PER_MS;
  }

  /** Tool calls waiting for a `toolResponse`. */
  get pendingToolCalls(): GeminiToolCallRecord[] {
    return this.toolCalls.filter((c) => c.state === 'pending');
  }

  // ---- sending ------------------------------------------------------------------------------

  send(message: object): void {
    this.#write(JSON.stringify(message), Object.keys(message).join('+'));
  }

  sendAudio(base64: string): void {
    this.#write(
      `{"serverContent":{"modelTurn":{"parts":[{"inlineData":{"mimeType":"audio/pcm;rate=24000","data":"${base64}"}}]}}}`,
      'serverContent',
    );
  }

  sendRaw(data: string | Buffer): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(data);
  }

  #write(json: string, type: string): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    if (this.services.opts.logServerMessages ?? true)
      this.serverMessages.push({ type, atMs: performance.now() });
    this.#ws.send(json);
  }

  /** Close with `code`/`reason` (the Gemini way of reporting errors), or drop TCP when `code` is omitted. */
  disconnect(code?: number, reason = ''): void {
    if (code === undefined) this.#ws.terminate();
    else this.#ws.close(code, reason);
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  /** Sends `setupComplete` (and a first resumption handle when asked for). */
  completeSetup(): void {
    this.send({ setupComplete: {} });
    this.sendResumptionUpdate();
  }

  /** `sessionResumptionUpdate`: a new handle when idle, `resumable: false` mid-turn or mid-tool. */
  sendResumptionUpdate(): void {
    if (!this.setup?.resumption || this.services.opts.resumptionUpdates === false || !this.conversation)
      return;
    if (this.active || this.pendingToolCalls.length > 0) {
      this.send({ sessionResumptionUpdate: { resumable: false } });
      return;
    }
    const newHandle = this.conversation.nextHandle();
    this.services.issued(newHandle, this.conversation);
    this.handlesSent.push(newHandle);
    this.send({ sessionResumptionUpdate: { newHandle, resumable: true } });
  }

  /** `goAway`, then (unless `close: false`) close after `timeLeftMs` like the real server. */
  goAway(timeLeftMs: number, close = true): void {
    this.send({ goAway: { timeLeft: `${timeLeftMs / 1000}s` } });
    if (close)
      this.later(timeLeftMs, () =>
        this.disconnect(1011, 'Deadline expired before operation could complete.'),
      );
  }

  // ---- input and turns ----------------------------------------------------------------------

  appendAudio(bytes: Buffer): void {
    this.#inputBytes += bytes.length;
    if (this.services.opts.keepInputAudio ?? true) this.#chunks.push(bytes);
    for (const ev of this.vad?.push(bytes) ?? []) this.onVad(ev);
  }

  onVad(ev: GeminiVadEvent): void {
    if (ev.type === 'start') {
      this.#onSpeechStart();
      return;
    }
    const next = this.conversation?.script[this.conversation.cursor];
    const scripted =
      next && (next.on === undefined || next.on === 'user_turn' || next.on === 'any')
        ? next.userTranscript
        : undefined;
    const transcript = this.setup.inputTranscription
      ? (scripted ?? `(user turn ${this.userTurns.length + 1})`)
      : null;
    this.userTurns.push({ audioStartMs: ev.audioStartMs, audioEndMs: ev.audioEndMs, transcript });
    this.conversation?.history.push({ role: 'user', text: transcript ?? '(audio)' });
    if (transcript !== null)
      this.send({ serverContent: { inputTranscription: { text: transcript, finished: true } } });
    this.pendingUserTurn = true;
    if (!this.active && this.pendingToolCalls.length === 0) this.startTurn('user_turn', null);
  }

  #onSpeechStart(): void {
    const pending = this.pendingToolCalls;
    if (this.active) this.interruptActive();
    if (pending.length > 0) {
      const ids = pending.map((c) => c.id);
      for (const c of pending) c.state = 'cancelled';
      this.cancellations.push({ atMs: performance.now(), ids });
      this.send({ toolCallCancellation: { ids } });
    }
  }

  /** `interrupted` → stale audio (if configured) → `turnComplete`. */
  interruptActive(): void {
    const run = this.active;
    if (!run) return;
    this.send({ serverContent: { interrupted: true } });
    run.interrupt();
    this.interruptions.push({ atMs: performance.now(), turnId: run.record.id });
    this.send({ serverContent: { turnComplete: true } });
    this.finished(run);
  }

  startTurn(trigger: GeminiTurnRecord['trigger'], text: string | null): void {
    const conversation = this.conversation;
    if (!conversation) return;
    const opts = this.services.opts;
    const scripted: ScriptTurn | undefined = conversation.script[conversation.cursor];
    const turnIndex = scripted ? conversation.cursor : -1;
    if (scripted) conversation.cursor++;
    const turn: ScriptTurn = scripted ?? { say: opts.defaultSay ?? { text: 'Okay.' } };
    if (scripted?.on && scripted.on !== 'any' && scripted.on !== trigger) {
      this.scriptMismatches.push({ turnIndex, expected: scripted.on, actual: trigger });
    }
    const pacing = opts.pacing ?? 'paced';
    const chunkMs = opts.chunkMs ?? (pacing === 'paced' ? 20 : 100);
    this.#turnSeq++;
    const run = new TurnRun(this, {
      id: `turn_${this.index}_${this.#turnSeq}`,
      trigger,
      turnIndex,
      turn,
      text,
      pacing,
      speed: opts.speed ?? 1,
      chunkMs,
      toneHz: opts.toneHz ?? 440,
      delayMs: turn.delayMs ?? opts.responseDelayMs ?? 0,
      staleAudioMs: opts.staleAudioAfterInterruptMs ?? 0,
      turnCompleteAfterToolCall: opts.turnCompleteAfterToolCall ?? false,
    });
    this.pendingUserTurn = false;
    this.active = run;
    this.turns.push(run.record);
    this.sendResumptionUpdate(); // resumable: false while generating
    run.start();
  }

  // ---- TurnHost -----------------------------------------------------------------------------

  toolCallIssued(calls: GeminiToolCallRecord[]): void {
    this.toolCalls.push(...calls);
    for (const c of calls) this.conversation?.history.push({ role: 'tool', text: `call ${c.name}` });
  }

  usage(run: TurnRun): Record<string, unknown> {
    const promptText = Math.ceil((this.setup.systemInstruction.length + (run.record.text?.length ?? 0)) / 4);
    const promptAudio = Math.ceil(this.inputMs / 40);
    const responseAudio = Math.ceil(run.record.audioMs / 40);
    return {
      promptTokenCount: promptText + promptAudio,
      responseTokenCount: responseAudio,
      totalTokenCount: promptText + promptAudio + responseAudio,
      promptTokensDetails: [
        { modality: 'TEXT', tokenCount: promptText },
        { modality: 'AUDIO', tokenCount: promptAudio },
      ],
      responseTokensDetails: [{ modality: 'AUDIO', tokenCount: responseAudio }],
    };
  }

  finished(run: TurnRun): void {
    if (this.active !== run) return;
    this.active = null;
    const spoken = run.spokenText.trim();
    if (spoken) this.conversation?.history.push({ role: 'model', text: spoken });
    this.sendResumptionUpdate();
    // Speech that ended while the model was talking becomes the next turn.
    if (this.pendingUserTurn && !this.vad?.inSpeech && this.pendingToolCalls.length === 0) {
      this.startTurn('user_turn', null);
    }
    this.services.notify();
  }

  later(ms: number, fn: () => void): void {
    this.#timers.later(ms, fn);
  }

  #onClose(code: number, reason: string): void {
    this.active?.dispose();
    this.active = null;
    this.#timers.clear();
    this.closeInfo = { code, reason, atMs: performance.now() };
    this.services.notify();
  }
}
