/**
 * Client transactions (RFC 3261 §17.1, with RFC 6026's Accepted state). Over UDP the request is
 * retransmitted (INVITE: Timer A doubling; others: Timer E doubling up to T2) until a response
 * arrives; Timer B/F gives up with a synthesised 408. A non-2xx final answer to an INVITE is
 * ACKed here (and re-ACKed on retransmission); 2xx answers go to the user agent, which ACKs them.
 */

import { SipHeaders } from '../message/headers.ts';
import { createResponse, type SipRequest, type SipResponse } from '../message/message.ts';
import type { Flow } from '../transport/flow.ts';
import { TimerSet, type TimerValues } from './timers.ts';

export interface ClientCallbacks {
  /** A 1xx arrived. */
  onProvisional?(response: SipResponse): void;
  /** The final response (a synthesised 408 on timeout, 503 when the flow failed); for INVITE, every 2xx. */
  onFinal(response: SipResponse): void;
}

/** Responses this side made up (no answer in time, flow failed), not received from the peer. */
const localResponses = new WeakSet<SipResponse>();

/** True for a 408/503 synthesised here because the peer never answered or could not be reached. */
export function isLocalFailure(response: SipResponse): boolean {
  return localResponses.has(response);
}

type State = 'trying' | 'proceeding' | 'completed' | 'accepted' | 'terminated';

export class ClientTransaction {
  readonly request: SipRequest;
  readonly flow: Flow;
  readonly branch: string;
  #send: (message: SipRequest, flow: Flow) => void;
  #callbacks: ClientCallbacks;
  #timers = new TimerSet();
  #values: TimerValues;
  #state: State = 'trying';
  #ack: SipRequest | undefined;
  #onTerminated: () => void;
  #finalSeen = false;

  constructor(options: {
    request: SipRequest;
    flow: Flow;
    branch: string;
    timers: TimerValues;
    send: (message: SipRequest, flow: Flow) => void;
    callbacks: ClientCallbacks;
    onTerminated: () => void;
  }) {
    this.request = options.request;
    this.flow = options.flow;
    this.branch = options.branch;
    this.#send = options.send;
    this.#callbacks = options.callbacks;
    this.#values = options.timers;
    this.#onTerminated = options.onTerminated;
    this.#start();
  }

  get isInvite(): boolean {
    return this.request.method === 'INVITE';
  }

  get state(): State {
    return this.#state;
  }

  /** A response matched this transaction. */
  receive(response: SipResponse): void {
    if (this.#state === 'terminated') return;
    if (response.status < 200) {
      if (this.#state === 'trying') this.#state = 'proceeding';
      if (this.isInvite) this.#timers.clear(); // Timer A and B stop; the UA runs its own ring timer
      if (!this.#finalSeen) this.#callbacks.onProvisional?.(response);
      return;
    }
    if (this.isInvite && response.status < 300) {
      // Every 2xx (the UAS retransmits until ACKed) goes to the UA, which ACKs it.
      if (this.#state !== 'accepted') {
        this.#state = 'accepted';
        this.#timers.clear();
        this.#timers.after(64 * this.#values.t1, () => this.#terminate());
      }
      this.#finalSeen = true;
      this.#callbacks.onFinal(response);
      return;
    }
    if (this.isInvite) {
      this.#ack ??= ackFor(this.request, response);
      this.#send(this.#ack, this.flow);
    }
    if (this.#state === 'completed' || this.#state === 'accepted') return;
    this.#state = 'completed';
    this.#timers.clear();
    this.#finalSeen = true;
    this.#callbacks.onFinal(response);
    const reliable = this.flow.protocol !== 'udp';
    const linger = reliable ? 0 : this.isInvite ? 32_000 : this.#values.t4;
    this.#timers.after(linger, () => this.#terminate());
  }

  /** The flow failed (TCP connect refused): finish with 503 unless a final answer came. */
  flowFailed(): void {
    if (this.#finalSeen || this.#state === 'terminated') return;
    this.#finish(503, 'Service Unavailable');
  }

  /** Stops everything quietly (the UA is shutting down). */
  terminate(): void {
    this.#terminate();
  }

  #start(): void {
    this.#send(this.request, this.flow);
    const { t1, t2 } = this.#values;
    if (this.flow.protocol === 'udp') {
      let interval = t1;
      const retransmit = () => {
        if (this.#state !== 'trying' && !(this.#state === 'proceeding' && !this.isInvite)) return;
        this.#send(this.request, this.flow);
        interval = this.isInvite ? interval * 2 : Math.min(interval * 2, t2);
        if (this.#state === 'proceeding') interval = t2;
        this.#timers.after(interval, retransmit);
      };
      this.#timers.after(interval, retransmit);
    }
    this.#timers.after(64 * t1, () => {
      if (this.#state === 'trying' || (this.#state === 'proceeding' && !this.isInvite)) {
        this.#finish(408, 'Request Timeout');
      }
    });
  }

  #finish(status: number, reason: string): void {
    this.#finalSeen = true;
    this.#terminate();
    const response = createResponse(this.request, status, { reason });
    localResponses.add(response);
    this.#callbacks.onFinal(response);
  }

  #terminate(): void {
    if (this.#state === 'terminated') return;
    this.#state = 'terminated';
    this.#timers.clear();
    this.#onTerminated();
  }
}

/** The ACK for a non-2xx final response: same branch, To from the response (RFC 3261 §17.1.1.3). */
export function ackFor(invite: SipRequest, response: SipResponse): SipRequest {
  const headers = new SipHeaders();
  headers.add('via', invite.headers.list('via')[0]!);
  for (const route of invite.headers.list('route')) headers.add('route', route);
  headers.add('max-forwards', '70');
  headers.add('from', invite.headers.get('from')!);
  headers.add('to', response.headers.get('to')!);
  headers.add('call-id', invite.headers.get('call-id')!);
  const seq = invite.headers.get('cseq')!.split(/\s+/)[0];
  headers.add('cseq', `${seq} ACK`);
  return { type: 'request', method: 'ACK', uri: invite.uri, headers, body: Buffer.alloc(0) };
}
