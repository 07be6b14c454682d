import { describe, expect, it } from 'vitest';
import { answerDirection, buildSdp, negotiate, parseSdp } from './sdp.ts';

const offer = (m: string, extra = '') =>
  `v=0\r\no=x 1 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n${m}\r\n${extra}`;

describe('SDP', () => {
  it('negotiates the offerer’s first G.711 codec and telephone-event', () => {
    const parsed = parseSdp(
      offer(
        'm=audio 4000 RTP/AVP 18 8 0 96',
        'a=rtpmap:18 G729/8000\r\na=rtpmap:96 telephone-event/8000\r\n',
      ),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.audio).toMatchObject({ address: '192.0.2.5', port: 4000, direction: 'sendrecv' });
    expect(negotiate(parsed.audio)).toEqual({ encoding: 'pcma', payloadType: 8, dtmfPayloadType: 96 });
    expect(negotiate(parsed.audio, ['pcmu'])).toEqual({
      encoding: 'pcmu',
      payloadType: 0,
      dtmfPayloadType: 96,
    });
  });

  it('finds no codec when only others are offered (the caller answers 488)', () => {
    const parsed = parseSdp(offer('m=audio 4000 RTP/AVP 18 9', 'a=rtpmap:18 G729/8000\r\n'));
    expect(parsed.ok && negotiate(parsed.audio)).toBe(undefined);
  });

  it('reads hold directions and media-level addresses', () => {
    const parsed = parseSdp(offer('m=audio 4000 RTP/AVP 0', 'c=IN IP4 198.51.100.7\r\na=sendonly\r\n'));
    expect(parsed.ok && parsed.audio).toMatchObject({ address: '198.51.100.7', direction: 'sendonly' });
    expect(answerDirection('sendonly')).toBe('recvonly');
    expect(answerDirection('inactive')).toBe('inactive');
  });

  it.each([
    ['not SDP', 'hello'],
    ['SRTP', offer('m=audio 4000 RTP/SAVP 0')],
    ['no audio', offer('m=video 4000 RTP/AVP 96')],
    ['IPv6 only', offer('m=audio 4000 RTP/AVP 0').replace(/c=IN IP4 192.0.2.5/, 'c=IN IP6 ::1')],
    ['too large', offer('m=audio 4000 RTP/AVP 0', 'a=x\r\n'.repeat(3000))],
  ])('refuses %s', (_name, text) => {
    expect(parseSdp(text).ok).toBe(false);
  });

  it('writes an answer that parses back', () => {
    const text = buildSdp({
      sessionId: '1',
      version: 2,
      address: '203.0.113.1',
      port: 10000,
      codecs: [{ payloadType: 0, encoding: 'pcmu' }],
      dtmfPayloadType: 101,
      direction: 'recvonly',
    });
    const parsed = parseSdp(text);
    expect(parsed.ok && parsed.audio).toMatchObject({
      address: '203.0.113.1',
      port: 10000,
      direction: 'recvonly',
    });
    expect(parsed.ok && negotiate(parsed.audio)).toEqual({
      encoding: 'pcmu',
      payloadType: 0,
      dtmfPayloadType: 101,
    });
  });
});
