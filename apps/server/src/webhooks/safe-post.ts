/**
 * POSTs to a customer's webhook URL without letting it reach the server's own network: https
 * only, and the address the name resolves to must be public — checked at connect time (the
 * socket's own lookup), so a name that resolves differently later cannot slip through. With
 * WEBHOOK_ALLOW_PRIVATE=true, http and private/loopback addresses are allowed (a receiver on
 * your own network). Bounded: a deadline for the whole exchange, at most `maxBytes` of the answer
 * read, redirects never followed.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** True for loopback, private, link-local, CGNAT, multicast and reserved addresses (IPv4-mapped too). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
  return true;
}

export class WebhookUrlError extends Error {
  override readonly name = 'WebhookUrlError';
}

/** Refuses a URL the webhook may never use (checked again, on the resolved address, at each delivery). */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('not a URL');
  }
  if (url.username || url.password) throw new WebhookUrlError('credentials in the URL are not allowed');
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new WebhookUrlError('must be an https:// URL (http:// only with WEBHOOK_ALLOW_PRIVATE=true)');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (
    !allowPrivate &&
    (isIP(host) ? isPrivateAddress(host) : /^localhost$|\.localhost$|\.local$|\.internal$/i.test(host))
  ) {
    throw new WebhookUrlError('private, loopback and link-local addresses are refused');
  }
  return url;
}

export interface PostResult {
  status: number;
  /** The first bytes of the answer. */
  body: string;
}

export interface SafePostOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export async function safePost(
  raw: string,
  body: string,
  headers: Record<string, string>,
  options: SafePostOptions,
): Promise<PostResult> {
  const url = checkWebhookUrl(raw, options.allowPrivate);
  const lookup = guardedLookup(options.allowPrivate);
  const signal = AbortSignal.any([
    AbortSignal.timeout(options.timeoutMs),
    ...(options.signal ? [options.signal] : []),
  ]);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        lookup,
        signal,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          response.removeAllListeners('data');
          response.destroy();
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        };
        response.on('data', (chunk: Buffer) => {
          const room = options.maxBytes - size;
          if (room > 0) chunks.push(chunk.subarray(0, room));
          size += chunk.length;
          if (size >= options.maxBytes) done();
        });
        response.on('end', done);
        response.on('error', (error) => reject(error));
      },
    );
    request.on('error', (error) =>
      reject(
        signal.aborted && !options.signal?.aborted
          ? new Error(`no answer within ${options.timeoutMs / 1000} s`)
          : error,
      ),
    );
    request.end(body);
  });
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** dns.lookup that fails when the name resolves to an address the webhook may not reach. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const refused = !allowPrivate && list.some((a) => isPrivateAddress(a.address));
      if (refused || list.length === 0) {
        const denied = new Error(
          `${hostname} resolves to a private or loopback address (refused; WEBHOOK_ALLOW_PRIVATE=true allows it)`,
        ) as NodeJS.ErrnoException;
        denied.code = 'EADDRNOTALLOWED';
        return callback(denied, []);
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
