/**
 * A call we place through a trunk: INVITE with our SDP offer to the trunk's outbound proxy,
 * answering one 401/407 digest challenge (and a `stale` one), ringing until `ringTimeoutMs`
 * (then CANCEL), and on 2xx the ACK, the dialog and the call. The outcome maps SIP statuses
 * onto the product's: busy (486, 600, 603), no_answer (408, 480, 487 after our ring timeout),
 * failed (everything else, including authentication failures and no common codec).
 */

import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type DigestCredentials, digestAuthorization, parseChallenge } from '../digest.ts';
import { SipHeaders } from '../message/headers.ts';
import type { SipRequest, SipResponse } from '../message/message.ts';
import { parseNameAddr, parseUri } from '../message/uri.ts';
import { buildSdp, negotiate, parseSdp } from '../sdp.ts';
import { isLocalFailure } from '../transaction/client.ts';
import { newBranch } from '../transaction/layer.ts';
import type { Flow } from '../transport/flow.ts';
import { SipCall } from './call.ts';
import { Dialog, newTag } from './dialog.ts';
import { ALLOW } from './in-dialog.ts';
import type { IncomingHost } from './incoming.ts';
import { closeSockets, createMedia, newSdpDescription, STATIC_PT } from './media.ts';
import { DEFAULT_SESSION_EXPIRES_S, parseSessionExpires } from './session-timer.ts';

export interface OutboundCallOptions {
  /** Request-URI, e.g. `sip:+15551234567@sip.carrier.example`. */
  uri: string;
  /** Where to send it: the trunk's outbound proxy. */
  proxy: Flow;
  /** Our caller id (user part of From), e.g. `+15557654321`. */
  from: string;
  /** Host part of From (default: the proxy's host). */
  fromHost?: string;
  credentials?: DigestCredentials;
  /** Ring time before we CANCEL, ms (default 30 000). */
  ringTimeoutMs?: number;
  headers?: Array<[string, string]>;
}

export type OutboundOutcome = 'answered' | 'busy' | 'no_answer' | 'failed' | 'cancelled';

export type OutboundResult =
  | { outcome: 'answered'; status: number; call: SipCall }
  | { outcome: Exclude<OutboundOutcome, 'answered'>; status: number; reason: string };

export interface OutgoingCallEvents {
  /** 18x: the far end is ringing (180) or has early media (183). */
  progress: [status: number];
}

export class OutgoingCall extends EventEmitter<OutgoingCallEvents> {
  readonly callId = randomUUID();
  readonly result: Promise<OutboundResult>;
  #o: OutboundCallOptions;
  #host: IncomingHost;
  #fromTag = newTag();
  #seq = 1;
  #invite: SipRequest | undefined;
  #ack: SipRequest | undefined;
  #provisional = false;
  #done = false;
  #cancelReason: 'no_answer' | 'cancelled' | undefined;
  #resolve!: (result: OutboundResult) => void;

