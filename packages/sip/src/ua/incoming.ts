/**
 * An INVITE that starts a call, waiting for the application to decide: `reject(status)`, or
 * `accept()`, which negotiates G.711 from the offer, opens RTP ports, answers 200 with our SDP
 * (retransmitted over UDP until the ACK arrives, RFC 3261 §13.3.1.4) and returns the call.
 * A CANCEL from the caller ends it with 487 before the application answers.
 */

import { createResponse, cseqOf, type SipRequest } from '../message/message.ts';
import { parseNameAddr, parseUri } from '../message/uri.ts';
import { answerDirection, buildSdp, type Negotiated, negotiate, parseSdp, type SdpResult } from '../sdp.ts';
import type { ServerTransaction } from '../transaction/server.ts';
import { TimerSet } from '../transaction/timers.ts';
import type { Flow } from '../transport/flow.ts';
import { type CallHost, SipCall } from './call.ts';
import { Dialog, type LocalContact, newTag } from './dialog.ts';
import { ALLOW } from './in-dialog.ts';
import { closeSockets, createMedia, type MediaConfig, newSdpDescription } from './media.ts';
import { MIN_SE_S, parseSessionExpires, supportsOption } from './session-timer.ts';

export interface IncomingHost extends CallHost {
  media: MediaConfig;
  contact(flow: Flow): LocalContact;
  register(call: SipCall): void;
  /** Our ACK for an outbound call's 2xx, re-sent when the 2xx is retransmitted. */
  rememberAck(callId: string, ack: SipRequest, flow: Flow): void;
}

export class SipError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'SipError';
    this.status = status;
  }
}

export class IncomingInvite {
  readonly request: SipRequest;
  readonly flow: Flow;
  readonly callId: string;
  /** Caller: P-Asserted-Identity user, else From user. Personal data. */
  readonly from: string;
  readonly fromDisplayName: string | undefined;
  /** Dialled number: the Request-URI user, else the To user. */
  readonly to: string;
  /** The SDP offer, parsed (or why it could not be). */
  readonly offer: SdpResult | { ok: false; reason: 'no SDP offer' };
  /** G.711 and telephone-event chosen from the offer; undefined = answer 488. */
  readonly negotiated: Negotiated | undefined;
  #tx: ServerTransaction;
  #host: IncomingHost;
  #toTag = newTag();
  #state: 'pending' | 'accepting' | 'answered' | 'rejected' | 'cancelled' = 'pending';
  #onCancel: Array<() => void> = [];

  #onSettled: (() => void) | undefined;

  /** `onSettled` runs once, when the invite is answered, rejected or cancelled. */
  constructor(request: SipRequest, tx: ServerTransaction, host: IncomingHost, onSettled?: () => void) {
    this.#onSettled = onSettled;
    this.request = request;
    this.flow = tx.flow;
    this.#tx = tx;
    this.#host = host;
    this.callId = request.headers.get('call-id')!;
    const from = parseNameAddr(request.headers.get('from')!);
    const pai = parseNameAddr(request.headers.list('p-asserted-identity')[0] ?? '');
    this.from = userOf(pai?.uri) || userOf(from?.uri) || '';
    this.fromDisplayName = from?.displayName;
    this.to = userOf(request.uri) || userOf(parseNameAddr(request.headers.get('to')!)?.uri) || '';
    const sdpType = (request.headers.get('content-type') ?? '').toLowerCase();
    this.offer =
      request.body.length > 0 && sdpType.startsWith('application/sdp')
        ? parseSdp(request.body.toString('utf8'))
        : { ok: false, reason: 'no SDP offer' };
    this.negotiated = this.offer.ok ? negotiate(this.offer.audio, host.media.codecs) : undefined;
    tx.onCancel = () => this.#cancelled();
  }

  get state(): string {
    return this.#state;
  }

  /** The caller gave up (CANCEL) before we answered. */
  onCancel(listener: () => void): void {
    this.#onCancel.push(listener);
  }

  ringing(): void {
    if (this.#state === 'pending' || this.#state === 'accepting') {
      this.#tx.respond(createResponse(this.request, 180, { toTag: this.#toTag }));
    }
  }

