/**
 * The SIP user agent: listens on UDP and TCP, screens every request (rate limits per source,
 * bounded pending INVITEs), routes in-dialog requests to their call, answers OPTIONS pings, and
 * hands new INVITEs to the application (`onInvite`), which checks the trunk and the number and
 * then accepts or rejects. Outbound calls start with `call()`.
 */

import type { ParseLimits } from '../message/message.ts';
import { createResponse, type SipMessage, type SipRequest, type SipResponse } from '../message/message.ts';
import { parseNameAddr } from '../message/uri.ts';
import { RtpPortPool } from '../rtp/ports.ts';
import { MediaTicker } from '../rtp/ticker.ts';
import { TransactionLayer } from '../transaction/layer.ts';
import type { ServerTransaction } from '../transaction/server.ts';
import type { TimerValues } from '../transaction/timers.ts';
import type { Flow } from '../transport/flow.ts';
import { SipNetwork } from '../transport/network.ts';
import { LogOnce } from '../util/log-once.ts';
import { RateLimiter } from '../util/rate-limit.ts';
import type { SipCall } from './call.ts';
import type { LocalContact } from './dialog.ts';
import { ALLOW } from './in-dialog.ts';
import { type IncomingHost, IncomingInvite } from './incoming.ts';
import type { MediaConfig } from './media.ts';
import { type OutboundCallOptions, OutgoingCall } from './outgoing.ts';

export interface SipLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SipUserAgentOptions {
  /** Listen address (default 0.0.0.0). */
  host?: string;
  /** SIP port, UDP and TCP (0 = any free port). */
  port: number;
  /** Also listen on TCP (default true). */
  tcp?: boolean;
  /** Address written into Via and Contact (the one peers reach us at). */
  publicAddress: string;
  /** RTP: port range, address for SDP, codecs. The ticker defaults to a new one. */
  media: Omit<MediaConfig, 'ticker' | 'ports'> & {
    ports: RtpPortPool | { min: number; max: number };
    ticker?: MediaTicker;
  };
  timers?: Partial<TimerValues>;
  limits?: Partial<ParseLimits>;
  /** New INVITEs per unknown source address (default 5/s, bursts of 20). Beyond: 503 with Retry-After. */
  inviteRate?: { ratePerSecond: number; burst: number };
  /** Sources the application expects calls from (its trunks' addresses): they get `trustedInviteRate`. */
  trustedSource?(address: string): boolean;
  /** New INVITEs per trusted source address (default 100/s, bursts of 200). */
  trustedInviteRate?: { ratePerSecond: number; burst: number };
  /** Any request per source address (default 200/s, bursts of 400). Beyond: dropped silently. */
  requestRate?: { ratePerSecond: number; burst: number };
  /** INVITEs waiting for the application at once (default 200). Beyond: 503. */
  maxPendingInvites?: number;
  logger?: SipLogger;
  /** A new call: `accept()` or `reject(status)` it. Must not throw. */
  onInvite(invite: IncomingInvite): void;
}

export class SipUserAgent {
  #o: SipUserAgentOptions;
  #network!: SipNetwork;
  #layer: TransactionLayer;
  #media: MediaConfig;
  #calls = new Map<string, SipCall>();
  #acks = new Map<string, { ack: SipRequest; flow: Flow }>();
  #pending = 0;
  #inviteLimiter: RateLimiter;
  #trustedLimiter: RateLimiter;
  #requestLimiter: RateLimiter;
  #logOnce = new LogOnce();
  #host: IncomingHost;

