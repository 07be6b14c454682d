import { describe, expect, it } from 'vitest';
import { createStreamTokens, STREAM_TOKEN_TTL_MS } from './stream-token.ts';

const tokens = createStreamTokens('x'.repeat(40));
const now = new Date('2026-11-21T10:00:00Z');
const claims = {
  callId: '1b4e28ba-2fa1-11d2-883f-0016d3cca427',
  callSid: 'CA0123456789abcdef0123456789abcdef',
  nonce: 'n0nce',
  parameters: { resume: 'transfer_failed', transferStatus: 'busy' },
};

describe('stream tokens', () => {
  it('verifies a fresh token for its call', () => {
    expect(tokens.verify(tokens.sign(claims, now), claims.callSid, now)).toEqual(claims);
  });
  it('rejects expiry, another call, tampering, another secret and junk', () => {
    const token = tokens.sign(claims, now);
    expect(
      tokens.verify(token, claims.callSid, new Date(now.getTime() + STREAM_TOKEN_TTL_MS + 1)),
    ).toBeNull();
    expect(tokens.verify(token, 'CAffffffffffffffffffffffffffffffff', now)).toBeNull();
    const [payload, sig] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ c: 'other', s: claims.callSid, n: 'x', p: {}, e: Date.now() * 2 }),
    ).toString('base64url');
    expect(tokens.verify(`${forged}.${sig}`, claims.callSid, now)).toBeNull();
    expect(tokens.verify(`${payload}.${sig}x`, claims.callSid, now)).toBeNull();
    expect(createStreamTokens('y'.repeat(40)).verify(token, claims.callSid, now)).toBeNull();
    for (const junk of [undefined, '', 'abc', 'a.b.c', '.', `${payload}.`]) {
      expect(tokens.verify(junk, claims.callSid, now)).toBeNull();
    }
  });
});
