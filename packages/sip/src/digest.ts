/**
 * HTTP Digest authentication as a SIP client (RFC 3261 §22, RFC 2617, RFC 8760): answers a
 * 401 WWW-Authenticate or 407 Proxy-Authenticate challenge with MD5 or SHA-256, `qop=auth`
 * when offered (with our own cnonce and nonce count), or the RFC 2069 form without qop.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseParams, quote, splitOutsideQuotes } from './message/headers.ts';

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';
  qop?: 'auth';
  stale: boolean;
}

/** Reads one `Digest …` challenge; undefined when it is not Digest or uses what we cannot answer. */
export function parseChallenge(header: string): DigestChallenge | undefined {
  const match = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!match) return undefined;
  const params = parseParams(splitOutsideQuotes(match[1]!, ',').join(';'));
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || !nonce) return undefined;
  const algorithm = (params.get('algorithm') ?? 'MD5').toUpperCase();
  const known = {
    MD5: 'MD5',
    'MD5-SESS': 'MD5-sess',
    'SHA-256': 'SHA-256',
    'SHA-256-SESS': 'SHA-256-sess',
  } as const;
  const alg = known[algorithm as keyof typeof known];
  if (!alg) return undefined;
  const qops = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  if (params.has('qop') && !qops.includes('auth')) return undefined; // auth-int only: body hashing unsupported
  const challenge: DigestChallenge = {
    realm,
    nonce,
    algorithm: alg,
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
  };
  const opaque = params.get('opaque');
  if (opaque !== undefined) challenge.opaque = opaque;
  if (qops.includes('auth')) challenge.qop = 'auth';
  return challenge;
}

export interface DigestCredentials {
  username: string;
  password: string;
}

/** The Authorization / Proxy-Authorization value for `method` on `uri`. */
export function digestAuthorization(
  challenge: DigestChallenge,
  credentials: DigestCredentials,
  method: string,
  uri: string,
  options: { nonceCount?: number; cnonce?: string } = {},
): string {
  const hashName = challenge.algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  const h = (text: string) => createHash(hashName).update(text, 'utf8').digest('hex');
  const cnonce = options.cnonce ?? randomBytes(8).toString('hex');
  const nc = (options.nonceCount ?? 1).toString(16).padStart(8, '0');
  let ha1 = h(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  if (challenge.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${challenge.nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const response = challenge.qop
    ? h(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${challenge.qop}:${ha2}`)
    : h(`${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username=${quote(credentials.username)}`,
    `realm=${quote(challenge.realm)}`,
    `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(uri)}`,
    `response=${quote(response)}`,
    `algorithm=${challenge.algorithm}`,
  ];
  if (challenge.opaque !== undefined) parts.push(`opaque=${quote(challenge.opaque)}`);
  if (challenge.qop) parts.push(`qop=${challenge.qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
  return `Digest ${parts.join(', ')}`;
}
