/** Via (RFC 3261 §20.42, rport from RFC 3581) and CSeq parsing. */
import { parseParams } from './headers.ts';
import { splitHostPort } from './uri.ts';

export interface Via {
  /** `UDP`, `TCP`, `TLS`, … upper-cased. */
  transport: string;
  host: string;
  port?: number;
  params: Map<string, string>;
  /** The transaction id; RFC 3261 branches start with `z9hG4bK`. */
  branch?: string;
}

export const BRANCH_MAGIC = 'z9hG4bK';

export function parseVia(text: string): Via | undefined {
  const match = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+([^;\s]+)\s*(;.*)?$/i.exec(text.trim());
  if (!match) return undefined;
  const sentBy = splitHostPort(match[2]!);
  if (!sentBy) return undefined;
  const params = parseParams((match[3] ?? '').replace(/^;/, ''));
  const via: Via = { transport: match[1]!.toUpperCase(), host: sentBy.host, params };
  if (sentBy.port !== undefined) via.port = sentBy.port;
  const branch = params.get('branch');
  if (branch) via.branch = branch;
  return via;
}

export interface CSeq {
  seq: number;
  method: string;
}

export function parseCSeq(text: string): CSeq | undefined {
  const match = /^(\d{1,10})\s+([A-Za-z]+)$/.exec(text.trim());
  if (!match) return undefined;
  const seq = Number(match[1]);
  if (seq > 2 ** 31 - 1) return undefined;
  return { seq, method: match[2]!.toUpperCase() };
}
