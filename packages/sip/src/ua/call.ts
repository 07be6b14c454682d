/**
 * An established SIP call, inbound or outbound: its dialog, its RTP session and the requests
 * inside it (BYE both ways, re-INVITE/UPDATE for hold and session refresh, INFO and RFC 4733
 * DTMF, REFER with NOTIFY progress for blind transfers).
 */
import { EventEmitter } from 'node:events';
import { createResponse, type SipRequest, type SipResponse } from '../message/message.ts';
import type { RtpSession } from '../rtp/session.ts';
import { buildSdp, type SdpDescription } from '../sdp.ts';
import type { ClientCallbacks } from '../transaction/client.ts';
import type { TransactionLayer } from '../transaction/layer.ts';
import type { ServerTransaction } from '../transaction/server.ts';
import type { Dialog } from './dialog.ts';
import { handleInDialog } from './in-dialog.ts';
import { SessionTimer } from './session-timer.ts';

export interface SipCallEvents {
  /** One frame of caller audio (payload in the negotiated codec); `concealed` = silence for a loss. */
  audio: [payload: Buffer, concealed: boolean];
  /** Marks reached: the audio queued before them is on the wire. */
  marks: [names: string[]];
  dtmf: [digit: string, via: 'rtp' | 'info'];
  /** The peer put the call on hold (true) or resumed it (false). */
  hold: [held: boolean];
  /** NOTIFY progress of a REFER we sent (`final` once the transfer succeeded or failed). */
  transfer: [progress: { status: number; reason: string; final: boolean }];
  /** Once. `by: 'remote'` when the peer hung up. */
  ended: [ended: { by: 'remote' | 'local'; reason: string }];
}

/** What a call needs from its user agent. */
export interface CallHost {
  layer: TransactionLayer;
  /** The call ended: forget its dialog. */
  forget(call: SipCall): void;
}

export interface SipCallInit {
  direction: 'inbound' | 'outbound';
  dialog: Dialog;
  rtp: RtpSession;
  host: CallHost;
  /** Caller and callee user parts (phone numbers on a trunk). Personal data. */
  from: string;
  to: string;
  sdp: SdpDescription;
  /** Session timer from the INVITE exchange, when negotiated. */
  sessionTimer?: { intervalS: number; weRefresh: boolean; peerAllowsUpdate: boolean };
}

export class SipCall extends EventEmitter<SipCallEvents> {
  readonly direction: 'inbound' | 'outbound';
  readonly dialog: Dialog;
  readonly rtp: RtpSession;
  readonly from: string;
  readonly to: string;
  #host: CallHost;
  #ended = false;
  #held = false;
  #sdp: SdpDescription;
  #timer: SessionTimer | undefined;
  #awaitingAck: (() => void) | undefined;

