/**
 * A SIP call as a {@link TelephonyTransport} (docs/sip.md), so trunk calls run through the
 * same `CallSession` as Twilio and browser calls.
 *
 * The SIP stack (`@switchboard/sip`) negotiates the call and runs its RTP; this adapter only
 * translates. Caller audio arrives as RTP frames in the negotiated G.711 codec and is passed
 * on as base64 without decoding. Agent audio is queued on the call's paced RTP sender, which
 * knows when each byte went on the wire: a mark comes back once the audio before it was sent,
 * the exact equivalent of Twilio echoing a mark, so heard-ms accounting is unchanged. `clear`
 * empties the sender's queue at once and echoes the voided marks, as Twilio does.
 *
 * There is no provider handshake: `start` is emitted on the microtask after the first `start`
 * listener subscribes (as in the browser transport). A BYE from the peer is `stop` then
 * `closed`; `close()` hangs up with a BYE when the call is still up.
 */
import { describeFormat, PCMA_8K, PCMU_8K, sameFormat } from '@switchboard/audio';
import { TypedEmitter } from '../emitter.ts';
import { errorEvent, listenerError, VoiceError } from '../errors.ts';
import type {
  AudioFormat,
  Logger,
  TelephonyEvents,
  TelephonyStartInfo,
  TelephonyTransport,
  TransportState,
} from '../types.ts';
import { DeferredStart } from './deferred-start.ts';

/** What the transport needs from a SIP call; `SipCall` of `@switchboard/sip` provides it. */
export interface SipCallLike {
  readonly callId: string;
  readonly ended: boolean;
  readonly encoding: 'pcmu' | 'pcma';
  sendAudio(audio: Buffer): void;
  mark(name: string): void;
  clear(): string[];
  sendDigits(digits: string): void;
  hangup(reason?: string): Promise<void>;
  subscribe(handlers: {
    audio(payload: Buffer, concealed: boolean): void;
    marks(names: string[]): void;
    dtmf(digit: string): void;
    ended(ended: { by: 'remote' | 'local'; reason: string }): void;
  }): () => void;
}

export interface SipTransportOptions {
  call: SipCallLike;
  /** Passed through as `start.customParameters` (trunk id, direction…). May hold personal data. */
  customParameters?: Record<string, string>;
  logger?: Logger;
}

export interface SipTransportStats {
  audioFramesReceived: number;
  concealedFrames: number;
  audioChunksSent: number;
  marksSent: number;
  clears: number;
}

type State = 'connecting' | 'started' | 'stopped' | 'closed';