  reject(status: number, reason?: string, headers: Array<[string, string]> = []): void {
    if (this.#state !== 'pending' && this.#state !== 'accepting') return;
    this.#state = 'rejected';
    this.#settle();
    this.#tx.respond(
      createResponse(this.request, status, { toTag: this.#toTag, headers, ...(reason ? { reason } : {}) }),
    );
  }

  async accept(): Promise<SipCall> {
    if (this.#state !== 'pending') throw new SipError(500, `cannot accept an invite that is ${this.#state}`);
    const offer = this.offer.ok ? this.offer.audio : undefined;
    const negotiated = this.negotiated;
    if (!offer || !negotiated) {
      this.reject(488);
      throw new SipError(488, this.offer.ok ? 'no common codec' : this.offer.reason);
    }
    const timer = this.#sessionTimer();
    if (timer === 'too-small') {
      this.reject(422, undefined, [['min-se', String(MIN_SE_S)]]);
      throw new SipError(422, 'session interval too small');
    }
    this.#state = 'accepting';
    const media = this.#host.media;
    let sockets: Awaited<ReturnType<typeof media.ports.allocate>>;
    try {
      sockets = await media.ports.allocate();
    } catch (error) {
      this.reject(503, 'No Media Ports');
      throw new SipError(503, error instanceof Error ? error.message : String(error));
    }
    if (this.#state !== 'accepting') {
      closeSockets(sockets, media.ports);
      throw new SipError(487, 'cancelled while answering');
    }
    const { rtp, bind } = createMedia(media, sockets, negotiated, offer, this.flow.address);
    const direction = answerDirection(offer.direction);
    rtp.update({ sending: direction === 'sendrecv' || direction === 'sendonly' });
    const sdp = newSdpDescription(
      media,
      sockets.port,
      [{ payloadType: negotiated.payloadType, encoding: negotiated.encoding }],
      negotiated.dtmfPayloadType,
      direction,
    );
    const request = this.request;
    const contactUri = parseNameAddr(request.headers.list('contact')[0] ?? '')?.uri;
    const dialog = new Dialog({
      callId: this.callId,
      localTag: this.#toTag,
      remoteTag: parseNameAddr(request.headers.get('from')!)?.params.get('tag') ?? '',
      localAddress: `${request.headers.get('to')!};tag=${this.#toTag}`,
      remoteAddress: request.headers.get('from')!,
      remoteTarget: contactUri && parseUri(contactUri) ? contactUri : request.uri,
      routeSet: request.headers.list('record-route'),
      localSeq: Math.floor(Math.random() * 10_000),
      remoteSeq: cseqOf(request).seq,
      flow: this.flow,
      contact: this.#host.contact(this.flow),
    });
    const call = new SipCall({
      direction: 'inbound',
      dialog,
      rtp,
      host: this.#host,
      from: this.from,
      to: this.to,
      sdp,
      ...(timer ? { sessionTimer: timer } : {}),
    });
    bind(call);
    this.#host.register(call);
    const headers: Array<[string, string]> = [
      ['contact', dialog.contactHeader],
      ['allow', ALLOW],
      ['supported', 'timer'],
      ['content-type', 'application/sdp'],
    ];
    if (timer) {
      headers.push(['session-expires', `${timer.intervalS};refresher=${timer.weRefresh ? 'uas' : 'uac'}`]);
      if (supportsOption(request, 'timer')) headers.push(['require', 'timer']);
    }
    const ok = createResponse(request, 200, {
      toTag: this.#toTag,
      headers,
      body: Buffer.from(buildSdp(sdp)),
    });
    this.#state = 'answered';
    this.#settle();
    this.#tx.respond(ok);
    this.#retransmitUntilAck(call, ok);
    return call;
  }

  #retransmitUntilAck(call: SipCall, ok: ReturnType<typeof createResponse>): void {
    const { t1, t2 } = this.#host.layer.timers;
    const timers = new TimerSet();
    if (this.flow.protocol === 'udp') {
      let interval = t1;
      const again = () => {
        this.#host.layer.sendStateless(ok, this.flow);
        interval = Math.min(interval * 2, t2);
        timers.after(interval, again);
      };
      timers.after(interval, again);
    }
    timers.after(64 * t1, () => {
      timers.clear();
      call.abandon('no ACK for 200');
    });
    call.awaitAck(() => timers.clear());
  }

  /** RFC 4028 at the UAS: undefined = no timer; the peer refreshes when it supports timers. */
  #sessionTimer():
    | { intervalS: number; weRefresh: boolean; peerAllowsUpdate: boolean }
    | 'too-small'
    | undefined {
    const se = parseSessionExpires(this.request);
    if (!se) return undefined;
    if (se.intervalS < MIN_SE_S) return 'too-small';
    const peerSupports = supportsOption(this.request, 'timer');
    const refresher = se.refresher ?? (peerSupports ? 'uac' : 'uas');
    const allow = this.request.headers.list('allow').map((m) => m.toUpperCase());
    return {
      intervalS: se.intervalS,
      weRefresh: refresher === 'uas',
      peerAllowsUpdate: allow.includes('UPDATE'),
    };
  }

  #settle(): void {
    const settled = this.#onSettled;
    this.#onSettled = undefined;
    settled?.();
  }

  #cancelled(): void {
    if (this.#state !== 'pending' && this.#state !== 'accepting') return;
    this.#state = 'cancelled';
    this.#settle();
    this.#tx.respond(createResponse(this.request, 487, { toTag: this.#toTag }));
    for (const listener of this.#onCancel) listener();
  }
}

function userOf(uri: string | undefined): string {
  if (!uri) return '';
  if (/^tel:/i.test(uri)) return uri.slice(4).split(';')[0] ?? '';
  return parseUri(uri)?.user ?? '';
}
