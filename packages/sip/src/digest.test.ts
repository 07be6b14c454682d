import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestAuthorization, parseChallenge } from './digest.ts';
import { parseParams } from './message/headers.ts';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('digest authentication', () => {
  it('answers the RFC 2617 §3.5 example', () => {
    const challenge = parseChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    expect(challenge).toMatchObject({ realm: 'testrealm@host.com', qop: 'auth', algorithm: 'MD5' });
    const header = digestAuthorization(
      challenge!,
      { username: 'Mufasa', password: 'Circle Of Life' },
      'GET',
      '/dir/index.html',
      {
        cnonce: '0a4f113b',
        nonceCount: 1,
      },
    );
    const params = parseParams(header.replace(/^Digest /, '').replace(/,\s*/g, ';'));
    expect(params.get('response')).toBe('6629fae49393a05397450978507c4ef1');
    expect(params.get('nc')).toBe('00000001');
    expect(params.get('opaque')).toBe('5ccc069c403ebaf9f0171e9517f40e41');
  });

  it('answers without qop (RFC 2069 form)', () => {
    const challenge = parseChallenge('Digest realm="sip.example", nonce="abc"')!;
    const header = digestAuthorization(challenge, { username: 'u', password: 'p' }, 'INVITE', 'sip:+1@x');
    const ha1 = md5('u:sip.example:p');
    const ha2 = md5('INVITE:sip:+1@x');
    expect(header).toContain(`response="${md5(`${ha1}:abc:${ha2}`)}"`);
    expect(header).not.toContain('qop=');
  });

  it('supports SHA-256 and refuses what it cannot answer', () => {
    expect(parseChallenge('Digest realm="r", nonce="n", algorithm=SHA-256')?.algorithm).toBe('SHA-256');
    expect(parseChallenge('Basic realm="r"')).toBeUndefined();
    expect(parseChallenge('Digest realm="r", nonce="n", algorithm=AKAv1-MD5')).toBeUndefined();
    expect(parseChallenge('Digest realm="r", nonce="n", qop="auth-int"')).toBeUndefined();
  });
});
