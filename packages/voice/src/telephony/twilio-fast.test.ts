import { describe, expect, it } from 'vitest';
import { parseTwilioMarkFast, parseTwilioMediaFast, TwilioOutbound } from './twilio-fast.ts';
import { parseTwilioFrame, parseTwilioFrameStrict } from './twilio-messages.ts';

const SID = 'MZ0123456789abcdef0123456789abcdef';
const payload = Buffer.from(Array.from({ length: 160 }, (_, i) => (i * 37) & 0xff)).toString('base64');

const media = (over: Record<string, unknown> = {}, mediaOver: Record<string, unknown> = {}) =>
  JSON.stringify({
    event: 'media',
    sequenceNumber: '42',
    media: { track: 'inbound', chunk: '41', timestamp: '820', payload, ...mediaOver },
    streamSid: SID,
    ...over,
  });

/** Frames on both sides of every check the fast paths make. */
const cases: string[] = [
  media(),
  media({}, { track: 'outbound' }),
  media({}, { payload: '' }),
  media({}, { payload: 'abc=' }),
  media({}, { payload: 'ab"c' }),
  media({}, { payload: 'a\\/b' }),
  media({}, { payload: 'not base64!' }),
  media({}, { chunk: '' }),
  media({}, { chunk: '12a' }),
  media({}, { timestamp: '1234567890123456' }),
  media({}, { timestamp: '123456789012345' }),
  media({}, { timestamp: 820 }),
  media({}, { track: 'in"bound' }),
  media({}, { track: 'in\\bound' }),
  media({ sequenceNumber: '' }),
  media({ sequenceNumber: '1234567890123456' }),
  media({ sequenceNumber: 42 }),
  media({ streamSid: '' }),
  media({ streamSid: 'MZ"x' }),
  media({ streamSid: 'MZ\u00e9' }),
  media({ extra: 1 }),
  `${media()} `,
  `${media()}x`,
  media().replace('"event":"media"', '"event" : "media"'),
  JSON.stringify({ event: 'media', streamSid: SID, sequenceNumber: '3', media: { payload } }),
  JSON.stringify({ event: 'mark', sequenceNumber: '7', streamSid: SID, mark: { name: 'm12' } }),
  JSON.stringify({ event: 'mark', sequenceNumber: '7', streamSid: SID, mark: { name: '' } }),
  JSON.stringify({ event: 'mark', sequenceNumber: '7', streamSid: SID, mark: { name: 'a"b' } }),
  JSON.stringify({ event: 'mark', sequenceNumber: '7', streamSid: '', mark: { name: 'x' } }),
  JSON.stringify({ event: 'mark', sequenceNumber: 'x', streamSid: SID, mark: { name: 'x' } }),
  JSON.stringify({ event: 'mark', sequenceNumber: '7', streamSid: SID, mark: { name: 'x', n: 1 } }),
  JSON.stringify({ event: 'mark', sequenceNumber: '7', streamSid: SID, mark: { name: 7 } }),
  JSON.stringify({ event: 'mark', streamSid: SID, sequenceNumber: '7', mark: { name: 'x' } }),
  JSON.stringify({ event: 'stop', sequenceNumber: '9', streamSid: SID, stop: {} }),
  '{"event":"media","sequenceNumber":"1"',
  'not json',
];

describe('Twilio fast paths', () => {
  it('read a media frame in Twilio’s layout without the generic parser', () => {
    expect(parseTwilioMediaFast(media())).toEqual({
      event: 'media',
      sequenceNumber: 42,
      streamSid: SID,
      track: 'inbound',
      chunk: 41,
      timestampMs: 820,
      payload,
    });
    expect(parseTwilioMarkFast(cases[25] as string)).toEqual({
      event: 'mark',
      sequenceNumber: 7,
      streamSid: SID,
      name: 'm12',
    });
  });

  it('accept exactly what the strict parser accepts, with the same result', () => {
    for (const text of cases) {
      expect({ text, result: parseTwilioFrame(text) }).toEqual({
        text,
        result: parseTwilioFrameStrict(text),
      });
      const fast = parseTwilioMediaFast(text) ?? parseTwilioMarkFast(text);
      if (fast) expect(parseTwilioFrameStrict(text)).toEqual({ ok: true, message: fast });
    }
  });

  it('fall back to the generic parser for any other layout', () => {
    expect(parseTwilioMediaFast(media({}, { payload: 'ab"c' }))).toBeUndefined();
    expect(parseTwilioMediaFast(`${media()} `)).toBeUndefined();
    expect(parseTwilioFrame(`${media()} `).ok).toBe(true);
    expect(parseTwilioMarkFast(cases[32] as string)).toBeUndefined();
  });

  it('build outgoing frames identical to JSON.stringify', () => {
    const out = new TwilioOutbound(SID);
    expect(JSON.parse(out.media(payload))).toEqual({ event: 'media', streamSid: SID, media: { payload } });
    expect(out.media(payload)).toBe(JSON.stringify({ event: 'media', streamSid: SID, media: { payload } }));
    expect(out.mark('m3')).toBe(JSON.stringify({ event: 'mark', streamSid: SID, mark: { name: 'm3' } }));
    expect(out.clear()).toBe(JSON.stringify({ event: 'clear', streamSid: SID }));
    // Anything that would need escaping is encoded properly.
    expect(JSON.parse(out.mark('a"b\\c\n'))).toEqual({
      event: 'mark',
      streamSid: SID,
      mark: { name: 'a"b\\c\n' },
    });
    expect(JSON.parse(out.media('x"y'))).toEqual({
      event: 'media',
      streamSid: SID,
      media: { payload: 'x"y' },
    });
    const odd = new TwilioOutbound('MZ"odd');
    expect(JSON.parse(odd.clear())).toEqual({ event: 'clear', streamSid: 'MZ"odd' });
    expect(JSON.parse(odd.media(payload)).streamSid).toBe('MZ"odd');
  });
});
