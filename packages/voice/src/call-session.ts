/**
 * `CallSession` joins one telephony transport and one realtime model for the life of a call.
 * It owns barge-in accounting, the tool loop, timers and the call's end; it branches on
 * `ModelCapabilities`, never on a provider name, and reports everything as typed events.
 * See docs/telephony.md and docs/realtime.md.
 */
import { base64DurationMs, formatIn, sameFormat } from './audio-format.ts';
import { type EventSource, TypedEmitter } from './emitter.ts';
import { type ErrorEvent, listenerError, toVoiceError, VoiceError } from './errors.ts';
import { DEFAULT_SILENCE_PROMPT, greetingInstructions } from './instructions.ts';
import { lifecycleEvents } from './realtime/lifecycle.ts';
import type { ModelCapabilities, ModelSession, ModelSessionEvents } from './realtime/types.ts';
import { AssistantAudio } from './session/assistant-audio.ts';
import { InputTimeline } from './session/input-timeline.ts';
import { SilenceWatch } from './session/silence-watch.ts';
import { ToolCalls } from './session/tool-calls.ts';
import type { CallSessionEvents, CallSessionOptions, CallSetup, EndReason } from './session/types.ts';
import type { CallControl } from './tools/types.ts';
import type { TelephonyStartInfo, TelephonyTransport } from './types.ts';
import { addUsage, emptyUsage } from './usage.ts';

export const DEFAULT_MAX_DURATION_MS = 30 * 60_000;
export const DEFAULT_SILENCE_TIMEOUT_MS = 30_000;
/** Extra wait in `afterPlayback` beyond the audio still queued, ms. */
const PLAYBACK_SAFETY_MS = 5_000;

type Phase = 'waiting' | 'connecting' | 'live' | 'ended';
type Ended = CallSessionEvents['ended'];