export class SipTransport implements TelephonyTransport {
  readonly callSid: string;
  readonly streamSid: string;
  #call: SipCallLike;
  #format: AudioFormat;
  #events: TypedEmitter<TelephonyEvents>;
  #deferred: DeferredStart;
  #customParameters: Record<string, string>;
  #logger: Logger | undefined;
  #state: State = 'connecting';
  #start: TelephonyStartInfo | undefined;
  #receivedMs = 0;
  #unsubscribe: () => void;
  #stats: SipTransportStats = {
    audioFramesReceived: 0,
    concealedFrames: 0,
    audioChunksSent: 0,
    marksSent: 0,
    clears: 0,
  };

  constructor(options: SipTransportOptions) {
    this.#call = options.call;
    this.callSid = options.call.callId;
    this.streamSid = `${options.call.callId}-rtp`;
    this.#format = options.call.encoding === 'pcma' ? PCMA_8K : PCMU_8K;
    this.#customParameters = { ...options.customParameters };
    this.#logger = options.logger;
    this.#events = new TypedEmitter<TelephonyEvents>((error, event) => {
      if (event === 'error') return;
      this.#events.emit('error', errorEvent(listenerError(error, String(event))));
    });
    this.#deferred = new DeferredStart(this.#events, () => this.#maybeStart());
    this.#unsubscribe = this.#call.subscribe({
      audio: (payload, concealed) => this.#onAudio(payload, concealed),
      // Marks are reached inside sendAudio/sendMark; they are reported on a later microtask.
      marks: (names) => queueMicrotask(() => this.#emitMarks(names)),
      dtmf: (digit) => {
        if (this.#state === 'started') this.#events.emit('dtmf', { digit });
      },
      ended: ({ by, reason }) => this.#onEnded(by, reason),
    });
    if (this.#call.ended) queueMicrotask(() => this.#onEnded('remote', 'ended before start'));
    queueMicrotask(() => this.#maybeStart());
  }

  on: TelephonyTransport['on'] = (event, listener) => this.#deferred.on(event, listener);
  once: TelephonyTransport['once'] = (event, listener) => this.#deferred.once(event, listener);
  off: TelephonyTransport['off'] = (event, listener) => this.#events.off(event, listener);

  get state(): TransportState {
    return this.#state === 'connecting' ? 'waiting' : this.#state;
  }
  get startInfo(): TelephonyStartInfo | undefined {
    return this.#start;
  }
  get inputFormat(): AudioFormat {
    return this.#format;
  }
  get outputFormat(): AudioFormat {
    return this.#format;
  }
  get stats(): Readonly<SipTransportStats> {
    return { ...this.#stats };
  }

  sendAudio(payload: string, format: AudioFormat): void {
    if (!sameFormat(format, this.#format)) {
      this.#report('unsupported_format', `this SIP call plays only ${describeFormat(this.#format)}`, {
        format: describeFormat(format),
      });
      return;
    }
    if (this.#state !== 'started') return;
    this.#call.sendAudio(Buffer.from(payload, 'base64'));
    this.#stats.audioChunksSent++;
  }

  sendMark(name: string): void {
    if (this.#state !== 'started') return;
    this.#stats.marksSent++;
    this.#call.mark(name);
  }

  clear(): void {
    if (this.#state !== 'started') return;
    this.#stats.clears++;
    const voided = this.#call.clear();
    // Echoed later, never inside `clear()`: the caller voids its marks right after clearing.
    if (voided.length > 0) queueMicrotask(() => this.#emitMarks(voided));
  }

  /** Sends DTMF to the far end (RFC 4733, or SIP INFO when telephone-event was not negotiated). */
  sendDigits(digits: string): void {
    if (this.#state === 'started') this.#call.sendDigits(digits);
  }

  /** Hangs up with a BYE when the call is still up; `closed` follows. */
  close(): void {
    if (this.#state === 'closed') return;
    if (!this.#call.ended) {
      this.#call.hangup('call ended').catch((error: unknown) => {
        this.#logger?.debug({ err: error }, 'sip hangup failed');
      });
    }
    this.#onEnded('local', 'closed');
  }

  #maybeStart(): void {
    if (this.#state !== 'connecting') return;
    if (this.#events.listenerCount('start') === 0) {
      this.#deferred.wait();
      return;
    }
    this.#state = 'started';
    const info: TelephonyStartInfo = {
      callSid: this.callSid,
      streamSid: this.streamSid,
      customParameters: { ...this.#customParameters },
      mediaFormat: this.#format,
      tracks: ['inbound'],
    };
    this.#start = info;
    this.#events.emit('start', info);
  }

  #onAudio(payload: Buffer, concealed: boolean): void {
    if (this.#state !== 'started') return;
    this.#stats.audioFramesReceived++;
    if (concealed) this.#stats.concealedFrames++;
    const timestampMs = Math.round(this.#receivedMs);
    this.#receivedMs += payload.length / 8;
    this.#events.emit('audio', { payload: payload.toString('base64'), format: this.#format, timestampMs });
  }

  #emitMarks(names: string[]): void {
    if (this.#state !== 'started' && this.#state !== 'stopped') return;
    for (const name of names) this.#events.emit('mark', { name });
  }

  #onEnded(by: 'remote' | 'local', reason: string): void {
    if (this.#state === 'closed') return;
    const wasStarted = this.#state === 'started';
    if (by === 'remote' && wasStarted) {
      this.#state = 'stopped';
      this.#events.emit('stop', { reason });
    }
    this.#state = 'closed';
    this.#unsubscribe();
    this.#events.emit('closed', { code: 1000, reason });
  }

  #report(code: 'unsupported_format', message: string, details: Record<string, unknown>): void {
    this.#events.emit(
      'error',
      errorEvent(new VoiceError(code, `sip: ${message}`, { recoverable: true, details })),
    );
  }
}
