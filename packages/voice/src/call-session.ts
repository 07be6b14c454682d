/**
 * `CallSession` joins one telephony transport and one realtime model for the life of a call.
 * It owns barge-in accounting, the tool loop, timers and the call's end; it branches on
 * `ModelCapabilities`, never on a provider name, and reports everything as typed events.
 * See docs/telephony.md and docs/realtime.md.
 */
import { base64DurationMs, formatIn, sameFormat } from '@switchboard/audio';
import { type EventSource, TypedEmitter } from './emitter.ts';
import { listenerError, modelDropped, toVoiceError, VoiceError } from './errors.ts';
import { DEFAULT_SILENCE_PROMPT, greetingInstructions } from './instructions.ts';
import { lifecycleEvents } from './realtime/lifecycle.ts';
import type { ModelCapabilities, ModelSession, ModelSessionEvents } from './realtime/types.ts';
import { AssistantAudio } from './session/assistant-audio.ts';
import { sessionControl } from './session/control.ts';
import { InputChunker } from './session/input-chunker.ts';
import { InputTimeline } from './session/input-timeline.ts';
import { clamp, maxDurationMs, silenceTimeoutMs } from './session/limits.ts';
import { SayRequests } from './session/say-requests.ts';
import { SilenceWatch } from './session/silence-watch.ts';
import { ToolCalls } from './session/tool-calls.ts';
import type { CallSessionEvents, CallSessionOptions, CallSetup, EndReason } from './session/types.ts';
import type { CallControl } from './tools/types.ts';
import type { TelephonyTransport } from './types.ts';
import { addUsage, emptyUsage } from './usage.ts';

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
  #setup: CallSetup<C>;
  #model: ModelSession | undefined;
  #caps: ModelCapabilities | undefined;
  #audio: AssistantAudio;
  #usage = emptyUsage();
  #tools: ToolCalls<C>;
  #responseActive = false;
  #callerSpeaking = false;
  #inputTimeline = new InputTimeline();
  #input: InputChunker | undefined;
  #silence: SilenceWatch;
  #maxTimer: ReturnType<typeof setTimeout> | undefined;
  #sayRequests = new SayRequests();
  #resolveFinished!: (ended: Ended) => void;
  /** Resolves with the `ended` payload. */
  readonly finished: Promise<Ended> = new Promise((resolve) => {
    this.#resolveFinished = resolve;
  });

  constructor(options: CallSessionOptions<C>) {
    this.#o = options;
    this.#transport = options.transport;
    this.#setup = options.setup;
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
      onSent: (base64, format, itemId) => options.recording?.agent(base64, format, itemId, this.#atMs()),
      onCut: (items) => options.recording?.cut(items, this.#atMs()),
    });
    this.#silence = new SilenceWatch({
      onPrompt: () => {
        this.#model?.createResponse(this.#setup.silencePrompt ?? DEFAULT_SILENCE_PROMPT);
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
    this.#tools.configure(options.setup.toolContext, options.setup.enabledTools ?? []);
    this.#silence.configure(silenceTimeoutMs(options.setup));
    const t = this.#transport;
    t.on('audio', (frame) => {
      if (this.#done) return;
      if (this.#startedAt !== undefined) options.recording?.caller(frame.payload, frame.format, this.#atMs());
      if (this.#phase !== 'live') return;
      this.#input?.push(frame.payload, frame.format);
      this.#inputTimeline.advance(base64DurationMs(frame.payload, frame.format), this.#now());
    });
    t.on('mark', ({ name }) => {
      if (this.#done) return;
      this.#audio.mark(name);
      this.#updateSilence();
    });
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
  readonly control: CallControl = sessionControl({
    hangUp: (reason) => this.#hangUp('agent_hangup', reason),
    redirect: (twiml) => this.#redirect(twiml),
    afterPlayback: () => this.#afterPlayback(),
    setEnding: (ending) => {
      this.#ending = ending;
    },
  });

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
    const played = this.#sayRequests.add();
    model.createResponse(instructions);
    this.#updateSilence();
    return played;
  }

  // ── start ──────────────────────────────────────────────────────────────────────────────

  /**
   * Runs the call: connects the model, greets, relays audio both ways until the call ends.
   * Subscribe to the events first; call once (later calls return the same promise). The
   * transport must have started; one that stopped or closed meanwhile ends the call at once.
   */
  run(): Promise<Ended> {
    if (this.#phase !== 'waiting' || this.#done) return this.finished;
    const state = this.#transport.state;
    if (state === 'waiting')
      throw new VoiceError('telephony_not_started', 'run() before start', { recoverable: false });
    this.#phase = 'connecting';
    this.#startedAt = this.#now();
    if (state === 'stopped') void this.#end('caller_hangup');
    else if (state === 'closed') void this.#end('socket_closed');
    else void this.#connect();
    return this.finished;
  }

  async #connect(): Promise<void> {
    const setup = this.#setup;
    this.#maxTimer = setTimeout(() => void this.#hangUp('max_duration'), maxDurationMs(setup));

    const connectStartedAt = this.#now();
    let model: ModelSession;
    try {
      model = await setup.model.connect({
        session: { ...setup.session, tools: this.#tools.declarations() },
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
      provider: setup.model.provider,
      passthrough:
        formatIn(this.#transport.inputFormat, caps.inputFormats) &&
        sameFormat(caps.outputFormat, this.#transport.outputFormat),
    });
    this.#o.logger?.debug({ provider: setup.model.provider }, 'call session live');
    const greeting = setup.greeting?.trim();
    if (greeting) model.createResponse(greetingInstructions(greeting));
    this.#updateSilence();
  }

  #attach(model: ModelSession): void {
    this.#model = model;
    this.#input = new InputChunker({ chunkMs: this.#o.inputChunkMs ?? 0, send: model.sendAudio.bind(model) });
    this.#caps = model.capabilities;
    this.#tools.attach(model);
    model.on('audio', (audio) => {
      if (this.#done) return;
      this.#audio.forward(audio);
      this.#updateSilence();
    });
    model.on('speech_started', () => {
      if (this.#done) return;
      this.#callerSpeaking = true;
      this.#audio.speechStarted(this.#model, this.#responseActive);
      this.#silence.activity(this.#idle());
    });
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
      this.#sayRequests.started(e.responseId);
      this.#responseActive = true;
      this.#audio.responseStarted();
      this.#updateSilence();
    });
    model.on('response_done', (e) => this.#onResponseDone(e));
    model.on('error', (e) => this.#emitError(e.error));
    model.on('closed', (e) => {
      if (e.expected || this.#done) return;
      const error = modelDropped(e.code, e.reason);
      this.#emitError(error);
      void this.#fail('model_disconnected', error);
    });
  }

  // ── responses and tools ────────────────────────────────────────────────────────────────

  #onResponseDone(e: ModelSessionEvents['response_done']): void {
    this.#responseActive = false;
    if (e.usage) {
      addUsage(this.#usage, e.usage);
      this.#events.emit('usage', { responseId: e.responseId, usage: e.usage, atMs: this.#atMs() });
    }
    this.#audio.responseDone();
    const said = this.#sayRequests.done(e.responseId);
    if (said) void this.#afterPlayback().then(said);
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
    const action = this.#setup.dtmfActions?.[digit];
    this.#events.emit('dtmf', { digit, handled: action !== undefined, atMs: this.#atMs() });
    this.#silence.activity(this.#idle());
    if (!action) {
      if (this.#phase === 'live' && !this.#ending) this.#model?.sendDtmf(digit);
      return;
    }
    const [context, signal] = [this.#setup.toolContext, this.#abort.signal];
    try {
      await action({ digit, context, signal, control: this.control, say: (text) => this.say(text) });
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

  #hangUp(reason: EndReason, detail?: string): Promise<void> {
    const hooks = this.#o.control;
    return this.#endAfter(reason, 'hangup', hooks && (() => hooks.hangup(detail ?? reason)), detail);
  }

  async #redirect(twiml: string): Promise<void> {
    if (this.#done) return;
    const message = 'redirect is not available on this transport';
    if (!this.#o.control) throw new VoiceError('hook_failed', message, { recoverable: true });
    await this.#o.control.redirect(twiml);
    await this.#end('transferred');
  }

  #fail(reason: 'model_unavailable' | 'model_disconnected', error: VoiceError): Promise<void> {
    return this.#endAfter(reason, 'onFatal', () => this.#o.onFatal?.({ reason, error }));
  }

  /** Ends the call once the server's `hook` ran (hang up the phone, record a failure); a failing hook is reported. */
  async #endAfter(reason: EndReason, label: string, hook?: () => unknown, detail?: string): Promise<void> {
    if (this.#done) return;
    this.#endReason ??= reason;
    this.#endDetail ??= detail;
    this.#ending = true;
    try {
      await hook?.();
    } catch (cause) {
      this.#emitError(new VoiceError('hook_failed', `${label} hook failed`, { recoverable: true, cause }));
    }
    await this.#end(reason);
  }

  async #end(reason: EndReason): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    this.#ending = true;
    const finalReason = this.#endReason ?? reason;
    this.#silence.stop();
    this.#input?.stop();
    clearTimeout(this.#maxTimer);
    this.#abort.abort();
    this.#audio.release();
    this.#o.recording?.end(this.#atMs());
    this.#sayRequests.releaseAll();
    await this.#tools.settled(); // tool_call events (cancelled) come before `ended`
    this.#phase = 'ended';
    void this.#model?.close().catch(() => {});
    this.#transport.close();
    const ended: Ended = {
      reason: finalReason,
      durationMs: this.#startedAt === undefined ? 0 : this.#now() - this.#startedAt,
      usage: this.#usage,
      latency: this.#audio.latency(),
      bargeIns: this.#audio.bargeIns,
      toolCalls: this.#tools.stats().calls,
    };
    if (this.#endDetail !== undefined) ended.detail = this.#endDetail;
    this.#o.logger?.debug({ reason: finalReason, durationMs: ended.durationMs }, 'call session ended');
    this.#events.emit('ended', ended);
    this.#resolveFinished(ended);
  }

  #emitError(error: VoiceError): void {
    this.#events.emit('error', { error, recoverable: error.recoverable, atMs: this.#atMs() });
  }

  #atMs(): number {
    return this.#startedAt === undefined ? 0 : this.#now() - this.#startedAt;
  }
}
