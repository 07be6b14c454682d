/**
 * Matches messages to transactions (RFC 3261 §17.1.3, §17.2.3) by the top Via branch, its
 * sent-by and the method (ACK matches the INVITE it acknowledges; CANCEL has its own). New
 * requests become server transactions handed to the user agent; ACKs for 2xx (their own branch)
 * and stray responses go to the user agent directly.
 */
import { randomBytes } from 'node:crypto';
import {
  createResponse,
  cseqOf,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  topVia,
} from '../message/message.ts';
import { BRANCH_MAGIC } from '../message/via.ts';
import { type Flow, flowKey } from '../transport/flow.ts';
import { type ClientCallbacks, ClientTransaction } from './client.ts';
import { ServerTransaction } from './server.ts';
import { DEFAULT_TIMERS, type TimerValues } from './timers.ts';

export interface TransactionLayerOptions {
  send(message: SipMessage, flow: Flow): void;
  timers?: Partial<TimerValues>;
  /** A new request (not a retransmission, not an ACK). */
  onRequest(request: SipRequest, transaction: ServerTransaction): void;
  /** An ACK that matched no transaction: the ACK of a 2xx, for the dialog. */
  onAck(ack: SipRequest, flow: Flow): void;
  /** A 2xx retransmitted after its INVITE transaction ended (the dialog re-ACKs it). */
  onStrayResponse?(response: SipResponse, flow: Flow): void;
}

export function newBranch(): string {
  return `${BRANCH_MAGIC}${randomBytes(10).toString('hex')}`;
}

export class TransactionLayer {
  #o: TransactionLayerOptions;
  readonly timers: TimerValues;
  #server = new Map<string, ServerTransaction>();
  #client = new Map<string, ClientTransaction>();

  constructor(options: TransactionLayerOptions) {
    this.#o = options;
    this.timers = { ...DEFAULT_TIMERS, ...options.timers };
  }

  get size(): { server: number; client: number } {
    return { server: this.#server.size, client: this.#client.size };
  }

  receive(message: SipMessage, flow: Flow): void {
    if (message.type === 'response') {
      this.#receiveResponse(message, flow);
      return;
    }
    const key = serverKey(message, message.method === 'ACK' ? 'INVITE' : message.method);
    const existing = key ? this.#server.get(key) : undefined;
    if (message.method === 'ACK') {
      // The ACK of a 2xx carries a new branch and belongs to the dialog (so does one that reuses
      // the INVITE's branch, as some peers do).
      if (existing?.rejected) {
        existing.acked();
        return;
      }
      this.#o.onAck(message, flow);
      return;
    }
    if (existing) {
      existing.retransmitted();
      return;
    }
    if (!key) return; // no RFC 3261 branch: the UA layer has already refused such peers
    const transaction = new ServerTransaction({
      request: message,
      flow,
      timers: this.timers,
      send: (response, to) => this.#o.send(response, to),
      onTerminated: () => {
        if (this.#server.get(key) === transaction) this.#server.delete(key);
      },
    });
    this.#server.set(key, transaction);
    if (message.method === 'CANCEL') {
      // RFC 3261 §9.2: 200 to the CANCEL, then the INVITE's owner answers it with 487.
      const invite = this.#server.get(serverKey(message, 'INVITE') ?? '');
      transaction.respond(createResponse(message, invite?.pending ? 200 : 481));
      if (invite?.pending) invite.onCancel?.();
      return;
    }
    this.#o.onRequest(message, transaction);
  }

  /** Starts a client transaction; the request's top Via must carry `branch`. */
  request(request: SipRequest, flow: Flow, branch: string, callbacks: ClientCallbacks): ClientTransaction {
    const key = `${branch}|${request.method}`;
    const transaction: ClientTransaction = new ClientTransaction({
      request,
      flow,
      branch,
      timers: this.timers,
      send: (message, to) => this.#o.send(message, to),
      callbacks,
      onTerminated: () => {
        if (this.#client.get(key) === transaction) this.#client.delete(key);
      },
    });
    this.#client.set(key, transaction);
    return transaction;
  }

  /** Sends a request outside any transaction (the ACK of a 2xx). */
  sendStateless(message: SipMessage, flow: Flow): void {
    this.#o.send(message, flow);
  }

  /** TCP to `flow` failed: its pending client transactions end with 503. */
  flowFailed(flow: Flow): void {
    const key = flowKey(flow);
    for (const transaction of [...this.#client.values()]) {
      if (flowKey(transaction.flow) === key) transaction.flowFailed();
    }
  }

  close(): void {
    for (const t of [...this.#client.values()]) t.terminate();
    for (const t of [...this.#server.values()]) t.terminate();
  }

  #receiveResponse(response: SipResponse, flow: Flow): void {
    const branch = topVia(response)?.branch;
    const method = cseqOf(response).method;
    const transaction = branch ? this.#client.get(`${branch}|${method}`) : undefined;
    if (transaction) {
      transaction.receive(response);
      return;
    }
    if (method === 'INVITE' && response.status >= 200 && response.status < 300) {
      this.#o.onStrayResponse?.(response, flow);
    }
  }
}

function serverKey(request: SipRequest, method: string): string | undefined {
  const via = topVia(request);
  if (!via?.branch?.startsWith(BRANCH_MAGIC)) return undefined;
  return `${via.branch}|${via.host}:${via.port ?? ''}|${method}`;
}