  constructor(options: OutboundCallOptions, host: IncomingHost) {
    super();
    this.#o = options;
    this.#host = host;
    this.result = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    void this.#start().catch((error: unknown) =>
      this.#finish({
        outcome: 'failed',
        status: 500,
        reason: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  /** Gives up before the answer (CANCEL once the far end has sent a provisional response). */
  cancel(): void {
    this.#cancel('cancelled');
  }

  async #start(): Promise<void> {
    const media = this.#host.media;
    const sockets = await media.ports.allocate();
    const codecs = (media.codecs ?? ['pcmu', 'pcma']).map((encoding) => ({
      payloadType: STATIC_PT[encoding],
      encoding,
    }));
    const dtmfPt = media.dtmfPayloadType ?? 101;
    const sdp = newSdpDescription(media, sockets.port, codecs, dtmfPt);
    const contact = this.#host.contact(this.#o.proxy);
    const fromHost = this.#o.fromHost ?? this.#o.proxy.address;
    const transport = this.#o.proxy.protocol === 'tcp' ? 'TCP' : 'UDP';
    const headers = new SipHeaders();
    headers.add('via', `SIP/2.0/${transport} ${contact.host}:${contact.port};branch=${newBranch()};rport`);
    headers.add('max-forwards', '70');
    headers.add('from', `<sip:${this.#o.from}@${fromHost}>;tag=${this.#fromTag}`);
    headers.add('to', `<${this.#o.uri}>`);
    headers.add('call-id', this.callId);
    headers.add('cseq', `${this.#seq} INVITE`);
    headers.add(
      'contact',
      `<sip:switchboard@${contact.host}:${contact.port}${transport === 'TCP' ? ';transport=tcp' : ''}>`,
    );
    headers.add('allow', ALLOW);
    headers.add('supported', 'timer');
    headers.add('session-expires', String(DEFAULT_SESSION_EXPIRES_S));
    headers.add('user-agent', 'Switchboard');
    headers.add('content-type', 'application/sdp');
    for (const [name, value] of this.#o.headers ?? []) headers.add(name, value);
    this.#invite = {
      type: 'request',
      method: 'INVITE',
      uri: this.#o.uri,
      headers,
      body: Buffer.from(buildSdp(sdp)),
    };
    const ringTimer = setTimeout(() => this.#cancel('no_answer'), this.#o.ringTimeoutMs ?? 30_000);
    let challenges = 0;
    for (;;) {
      const response = await this.#send(this.#invite);
      if (response.status === 401 || response.status === 407) {
        const challenge = parseChallenge(
          response.headers.get(response.status === 401 ? 'www-authenticate' : 'proxy-authenticate') ?? '',
        );
        const again = challenges === 0 || challenge?.stale;
        if (challenge && this.#o.credentials && again && challenges < 2 && !this.#cancelReason) {
          challenges++;
          this.#invite = this.#withAuth(
            this.#invite,
            response.status,
            digestAuthorization(challenge, this.#o.credentials, 'INVITE', this.#o.uri),
          );
          continue;
        }
      }
      clearTimeout(ringTimer);
      if (response.status >= 300 || this.#done) {
        closeSockets(sockets, media.ports);
        return this.#finish(failure(response, this.#cancelReason));
      }
      return this.#answered(response, sockets, sdp);
    }
  }

  #send(invite: SipRequest): Promise<SipResponse> {
    return new Promise((resolve) => {
      const branch = /branch=([^;,\s]+)/.exec(invite.headers.list('via')[0]!)![1]!;
      this.#provisional = false;
      this.#host.layer.request(invite, this.#o.proxy, branch, {
        onProvisional: (response) => {
          this.#provisional = true;
          if (response.status > 100) this.emit('progress', response.status);
          if (this.#cancelReason) this.#sendCancel();
        },
        onFinal: (response) => {
          // A retransmitted 2xx (our ACK was lost) is ACKed again (RFC 3261 §13.2.2.4).
          if (this.#ack && response.status < 300) this.#host.layer.sendStateless(this.#ack, this.#o.proxy);
          resolve(response);
        },
      });
    });
  }