  private constructor(options: SipUserAgentOptions) {
    this.#o = options;
    const ports =
      options.media.ports instanceof RtpPortPool
        ? options.media.ports
        : new RtpPortPool({ ...options.media.ports, ...(options.host ? { host: options.host } : {}) });
    this.#media = {
      ...options.media,
      ports,
      ticker: options.media.ticker ?? new MediaTicker(),
      onRejectedSource: (address, port) => this.#refuse(address, 'rtp from an unexpected address', { port }),
    };
    this.#inviteLimiter = new RateLimiter(options.inviteRate ?? { ratePerSecond: 5, burst: 20 });
    this.#trustedLimiter = new RateLimiter(options.trustedInviteRate ?? { ratePerSecond: 100, burst: 200 });
    this.#requestLimiter = new RateLimiter(options.requestRate ?? { ratePerSecond: 200, burst: 400 });
    this.#layer = new TransactionLayer({
      send: (message, flow) => this.#network.send(message, flow),
      ...(options.timers ? { timers: options.timers } : {}),
      onRequest: (request, tx) => this.#onRequest(request, tx),
      onAck: (ack) => this.#calls.get(dialogKey(ack, 'to'))?.ack(),
      onStrayResponse: (response) => this.#reAck(response),
    });
    this.#host = {
      layer: this.#layer,
      media: this.#media,
      contact: (): LocalContact => ({ host: options.publicAddress, port: this.port }),
      register: (call) => this.#calls.set(`${call.callId}|${call.dialog.localTag}`, call),
      forget: (call) => {
        this.#calls.delete(`${call.callId}|${call.dialog.localTag}`);
        this.#acks.delete(call.callId);
      },
      rememberAck: (callId, ack, flow) => this.#acks.set(callId, { ack, flow }),
    };
  }

  static async start(options: SipUserAgentOptions): Promise<SipUserAgent> {
    const agent = new SipUserAgent(options);
    agent.#network = await SipNetwork.listen({
      port: options.port,
      ...(options.host ? { host: options.host } : {}),
      ...(options.tcp === undefined ? {} : { tcp: options.tcp }),
      ...(options.limits ? { limits: options.limits } : {}),
      onMessage: (message, flow) => agent.#onMessage(message, flow),
      onDrop: (reason, flow) => agent.#refuse(flow.address, reason, { protocol: flow.protocol }),
      onFlowError: (flow) => agent.#layer.flowFailed(flow),
    });
    return agent;
  }

  get port(): number {
    return this.#network.port;
  }
  get activeCalls(): number {
    return this.#calls.size;
  }
  get ports(): RtpPortPool {
    return this.#media.ports;
  }
  get ticker(): MediaTicker {
    return this.#media.ticker;
  }

  /** Places a call through a trunk. */
  call(options: OutboundCallOptions): OutgoingCall {
    return new OutgoingCall(options, this.#host);
  }

  /** Hangs up every call and stops listening. */
  async close(): Promise<void> {
    await Promise.all([...this.#calls.values()].map((call) => call.hangup('shutdown')));
    this.#layer.close();
    this.#network.close();
  }

  #onMessage(message: SipMessage, flow: Flow): void {
    if (message.type === 'request' && !this.#requestLimiter.take(flow.address)) {
      this.#refuse(flow.address, 'request rate limit');
      return;
    }
    this.#layer.receive(message, flow);
  }

  #onRequest(request: SipRequest, tx: ServerTransaction): void {
    const respond = (status: number, headers: Array<[string, string]> = []) =>
      tx.respond(createResponse(request, status, { headers }));
    const toTag = parseNameAddr(request.headers.get('to')!)?.params.get('tag');
    if (toTag) {
      const call = this.#calls.get(dialogKey(request, 'to'));
      if (call) call.handleRequest(request, tx);
      else respond(481);
      return;
    }
    switch (request.method) {
      case 'INVITE':
        this.#onInvite(request, tx);
        return;
      case 'OPTIONS':
        respond(200, [
          ['allow', ALLOW],
          ['accept', 'application/sdp'],
          ['supported', 'timer'],
        ]);
        return;
      case 'BYE':
      case 'INFO':
      case 'NOTIFY':
      case 'UPDATE':
      case 'REFER':
        respond(481);
        return;
      case 'REGISTER':
      case 'SUBSCRIBE':
      case 'MESSAGE':
      case 'PUBLISH':
        respond(405, [['allow', ALLOW]]);
        return;
      default:
        respond(501);
        return;
    }
  }

  #onInvite(request: SipRequest, tx: ServerTransaction): void {
    const source = tx.flow.address;
    const limiter = this.#o.trustedSource?.(source) ? this.#trustedLimiter : this.#inviteLimiter;
    if (!limiter.take(source)) {
      this.#refuse(source, 'INVITE rate limit');
      tx.respond(createResponse(request, 503, { headers: [['retry-after', '5']] }));
      return;
    }
    if (this.#pending >= (this.#o.maxPendingInvites ?? 200)) {
      this.#refuse(source, 'too many pending INVITEs');
      tx.respond(createResponse(request, 503, { headers: [['retry-after', '5']] }));
      return;
    }
    tx.respond(createResponse(request, 100));
    this.#pending++;
    const invite = new IncomingInvite(request, tx, this.#host, () => this.#pending--);
    // An application that never answers still frees the slot (and the caller hears 480).
    setTimeout(() => invite.reject(480), 60_000).unref();
    try {
      this.#o.onInvite(invite);
    } catch (error) {
      this.#o.logger?.error({ err: error }, 'sip: invite handler threw');
      invite.reject(500);
    }
  }

  #reAck(response: SipResponse): void {
    const callId = response.headers.get('call-id') ?? '';
    const remembered = this.#acks.get(callId);
    if (remembered) this.#layer.sendStateless(remembered.ack, remembered.flow);
  }

  /** Logs a refusal once per source and reason. */
  #refuse(address: string, reason: string, details: Record<string, unknown> = {}): void {
    if (this.#logOnce.first(address, reason)) {
      this.#o.logger?.warn({ source: address, reason, ...details }, 'sip: refused (logged once per source)');
    }
  }
}

/** Our side's tag names the dialog: To-tag on requests the peer sends. */
function dialogKey(request: SipRequest, side: 'to'): string {
  const tag = parseNameAddr(request.headers.get(side) ?? '')?.params.get('tag') ?? '';
  return `${request.headers.get('call-id')}|${tag}`;
}
