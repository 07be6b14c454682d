/**
 * A SIP dialog (RFC 3261 §12): the identifiers, sequence numbers, remote target and route set
 * shared by every request inside a call, and the construction of those requests.
 *
 * Next hop: every in-dialog request goes to the dialog's `flow` — the address the INVITE came
 * from (inbound) or the trunk's outbound proxy (outbound). For a trunk that is the carrier's
 * edge either way, and it is what works behind NAT, where a Contact may name a private address.
 */
import { randomBytes } from 'node:crypto';
import { SipHeaders } from '../message/headers.ts';
import type { SipRequest } from '../message/message.ts';
import { newBranch } from '../transaction/layer.ts';
import type { Flow } from '../transport/flow.ts';

export interface LocalContact {
  /** Address written into Via and Contact (the public SIP address). */
  host: string;
  port: number;
}

export function newTag(): string {
  return randomBytes(6).toString('hex');
}

export class Dialog {
  readonly callId: string;
  readonly localTag: string;
  remoteTag: string;
  /** Our From value in requests we send (name-addr, with our tag). */
  readonly localAddress: string;
  /** Their address for To (name-addr, with their tag when known). */
  remoteAddress: string;
  remoteTarget: string;
  routeSet: string[];
  localSeq: number;
  remoteSeq: number;
  readonly flow: Flow;
  readonly contact: LocalContact;

  constructor(init: {
    callId: string;
    localTag: string;
    remoteTag: string;
    localAddress: string;
    remoteAddress: string;
    remoteTarget: string;
    routeSet: string[];
    localSeq: number;
    remoteSeq: number;
    flow: Flow;
    contact: LocalContact;
  }) {
    this.callId = init.callId;
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.localAddress = init.localAddress;
    this.remoteAddress = init.remoteAddress;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.flow = init.flow;
    this.contact = init.contact;
  }

  get contactHeader(): string {
    const transport = this.flow.protocol === 'tcp' ? ';transport=tcp' : '';
    return `<sip:switchboard@${this.contact.host}:${this.contact.port}${transport}>`;
  }

  viaHeader(branch: string): string {
    const transport = this.flow.protocol === 'tcp' ? 'TCP' : 'UDP';
    return `SIP/2.0/${transport} ${this.contact.host}:${this.contact.port};branch=${branch};rport`;
  }

  /** A new request inside the dialog, with the next CSeq (ACK and CANCEL reuse the INVITE's: pass `seq`). */
  request(
    method: string,
    options: { headers?: Array<[string, string]>; body?: Buffer; contentType?: string; seq?: number } = {},
  ): { request: SipRequest; branch: string } {
    const branch = newBranch();
    const seq = options.seq ?? ++this.localSeq;
    const headers = new SipHeaders();
    headers.add('via', this.viaHeader(branch));
    headers.add('max-forwards', '70');
    for (const route of this.routeSet) headers.add('route', route);
    headers.add('from', this.localAddress);
    headers.add('to', this.remoteAddress);
    headers.add('call-id', this.callId);
    headers.add('cseq', `${seq} ${method}`);
    if (method !== 'ACK' && method !== 'BYE' && method !== 'CANCEL')
      headers.add('contact', this.contactHeader);
    headers.add('user-agent', 'Switchboard');
    for (const [name, value] of options.headers ?? []) headers.add(name, value);
    const body = options.body ?? Buffer.alloc(0);
    if (body.length > 0) headers.add('content-type', options.contentType ?? 'application/sdp');
    return { request: { type: 'request', method, uri: this.remoteTarget, headers, body }, branch };
  }
}
