/**
 * SIP messages: the two shapes, parsing with strict limits, and serialisation.
 *
 * Parsing never throws: it returns `{ ok: false, reason }` for anything that is not a
 * well-formed SIP/2.0 message within the limits (size, header count, line length), so a
 * malformed datagram costs one log line and nothing else.
 */
import { displayName, SipHeaders } from './headers.ts';
import { type CSeq, parseCSeq, parseVia, type Via } from './via.ts';

export interface SipRequest {
  type: 'request';
  method: string;
  uri: string;
  headers: SipHeaders;
  body: Buffer;
}

export interface SipResponse {
  type: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export interface ParseLimits {
  /** Whole message, bytes (default 16 384). */
  maxMessageBytes: number;
  /** Header fields (default 100). */
  maxHeaders: number;
  /** One header line after unfolding, bytes (default 4 096). */
  maxLineBytes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxMessageBytes: 16_384,
  maxHeaders: 100,
  maxLineBytes: 4096,
};

export type ParseResult = { ok: true; message: SipMessage } | { ok: false; reason: string };

const TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;
const MANDATORY = ['via', 'from', 'to', 'call-id', 'cseq'] as const;

/**
 * Parses one complete message. With `stream` (TCP) the body is exactly Content-Length bytes and
 * the caller framed it; over UDP a Content-Length shorter than the datagram truncates the body,
 * a longer one is an error (RFC 3261 §18.3).
 */
export function parseMessage(data: Buffer, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParseResult {
  if (data.length > limits.maxMessageBytes) return fail('message too large');
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return fail('no end of headers');
  const head = data.subarray(0, headEnd).toString('latin1');
  if (head.includes('\0')) return fail('NUL byte in headers');
  const lines = unfold(head.split('\r\n'));
  const startLine = lines.shift() ?? '';
  if (startLine.length > limits.maxLineBytes) return fail('start line too long');
  if (lines.length > limits.maxHeaders) return fail('too many headers');
  const headers = new SipHeaders();
  for (const line of lines) {
    if (line.length > limits.maxLineBytes) return fail('header line too long');
    const colon = line.indexOf(':');
    if (colon <= 0) return fail('header without a colon');
    const name = line.slice(0, colon).trim();
    if (!TOKEN.test(name)) return fail('bad header name');
    headers.add(name, line.slice(colon + 1).trim());
  }
  let body = data.subarray(headEnd + 4);
  const lengthText = headers.get('content-length');
  if (lengthText !== undefined) {
    if (!/^\d{1,6}$/.test(lengthText)) return fail('bad Content-Length');
    const length = Number(lengthText);
    if (length > body.length) return fail('body shorter than Content-Length');
    body = body.subarray(0, length);
  }
  for (const name of MANDATORY) if (!headers.has(name)) return fail(`missing ${name}`);
  if (!parseCSeq(headers.get('cseq')!)) return fail('bad CSeq');
  if (!parseVia(headers.list('via')[0] ?? '')) return fail('bad Via');

  const response = /^SIP\/2\.0 ([1-6]\d\d) ?(.*)$/.exec(startLine);
  if (response) {
    return {
      ok: true,
      message: { type: 'response', status: Number(response[1]), reason: response[2] ?? '', headers, body },
    };
  }
  const request = /^([A-Za-z]+) (\S+) SIP\/2\.0$/.exec(startLine);
  if (!request) return fail('bad start line');
  const method = request[1]!;
  if (method !== method.toUpperCase()) return fail('method not upper-case');
  const uri = request[2]!;
  if (!/^(sips?|tel):/i.test(uri)) return fail('unsupported Request-URI scheme');
  const cseq = parseCSeq(headers.get('cseq')!)!;
  if (cseq.method !== method) return fail('CSeq method differs from the request method');
  return { ok: true, message: { type: 'request', method, uri, headers, body } };
}

function unfold(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && out.length > 1) {
      out[out.length - 1] += ` ${line.trim()}`;
    } else out.push(line);
  }
  return out;
}

function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

/** Writes a message with a correct Content-Length. */
export function serialize(message: SipMessage): Buffer {
  const start =
    message.type === 'request'
      ? `${message.method} ${message.uri} SIP/2.0`
      : `SIP/2.0 ${message.status} ${message.reason}`;
  const lines = [start];
  for (const [name, value] of message.headers.entries()) {
    if (name !== 'content-length') lines.push(`${displayName(name)}: ${value}`);
  }
  lines.push(`Content-Length: ${message.body.length}`, '', '');
  const head = Buffer.from(lines.join('\r\n'), 'latin1');
  return message.body.length > 0 ? Buffer.concat([head, message.body]) : head;
}

/** The top Via of a message (present in every parsed message). */
export function topVia(message: SipMessage): Via | undefined {
  return parseVia(message.headers.list('via')[0] ?? '');
}

export function cseqOf(message: SipMessage): CSeq {
  return parseCSeq(message.headers.get('cseq') ?? '') ?? { seq: 0, method: '' };
}

const REASONS: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  202: 'Accepted',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  420: 'Bad Extension',
  422: 'Session Interval Too Small',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  603: 'Decline',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 300 ? 'OK' : 'Error');
}

/**
 * A response to `request` (RFC 3261 §8.2.6): Via, From, To, Call-ID and CSeq copied; `toTag`
 * added to To when it has none (every response but 100 from a UAS carries one).
 */
export function createResponse(
  request: SipRequest,
  status: number,
  options: { reason?: string; toTag?: string; headers?: Array<[string, string]>; body?: Buffer } = {},
): SipResponse {
  const headers = new SipHeaders();
  for (const via of request.headers.list('via')) headers.add('via', via);
  headers.add('from', request.headers.get('from')!);
  let to = request.headers.get('to')!;
  if (options.toTag && status !== 100 && !/;\s*tag=/i.test(to)) to += `;tag=${options.toTag}`;
  headers.add('to', to);
  headers.add('call-id', request.headers.get('call-id')!);
  headers.add('cseq', request.headers.get('cseq')!);
  for (const [name, value] of options.headers ?? []) headers.add(name, value);
  return {
    type: 'response',
    status,
    reason: options.reason ?? reasonPhrase(status),
    headers,
    body: options.body ?? Buffer.alloc(0),
  };
}
