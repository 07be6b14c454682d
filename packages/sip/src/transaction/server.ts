/**
 * Server transactions (RFC 3261 §17.2, RFC 6026). A retransmitted request is answered with the
 * last response sent. A non-2xx final answer to an INVITE is retransmitted over UDP (Timer G)
 * until the ACK arrives, for at most 64·T1 (Timer H). After a 2xx the transaction lingers
 * (Accepted) only to absorb retransmitted INVITEs; retransmitting the 2xx is the dialog's job.
 */
import type { SipRequest, SipResponse } from '../message/message.ts';
import type { Flow } from '../transport/flow.ts';
import { TimerSet, type TimerValues } from './timers.ts';

type State = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

export class ServerTransaction {
  readonly request: SipRequest;
  readonly flow: Flow;
  #send: (message: SipResponse, flow: Flow) => void;
  #timers = new TimerSet();
  #values: TimerValues;
  #state: State = 'proceeding';
  #last: SipResponse | undefined;
  #onTerminated: () => void;
  /** Called when a CANCEL matched this (INVITE) transaction while it was still proceeding. */
  onCancel: (() => void) | undefined;

  constructor(options: {
    request: SipRequest;
    flow: Flow;
    timers: TimerValues;
    send: (message: SipResponse, flow: Flow) => void;
    onTerminated: () => void;
  }) {
    this.request = options.request;
    this.flow = options.flow;
    this.#send = options.send;
    this.#values = options.timers;
    this.#onTerminated = options.onTerminated;
    // A transaction the TU never answers still goes away.
    this.#timers.after(Math.max(64 * this.#values.t1, 180_000), () => this.#terminate());
  }

  get isInvite(): boolean {
    return this.request.method === 'INVITE';
  }

  /** A non-2xx final answer to this INVITE was sent: its ACK belongs to the transaction. */
  get rejected(): boolean {
    return this.#state === 'completed' || this.#state === 'confirmed';
  }

  /** True until a final response was sent. */
  get pending(): boolean {
    return this.#state === 'proceeding';
  }

  respond(response: SipResponse): void {
    if (this.#state !== 'proceeding') return;
    this.#last = response;
    this.#send(response, this.flow);
    if (response.status < 200) return;
    this.#timers.clear();
    const reliable = this.flow.protocol !== 'udp';
    const { t1, t2 } = this.#values;
    if (!this.isInvite) {
      this.#state = 'completed';
      this.#timers.after(reliable ? 0 : 64 * t1, () => this.#terminate());
      return;
    }
    if (response.status < 300) {
      this.#state = 'accepted';
      this.#timers.after(64 * t1, () => this.#terminate());
      return;
    }
    this.#state = 'completed';
    if (!reliable) {
      let interval = t1;
      const retransmit = () => {
        if (this.#state !== 'completed') return;
        this.#send(response, this.flow);
        interval = Math.min(interval * 2, t2);
        this.#timers.after(interval, retransmit);
      };
      this.#timers.after(interval, retransmit);
    }
    this.#timers.after(64 * t1, () => this.#terminate());
  }

  /** The same request arrived again. */
  retransmitted(): void {
    if (this.#state === 'accepted') return; // the dialog retransmits its 2xx
    if (this.#last && (this.#state === 'proceeding' || this.#state === 'completed')) {
      this.#send(this.#last, this.flow);
    }
  }

  /** The ACK for a non-2xx final response. */
  acked(): void {
    if (this.#state !== 'completed' || !this.isInvite) return;
    this.#state = 'confirmed';
    this.#timers.clear();
    this.#timers.after(this.flow.protocol === 'udp' ? this.#values.t4 : 0, () => this.#terminate());
  }

  terminate(): void {
    this.#terminate();
  }

  #terminate(): void {
    if (this.#state === 'terminated') return;
    this.#state = 'terminated';
    this.#timers.clear();
    this.#onTerminated();
  }
}