  constructor(init: SipCallInit) {
    super();
    this.direction = init.direction;
    this.dialog = init.dialog;
    this.rtp = init.rtp;
    this.from = init.from;
    this.to = init.to;
    this.#host = init.host;
    this.#sdp = init.sdp;
    const timer = init.sessionTimer;
    if (timer) {
      this.#timer = new SessionTimer({
        intervalS: timer.intervalS,
        weRefresh: timer.weRefresh,
        refresh: () => this.#refresh(timer.peerAllowsUpdate, timer.intervalS),
        expire: () => void this.hangup('session_expired'),
      });
    }
  }

  get callId(): string {
    return this.dialog.callId;
  }
  get ended(): boolean {
    return this.#ended;
  }
  get held(): boolean {
    return this.#held;
  }
  get sdp(): SdpDescription {
    return this.#sdp;
  }

  /** The negotiated codec of both directions. */
  get encoding(): 'pcmu' | 'pcma' {
    return this.rtp.encoding;
  }

  /** Queues agent audio (negotiated codec) for paced sending. */
  sendAudio(audio: Buffer): void {
    this.rtp.sendAudio(audio);
  }

  /** A `marks` event names `name` once the audio queued so far is on the wire. */
  mark(name: string): void {
    this.rtp.mark(name);
  }

  /** Drops queued agent audio at once (barge-in); returns the marks it voids. */
  clear(): string[] {
    return this.rtp.clear();
  }

  /** Subscribes to the media events in one go; returns the unsubscribe function. */
  subscribe(handlers: {
    audio(payload: Buffer, concealed: boolean): void;
    marks(names: string[]): void;
    dtmf(digit: string): void;
    ended(ended: { by: 'remote' | 'local'; reason: string }): void;
  }): () => void {
    const dtmf = (digit: string) => handlers.dtmf(digit);
    this.on('audio', handlers.audio);
    this.on('marks', handlers.marks);
    this.on('dtmf', dtmf);
    this.on('ended', handlers.ended);
    return () => {
      this.off('audio', handlers.audio);
      this.off('marks', handlers.marks);
      this.off('dtmf', dtmf);
      this.off('ended', handlers.ended);
    };
  }

  /** Ends the call with a BYE (not awaited by the caller: the call is over locally at once). */
  async hangup(reason = 'hangup'): Promise<void> {
    if (this.#ended) return;
    this.#finish('local', reason);
    const { request, branch } = this.dialog.request('BYE', {
      headers: [['reason', `SIP;cause=200;text="${reason.replace(/"/g, '')}"`]],
    });
    await this.#send(request, branch).catch(() => undefined);
  }

  /**
   * Blind transfer (RFC 3515): asks the peer to call `target` (a SIP URI). Resolves with the
   * REFER's final status (202 = accepted); progress then arrives as `transfer` events.
   */
  async refer(target: string): Promise<number> {
    if (this.#ended) return 481;
    const { request, branch } = this.dialog.request('REFER', {
      headers: [
        ['refer-to', `<${target}>`],
        ['referred-by', `<sip:switchboard@${this.dialog.contact.host}>`],
      ],
    });
    const response = await this.#send(request, branch);
    return response.status;
  }

  /** Sends DTMF digits: RFC 4733 when negotiated, else SIP INFO (application/dtmf-relay). */
  sendDigits(digits: string): void {
    if (this.#ended) return;
    if (this.rtp.sendDigits(digits)) return;
    void (async () => {
      for (const digit of digits) {
        const { request, branch } = this.dialog.request('INFO', {
          body: Buffer.from(`Signal=${digit}\r\nDuration=160\r\n`),
          contentType: 'application/dtmf-relay',
        });
        await this.#send(request, branch).catch(() => undefined);
      }
    })();
  }

  // ── called by the user agent ──────────────────────────────────────────────────────────

  /** The 200 to our peer's INVITE is out; `onAck` stops its retransmission. */
  awaitAck(stop: () => void): void {
    this.#awaitingAck = stop;
  }

  ack(): void {
    this.#awaitingAck?.();
    this.#awaitingAck = undefined;
  }

  /** A request inside this dialog. */
  handleRequest(request: SipRequest, tx: ServerTransaction): void {
    if (this.#ended && request.method !== 'BYE') {
      tx.respond(createResponse(request, 481));
      return;
    }
    handleInDialog(this, request, tx, {
      bye: () => this.#finish('remote', 'bye'),
      refreshed: () => this.#timer?.refreshed(),
      setHeld: (held) => {
        if (held === this.#held) return;
        this.#held = held;
        this.rtp.update({ sending: !held });
        this.emit('hold', held);
      },
      setSdp: (sdp) => {
        this.#sdp = sdp;
      },
    });
  }

  /** The peer never ACKed our 200, or its flow failed: the call is over. */
  abandon(reason: string): void {
    if (this.#ended) return;
    void this.hangup(reason);
  }

  #finish(by: 'remote' | 'local', reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#timer?.stop();
    this.#awaitingAck?.();
    this.rtp.close();
    this.#host.forget(this);
    this.emit('ended', { by, reason });
  }

  #send(request: SipRequest, branch: string): Promise<SipResponse> {
    return new Promise((resolve) => {
      const callbacks: ClientCallbacks = {
        onFinal: (response) => {
          if (request.method === 'INVITE' && response.status < 300) {
            const ack = this.dialog.request('ACK', {
              seq: Number(request.headers.get('cseq')!.split(' ')[0]),
            });
            this.#host.layer.sendStateless(ack.request, this.dialog.flow);
          }
          if (response.status === 481 || response.status === 408) {
            // The peer no longer knows this call (RFC 3261 §12.2.1.2).
            if (request.method !== 'BYE')
              this.#finish('remote', `in-dialog ${request.method} got ${response.status}`);
          }
          resolve(response);
        },
      };
      this.#host.layer.request(request, this.dialog.flow, branch, callbacks);
    });
  }

  /** Our turn to refresh the session: UPDATE without SDP when allowed, else a re-INVITE with the same SDP. */
  async #refresh(useUpdate: boolean, intervalS: number): Promise<void> {
    if (this.#ended) return;
    const headers: Array<[string, string]> = [
      ['session-expires', `${intervalS};refresher=${this.direction === 'inbound' ? 'uas' : 'uac'}`],
      ['supported', 'timer'],
    ];
    const { request, branch } = useUpdate
      ? this.dialog.request('UPDATE', { headers })
      : this.dialog.request('INVITE', { headers, body: Buffer.from(buildSdp(this.#sdp)) });
    const response = await this.#send(request, branch);
    if (response.status >= 300 && response.status !== 491)
      throw new Error(`refresh failed: ${response.status}`);
  }
}
