/**
 * SIP URIs (RFC 3261 §19.1) as far as a trunk needs them: `sip:user@host:port;params`, and
 * the name-addr form of From/To/Contact (`"Name" <sip:…>;tag=…`). Anything else is refused
 * (undefined), never guessed.
 */
import { parseParams, splitOutsideQuotes, unquote } from './headers.ts';

export interface SipUri {
  scheme: 'sip' | 'sips';
  /** User part, percent-decoded (a phone number for a trunk), or '' when absent. */
  user: string;
  host: string;
  /** Undefined when the URI names none (the default port applies). */
  port?: number;
  /** URI parameters (`transport`, `lr`, …), keys lower-cased. */
  params: Map<string, string>;
}

/** A header value of the name-addr / addr-spec form (From, To, Contact, Refer-To). */
export interface NameAddr {
  displayName?: string;
  /** The URI text as written (without angle brackets). */
  uri: string;
  /** Header parameters after the address (`tag`, `expires`, …). */
  params: Map<string, string>;
}

const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/;
const MAX_URI_LENGTH = 1024;

export function parseUri(text: string): SipUri | undefined {
  if (text.length > MAX_URI_LENGTH) return undefined;
  const match = /^(sips?):(.*)$/i.exec(text.trim());
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase() as 'sip' | 'sips';
  let rest = match[2]!;
  const headersAt = rest.indexOf('?');
  if (headersAt >= 0) rest = rest.slice(0, headersAt);
  const [hostPart = '', ...paramParts] = rest.split(';');
  const at = hostPart.lastIndexOf('@');
  let user = '';
  if (at >= 0) {
    const userInfo = hostPart.slice(0, at);
    const colon = userInfo.indexOf(':'); // user:password (deprecated) — drop the password
    try {
      user = decodeURIComponent(colon >= 0 ? userInfo.slice(0, colon) : userInfo);
    } catch {
      return undefined;
    }
  }
  const hostPort = at >= 0 ? hostPart.slice(at + 1) : hostPart;
  const { host, port } = splitHostPort(hostPort) ?? {};
  if (!host) return undefined;
  const uri: SipUri = { scheme, user, host, params: parseParams(paramParts.join(';')) };
  if (port !== undefined) uri.port = port;
  return uri;
}

export function formatUri(uri: SipUri): string {
  const user = uri.user ? `${encodeURIComponent(uri.user).replace(/%2B/g, '+')}@` : '';
  const port = uri.port === undefined ? '' : `:${uri.port}`;
  let params = '';
  for (const [k, v] of uri.params) params += v === '' ? `;${k}` : `;${k}=${v}`;
  return `${uri.scheme}:${user}${uri.host}${port}${params}`;
}

/** `host`, `host:port`, `[v6]:port` → parts; undefined when malformed. */
export function splitHostPort(text: string): { host: string; port?: number } | undefined {
  const trimmed = text.trim();
  let host = trimmed;
  let portText: string | undefined;
  if (trimmed.startsWith('[')) {
    const close = trimmed.indexOf(']');
    if (close < 0) return undefined;
    host = trimmed.slice(0, close + 1);
    const after = trimmed.slice(close + 1);
    if (after.startsWith(':')) portText = after.slice(1);
    else if (after) return undefined;
  } else {
    const colon = trimmed.lastIndexOf(':');
    if (colon >= 0) {
      host = trimmed.slice(0, colon);
      portText = trimmed.slice(colon + 1);
    }
  }
  if (!HOST.test(host)) return undefined;
  if (portText === undefined) return { host };
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port < 1 || port > 65535) return undefined;
  return { host, port };
}

/** Parses `"Name" <uri>;params`, `<uri>;params` or a bare `uri;params` (params then belong to the header). */
export function parseNameAddr(text: string): NameAddr | undefined {
  if (text.length > MAX_URI_LENGTH * 2) return undefined;
  const trimmed = text.trim();
  const open = indexOutsideQuotes(trimmed, '<');
  if (open >= 0) {
    const close = trimmed.indexOf('>', open);
    if (close < 0) return undefined;
    const name = unquote(trimmed.slice(0, open).trim());
    const result: NameAddr = {
      uri: trimmed.slice(open + 1, close).trim(),
      params: parseParams(trimmed.slice(close + 1).replace(/^\s*;/, '')),
    };
    if (name) result.displayName = name;
    return result.uri ? result : undefined;
  }
  const [uri = '', ...params] = splitOutsideQuotes(trimmed, ';');
  if (!uri.trim()) return undefined;
  return { uri: uri.trim(), params: parseParams(params.join(';')) };
}

export function formatNameAddr(addr: NameAddr): string {
  const name = addr.displayName ? `"${addr.displayName.replace(/(["\\])/g, '\\$1')}" ` : '';
  let params = '';
  for (const [k, v] of addr.params) params += v === '' ? `;${k}` : `;${k}=${v}`;
  return `${name}<${addr.uri}>${params}`;
}

/** Index of the first `char` outside a quoted display name, or -1. */
function indexOutsideQuotes(text: string, char: string): number {
  const first = splitOutsideQuotes(text, char)[0] ?? text;
  return first.length === text.length ? -1 : first.length;
}
