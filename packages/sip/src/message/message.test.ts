import { describe, expect, it } from 'vitest';
import { createResponse, parseMessage, type SipRequest, serialize } from './message.ts';
import { parseNameAddr, parseUri, splitHostPort } from './uri.ts';
import { parseVia } from './via.ts';

const INVITE = [
  'INVITE sip:+15550100@10.0.0.1:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKabc;rport',
  'v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKdef',
  'Max-Forwards: 70',
  'From: "Ann" <sip:+15551234@192.0.2.4>;tag=123',
  't: <sip:+15550100@10.0.0.1>',
  'i: call-1@192.0.2.4',
  'CSeq: 1 INVITE',
  'Contact: <sip:ann@192.0.2.4:5060>',
  'Subject: folded',
  ' across lines',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0\r\nextra',
].join('\r\n');

describe('parseMessage', () => {
  it('reads a request with compact headers, folding and a Content-Length body', () => {
    const parsed = parseMessage(Buffer.from(INVITE));
    expect(parsed.ok).toBe(true);
    const m = (parsed as { message: SipRequest }).message;
    expect(m).toMatchObject({ type: 'request', method: 'INVITE', uri: 'sip:+15550100@10.0.0.1:5060' });
    expect(m.headers.list('via')).toHaveLength(2);
    expect(m.headers.get('call-id')).toBe('call-1@192.0.2.4');
    expect(m.headers.get('to')).toBe('<sip:+15550100@10.0.0.1>');
    expect(m.headers.get('subject')).toBe('folded across lines');
    expect(m.body.toString()).toBe('v=0\r');
  });

  it('reads a response', () => {
    const response = createResponse(
      (parseMessage(Buffer.from(INVITE)) as { message: SipRequest }).message,
      486,
      {
        toTag: 'xyz',
      },
    );
    const again = parseMessage(serialize(response));
    expect(again).toMatchObject({
      ok: true,
      message: { type: 'response', status: 486, reason: 'Busy Here' },
    });
    expect(response.headers.get('to')).toBe('<sip:+15550100@10.0.0.1>;tag=xyz');
    expect(response.headers.list('via')).toHaveLength(2);
  });

  it.each([
    ['garbage', 'hello world\r\n\r\n'],
    ['no blank line', 'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1'],
    ['missing Call-ID', INVITE.replace('i: call-1@192.0.2.4\r\n', '')],
    ['bad CSeq', INVITE.replace('CSeq: 1 INVITE', 'CSeq: one INVITE')],
    ['CSeq method mismatch', INVITE.replace('CSeq: 1 INVITE', 'CSeq: 1 BYE')],
    ['bad Via', INVITE.replace('Via: SIP/2.0/UDP 192.0.2.4:5060', 'Via: nonsense')],
    ['Content-Length beyond the body', INVITE.replace('Content-Length: 4', 'Content-Length: 400')],
    ['lower-case method', INVITE.replace('INVITE sip:', 'invite sip:')],
    ['http scheme', INVITE.replace('INVITE sip:+15550100@10.0.0.1:5060', 'INVITE http://x')],
    ['NUL in headers', INVITE.replace('Max-Forwards: 70', 'Max-Forwards: 7\u00000')],
    ['header without colon', INVITE.replace('Max-Forwards: 70', 'Max-Forwards 70')],
  ])('refuses %s', (_name, text) => {
    expect(parseMessage(Buffer.from(text)).ok).toBe(false);
  });

  it('enforces the size, header count and line limits', () => {
    const big = Buffer.alloc(20_000, 'a');
    expect(parseMessage(big)).toEqual({ ok: false, reason: 'message too large' });
    const many = INVITE.replace(
      'Max-Forwards: 70',
      Array.from({ length: 120 }, (_, i) => `X-H${i}: 1`).join('\r\n'),
    );
    expect(parseMessage(Buffer.from(many))).toEqual({ ok: false, reason: 'too many headers' });
    const long = INVITE.replace('Max-Forwards: 70', `X-Long: ${'a'.repeat(5000)}`);
    expect(parseMessage(Buffer.from(long))).toEqual({ ok: false, reason: 'header line too long' });
  });
});

describe('URIs and addresses', () => {
  it('parses SIP URIs', () => {
    expect(parseUri('sip:+15550100@carrier.example:5080;transport=tcp')).toMatchObject({
      scheme: 'sip',
      user: '+15550100',
      host: 'carrier.example',
      port: 5080,
    });
    expect(parseUri('sip:%2B1555@h')?.user).toBe('+1555');
    expect(parseUri('sip:[2001:db8::1]:5060')?.host).toBe('[2001:db8::1]');
    expect(parseUri('sip:user@bad host')).toBeUndefined();
    expect(parseUri('mailto:x@y')).toBeUndefined();
    expect(splitHostPort('h:99999')).toBeUndefined();
  });

  it('parses name-addr with parameters', () => {
    expect(parseNameAddr('"A, B" <sip:a@b;lr>;tag=9')).toMatchObject({
      displayName: 'A, B',
      uri: 'sip:a@b;lr',
      params: new Map([['tag', '9']]),
    });
    expect(parseNameAddr('sip:a@b;tag=1')).toMatchObject({ uri: 'sip:a@b', params: new Map([['tag', '1']]) });
  });

  it('parses Via', () => {
    expect(parseVia('SIP/2.0/TCP 192.0.2.1:5061;branch=z9hG4bKx;rport=5066')).toMatchObject({
      transport: 'TCP',
      host: '192.0.2.1',
      port: 5061,
      branch: 'z9hG4bKx',
    });
  });
});