  #withAuth(invite: SipRequest, status: number, authorization: string): SipRequest {
    const headers = invite.headers.clone();
    headers.shift('via');
    const transport = this.#o.proxy.protocol === 'tcp' ? 'TCP' : 'UDP';
    const contact = this.#host.contact(this.#o.proxy);
    headers.prepend(
      'via',
      `SIP/2.0/${transport} ${contact.host}:${contact.port};branch=${newBranch()};rport`,
    );
    headers.set('cseq', `${++this.#seq} INVITE`);
    headers.delete('authorization').delete('proxy-authorization');
    headers.add(status === 401 ? 'authorization' : 'proxy-authorization', authorization);
    return { ...invite, headers };
  }

  #answered(
    response: SipResponse,
    sockets: Awaited<ReturnType<IncomingHost['media']['ports']['allocate']>>,
    sdp: ReturnType<typeof newSdpDescription>,
  ): void {
    const media = this.#host.media;
    const to = response.headers.get('to')!;
    const contactUri = parseNameAddr(response.headers.list('contact')[0] ?? '')?.uri;
    const dialog = new Dialog({
      callId: this.callId,
      localTag: this.#fromTag,
      remoteTag: parseNameAddr(to)?.params.get('tag') ?? '',
      localAddress: this.#invite!.headers.get('from')!,
      remoteAddress: to,
      remoteTarget: contactUri && parseUri(contactUri) ? contactUri : this.#o.uri,
      routeSet: response.headers.list('record-route').reverse(),
      localSeq: this.#seq,
      remoteSeq: 0,
      flow: this.#o.proxy,
      contact: this.#host.contact(this.#o.proxy),
    });
    const ack = dialog.request('ACK', { seq: this.#seq });
    this.#ack = ack.request;
    this.#host.layer.sendStateless(ack.request, this.#o.proxy);
    this.#host.rememberAck(this.callId, ack.request, this.#o.proxy);
    const answer = parseSdp(response.body.toString('utf8'));
    const negotiated = answer.ok ? negotiate(answer.audio, media.codecs) : undefined;
    if (!answer.ok || !negotiated) {
      closeSockets(sockets, media.ports);
      const bye = dialog.request('BYE', { headers: [['reason', 'SIP;cause=488;text="no common codec"']] });
      this.#host.layer.request(bye.request, this.#o.proxy, bye.branch, { onFinal: () => {} });
      this.#finish({
        outcome: 'failed',
        status: 488,
        reason: answer.ok ? 'no common codec in the answer' : answer.reason,
      });
      return;
    }
    const { rtp, bind } = createMedia(media, sockets, negotiated, answer.audio, this.#o.proxy.address);
    const se = parseSessionExpires(response);
    const allow = response.headers.list('allow').map((m) => m.toUpperCase());
    const call = new SipCall({
      direction: 'outbound',
      dialog,
      rtp,
      host: this.#host,
      from: this.#o.from,
      to: parseUri(this.#o.uri)?.user ?? '',
      sdp: { ...sdp, codecs: [{ payloadType: negotiated.payloadType, encoding: negotiated.encoding }] },
      ...(se
        ? {
            sessionTimer: {
              intervalS: se.intervalS,
              weRefresh: se.refresher !== 'uas',
              peerAllowsUpdate: allow.includes('UPDATE'),
            },
          }
        : {}),
    });
    bind(call);
    this.#host.register(call);
    this.#finish({ outcome: 'answered', status: response.status, call });
  }

  #cancel(reason: 'no_answer' | 'cancelled'): void {
    if (this.#done || this.#cancelReason) return;
    this.#cancelReason = reason;
    if (this.#provisional) this.#sendCancel();
    // Without a provisional response we may not CANCEL (RFC 3261 §9.1): the INVITE times out or
    // is answered; an answer that comes now is hung up in #finish.
  }

  #sendCancel(): void {
    const invite = this.#invite;
    if (!invite) return;
    const headers = new SipHeaders();
    const via = invite.headers.list('via')[0]!;
    headers.add('via', via);
    for (const route of invite.headers.list('route')) headers.add('route', route);
    headers.add('max-forwards', '70');
    headers.add('from', invite.headers.get('from')!);
    headers.add('to', invite.headers.get('to')!);
    headers.add('call-id', this.callId);
    headers.add('cseq', `${this.#seq} CANCEL`);
    const cancel: SipRequest = {
      type: 'request',
      method: 'CANCEL',
      uri: invite.uri,
      headers,
      body: Buffer.alloc(0),
    };
    const branch = /branch=([^;,\s]+)/.exec(via)![1]!;
    this.#host.layer.request(cancel, this.#o.proxy, branch, { onFinal: () => {} });
  }

  #finish(result: OutboundResult): void {
    if (this.#done) {
      if (result.outcome === 'answered') void result.call.hangup('cancelled');
      return;
    }
    this.#done = true;
    if (result.outcome === 'answered' && this.#cancelReason) {
      void result.call.hangup(this.#cancelReason);
      this.#resolve({ outcome: this.#cancelReason, status: 487, reason: 'answered after we gave up' });
      return;
    }
    this.#resolve(result);
  }
}

function failure(response: SipResponse, cancelled: 'no_answer' | 'cancelled' | undefined): OutboundResult {
  const reason = response.reason || String(response.status);
  if (isLocalFailure(response)) {
    const why = response.status === 408 ? 'no response from the trunk' : 'the trunk could not be reached';
    return {
      outcome: cancelled === 'cancelled' ? 'cancelled' : 'failed',
      status: response.status,
      reason: why,
    };
  }
  if (response.status === 487 && cancelled) return { outcome: cancelled, status: 487, reason };
  if ([486, 600, 603].includes(response.status)) return { outcome: 'busy', status: response.status, reason };
  if ([408, 480, 487].includes(response.status))
    return { outcome: 'no_answer', status: response.status, reason };
  return { outcome: 'failed', status: response.status, reason };
}