export class CallSession<C extends object = Record<string, unknown>>
  implements EventSource<CallSessionEvents>
{
  #o: CallSessionOptions<C>;
  #transport: TelephonyTransport;
  #events: TypedEmitter<CallSessionEvents>;
  #now: () => number;
  #phase: Phase = 'waiting';
  /** Teardown has begun: ignore everything. */
  #done = false;
  /** No new model turns (hang-up or transfer pending). */
  #ending = false;
  #endReason: EndReason | undefined;
  #endDetail: string | undefined;
  #abort = new AbortController();
  #startedAt: number | undefined;
  #setup: CallSetup<C> | undefined;
  #model: ModelSession | undefined;
  #caps: ModelCapabilities | undefined;
  #audio: AssistantAudio;
  #usage = emptyUsage();
  #tools: ToolCalls<C>;
  #responseActive = false;
  #callerSpeaking = false;
  #inputTimeline = new InputTimeline();
  #silence: SilenceWatch;
  #maxTimer: ReturnType<typeof setTimeout> | undefined;
  /** `say` requests waiting for their response to start (FIFO), then keyed by response id. */
  #sayQueue: Array<() => void> = [];
  #sayResponses = new Map<string, () => void>();
  #resolveFinished!: (ended: Ended) => void;
  /** Resolves with the `ended` payload. */
  readonly finished: Promise<Ended> = new Promise((resolve) => {
    this.#resolveFinished = resolve;
  });

  constructor(options: CallSessionOptions<C>) {
    this.#o = options;
    this.#transport = options.transport;
    this.#now = options.now ?? Date.now;
    this.#events = new TypedEmitter((error, event) => {
      if (event !== 'error') this.#emitError(listenerError(error, String(event)));
    });
    this.#audio = new AssistantAudio({
      transport: this.#transport,
      marginMs: clamp(options.truncationMarginMs ?? 100, 0, 500),
      now: this.#now,
      onPlayback: (e) => this.#events.emit('playback', { ...e, atMs: this.#atMs() }),
      onBargeIn: (e) => this.#events.emit('barge_in', { ...e, atMs: this.#atMs() }),
      onTurnLatency: (turnLatencyMs) => this.#events.emit('metrics', { turnLatencyMs, atMs: this.#atMs() }),
    });
    this.#silence = new SilenceWatch({
      onPrompt: () => {
        this.#model?.createResponse(this.#setup?.silencePrompt ?? DEFAULT_SILENCE_PROMPT);
        this.#updateSilence();
      },
      onTimeout: () => void this.#hangUp('silence_timeout'),
    });
    this.#tools = new ToolCalls<C>({
      registry: options.tools,
      control: this.control,
      signal: this.#abort.signal,
      now: () => this.#atMs(),
      emit: (event) => this.#events.emit('tool_call', event),
      onSettled: () => {
        this.#maybeReplyToTools();
        this.#updateSilence();
      },
    });
    const t = this.#transport;
    t.on('start', (info) => this.#onStart(info));
    t.on('audio', (frame) => {
      if (this.#phase !== 'live' || this.#done) return;
      this.#model?.sendAudio(frame.payload, frame.format);
      this.#inputTimeline.advance(base64DurationMs(frame.payload, frame.format), this.#now());
    });
    t.on('mark', ({ name }) => this.#onMark(name));
    t.on('dtmf', ({ digit }) => void this.#onDtmf(digit));
    t.on('stop', () => void this.#end('caller_hangup'));
    t.on('closed', () => void this.#end('socket_closed'));
    t.on('error', (e) => this.#emitError(e.error));
  }

  on: EventSource<CallSessionEvents>['on'] = (event, listener) => this.#events.on(event, listener);
  once: EventSource<CallSessionEvents>['once'] = (event, listener) => this.#events.once(event, listener);
  off: EventSource<CallSessionEvents>['off'] = (event, listener) => this.#events.off(event, listener);

  get phase(): Phase {
    return this.#phase;
  }

  /** Call control for tools, DTMF actions and the server (e.g. a dashboard "hang up"). */
  readonly control: CallControl = {
    hangup: (reason) => this.#hangUp('agent_hangup', reason),
    redirect: (twiml) => this.#redirect(twiml),
    afterPlayback: () => this.#afterPlayback(),
    endCall: async (opts = {}) => {
      this.#ending = true;
      if (opts.afterPlayback ?? true) await this.#afterPlayback();
      await this.#hangUp('agent_hangup', opts.reason);
    },
    transfer: async (twiml, opts = {}) => {
      this.#ending = true;
      try {
        if (opts.afterPlayback ?? true) await this.#afterPlayback();
        await this.#redirect(twiml);
      } catch (error) {
        this.#ending = false;
        throw error;
      }
    },
  };

  /**
   * Makes the agent speak now, outside normal turn-taking (a deferred outbound greeting, a
   * voicemail message after the beep). `interrupt` (default true) first cuts whatever is playing
   * or being generated, as a barge-in would (not counted as one); `last` stops further model
   * turns because the call is about to end. Resolves true once that response has played (or was
   * cut, or the call ended); false at once when the call is not live.
   */
  say(instructions: string, opts: { interrupt?: boolean; last?: boolean } = {}): Promise<boolean> {
    const model = this.#model;
    if (this.#phase !== 'live' || this.#done || !model) return Promise.resolve(false);
    if (opts.last) this.#ending = true;
    if (opts.interrupt ?? true) this.#audio.interrupt(model, this.#responseActive);
    const played = new Promise<boolean>((resolve) => this.#sayQueue.push(() => resolve(true)));
    model.createResponse(instructions);
    this.#updateSilence();
    return played;
  }

  // ── start ──────────────────────────────────────────────────────────────────────────────

  #onStart(info: TelephonyStartInfo): void {
    if (this.#phase !== 'waiting' || this.#done) return;
    this.#phase = 'connecting';
    this.#startedAt = this.#now();
    void this.#connect(info);
  }

  async #connect(info: TelephonyStartInfo): Promise<void> {
    let setup: CallSetup<C> | null = null;
    try {
      setup = await this.#o.resolveConfig(info, this.#abort.signal);
    } catch (cause) {
      this.#emitError(toVoiceError('config_rejected', 'resolveConfig failed', cause, false));
    }
    if (this.#done) return;
    if (!setup) return this.#end('rejected');
    this.#setup = setup;
    this.#tools.configure(setup.toolContext, setup.enabledTools ?? []);
    this.#silence.configure(setup.silenceTimeoutMs ?? DEFAULT_SILENCE_TIMEOUT_MS);
    const maxMs = clamp(setup.maxDurationMs ?? DEFAULT_MAX_DURATION_MS, 10_000, 4 * 3_600_000);
    this.#maxTimer = setTimeout(() => void this.#hangUp('max_duration'), maxMs - this.#atMs());

    const connectStartedAt = this.#now();
    // The agent chosen by resolveConfig may pick its own provider's adapter.
    const realtime = setup.model ?? this.#o.model;
    let model: ModelSession;
    try {
      model = await realtime.connect({
        session: { ...setup.session, tools: this.#o.tools.declarations(setup.enabledTools ?? []) },
        inputFormat: this.#transport.inputFormat,
        outputFormat: this.#transport.outputFormat,
        signal: this.#abort.signal,
      });
    } catch (cause) {
      if (this.#done) return; // the caller hung up while we were connecting
      const error = toVoiceError('model_connect_failed', 'model connect failed', cause, false);
      this.#emitError(error);
      return this.#fail('model_unavailable', error);
    }
    if (this.#done) {
      void model.close().catch(() => {});
      return;
    }
    this.#attach(model);
    this.#phase = 'live';
    const caps = model.capabilities;
    this.#events.emit('ready', {
      atMs: this.#atMs(),
      connectMs: this.#now() - connectStartedAt,
      provider: realtime.provider,
      passthrough:
        formatIn(this.#transport.inputFormat, caps.inputFormats) &&
        sameFormat(caps.outputFormat, this.#transport.outputFormat),
    });
    this.#o.logger?.debug({ provider: realtime.provider }, 'call session live');
    const greeting = setup.greeting?.trim();
    if (greeting) model.createResponse(greetingInstructions(greeting));
    this.#updateSilence();
  }

  #attach(model: ModelSession): void {
    this.#model = model;
    this.#caps = model.capabilities;
    this.#tools.attach(model);
    model.on('audio', (e) => this.#onModelAudio(e));
    model.on('speech_started', () => this.#onSpeechStarted());
    model.on('speech_stopped', (e) => {
      this.#callerSpeaking = false;
      // When the model says where in the audio speech ended, measure from that moment.
      this.#audio.speechStopped(
        e.audioEndMs === undefined ? undefined : this.#inputTimeline.wallTimeAt(e.audioEndMs),
      );
      this.#updateSilence();
    });
    model.on('transcript', (e) => {
      if (!this.#done) this.#events.emit('transcript', { ...e, atMs: this.#atMs() });
    });
    // Models that can withdraw tool calls (Gemini, when the caller interrupts) stop them here.
    lifecycleEvents(model).on('tool_calls_cancelled', ({ callIds }) => this.#tools.cancel(callIds));
    model.on('tool_call', (call) => {
      if (this.#done) return;
      this.#tools.start(call);
      this.#updateSilence();
    });
    model.on('response_started', (e) => {
      const sayWaiter = this.#sayQueue.shift();
      if (sayWaiter) this.#sayResponses.set(e.responseId, sayWaiter);
      this.#responseActive = true;
      this.#audio.responseStarted();
      this.#updateSilence();
    });
    model.on('response_done', (e) => this.#onResponseDone(e));
    model.on('error', (e) => this.#emitError(e.error));
    model.on('closed', (e) => {
      if (e.expected || this.#done) return;
      const details = { code: e.code, reason: e.reason };
      const error = new VoiceError('model_disconnected', 'model connection dropped', {
        recoverable: false,
        details,
      });
      this.#emitError(error);
      void this.#fail('model_disconnected', error);
    });
  }

  // ── audio and barge-in ─────────────────────────────────────────────────────────────────

  #onModelAudio(audio: ModelSessionEvents['audio']): void {
    if (this.#done) return;
    this.#audio.forward(audio);
    this.#updateSilence();
  }

  #onSpeechStarted(): void {
    if (this.#done) return;
    this.#callerSpeaking = true;
    this.#audio.speechStarted(this.#model, this.#responseActive);
    this.#silence.activity(this.#idle());
  }

  #onMark(name: string): void {
    if (this.#done) return;
    this.#audio.mark(name);
    this.#updateSilence();
  }

  #onResponseDone(e: ModelSessionEvents['response_done']): void {
    this.#responseActive = false;
    if (e.usage) {
      addUsage(this.#usage, e.usage);
      this.#events.emit('usage', { responseId: e.responseId, usage: e.usage, atMs: this.#atMs() });
    }
    this.#audio.responseDone();
    const sayWaiter = this.#sayResponses.get(e.responseId);
    if (sayWaiter) {
      this.#sayResponses.delete(e.responseId);
      void this.#afterPlayback().then(sayWaiter);
    }
    this.#maybeReplyToTools();
    this.#updateSilence();
  }

  #maybeReplyToTools(): void {
    if (this.#done || this.#ending || this.#responseActive || this.#caps?.autoReplyAfterToolResult) return;
    if (this.#tools.takeReplyDue()) this.#model?.createResponse();
  }

  // ── DTMF, silence, limits ──────────────────────────────────────────────────────────────

  async #onDtmf(digit: string): Promise<void> {
    if (this.#done) return;
    const action = this.#setup?.dtmfActions?.[digit];
    this.#events.emit('dtmf', { digit, handled: action !== undefined, atMs: this.#atMs() });
    this.#silence.activity(this.#idle());
    if (!action) {
      if (this.#phase === 'live' && !this.#ending) this.#model?.sendDtmf(digit);
      return;
    }
    try {
      await action({ digit, control: this.control, context: this.#setup?.toolContext as C });
    } catch (cause) {
      this.#emitError(new VoiceError('hook_failed', 'dtmf action failed', { recoverable: true, cause }));
    }
  }

  /** Idle = nobody is talking, nothing is generating or queued, no tool is running. */
  #idle(): boolean {
    return (
      this.#phase === 'live' &&
      !this.#done &&
      !this.#ending &&
      !this.#callerSpeaking &&
      !this.#responseActive &&
      !this.#audio.outstanding &&
      this.#tools.running === 0
    );
  }

  #updateSilence(): void {
    this.#silence.update(this.#idle());
  }

  async #afterPlayback(): Promise<void> {
    if (!this.#done) await this.#audio.drained(PLAYBACK_SAFETY_MS);
  }

  // ── ending ─────────────────────────────────────────────────────────────────────────────

  async #hangUp(reason: EndReason, detail?: string): Promise<void> {
    if (this.#done) return;
    this.#endReason ??= reason;
    this.#endDetail ??= detail;
    this.#ending = true;
    try {
      if (this.#o.control) await this.#o.control.hangup(detail ?? reason);
    } catch (cause) {
      this.#emitError(new VoiceError('hook_failed', 'hangup hook failed', { recoverable: true, cause }));
    }
    await this.#end(reason);
  }

  async #redirect(twiml: string): Promise<void> {
    if (this.#done) return;
    if (!this.#o.control) {
      throw new VoiceError('hook_failed', 'redirect is not available on this transport', {
        recoverable: true,
      });
    }
    await this.#o.control.redirect(twiml);
    this.#endReason ??= 'transferred';
    await this.#end('transferred');
  }

  async #fail(reason: 'model_unavailable' | 'model_disconnected', error: VoiceError): Promise<void> {
    if (this.#done) return;
    this.#endReason ??= reason;
    this.#ending = true;
    try {
      await this.#o.onFatal?.({ reason, error });
    } catch (cause) {
      this.#emitError(new VoiceError('hook_failed', 'onFatal hook failed', { recoverable: true, cause }));
    }
    await this.#end(reason);
  }

  async #end(reason: EndReason): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    this.#ending = true;
    const finalReason = this.#endReason ?? reason;
    this.#silence.stop();
    clearTimeout(this.#maxTimer);
    this.#abort.abort();
    this.#audio.release();
    for (const waiter of [...this.#sayQueue.splice(0), ...this.#sayResponses.values()]) waiter();
    this.#sayResponses.clear();
    await this.#tools.settled(); // tool_call events (cancelled) come before `ended`
    this.#phase = 'ended';
    void this.#model?.close().catch(() => {});
    this.#transport.close();
    const stats = this.#tools.stats();
    const ended: Ended = {
      reason: finalReason,
      durationMs: this.#startedAt === undefined ? 0 : this.#now() - this.#startedAt,
      usage: this.#usage,
      latency: this.#audio.latency(),
      bargeIns: this.#audio.bargeIns,
      toolCalls: stats.calls,
    };
    if (this.#endDetail !== undefined) ended.detail = this.#endDetail;
    this.#o.logger?.debug({ reason: finalReason, durationMs: ended.durationMs }, 'call session ended');
    this.#events.emit('ended', ended);
    this.#resolveFinished(ended);
  }

  #emitError(error: VoiceError): void {
    const event: ErrorEvent & { atMs: number } = {
      error,
      recoverable: error.recoverable,
      atMs: this.#atMs(),
    };
    this.#events.emit('error', event);
  }

  #atMs(): number {
    return this.#startedAt === undefined ? 0 : this.#now() - this.#startedAt;
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
