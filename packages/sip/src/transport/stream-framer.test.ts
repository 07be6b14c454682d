import { describe, expect, it } from 'vitest';
import { StreamFramer } from './stream-framer.ts';

const msg = (body: string) => `OPTIONS sip:a@b SIP/2.0\r\nl: ${body.length}\r\n\r\n${body}`;

describe('StreamFramer', () => {
  it('frames messages split and joined arbitrarily, skipping CRLF keep-alives', () => {
    const framer = new StreamFramer(4096);
    const stream = Buffer.from(`\r\n\r\n${msg('hello')}${msg('')}`);
    const frames = [];
    for (let i = 0; i < stream.length; i += 7) frames.push(...framer.push(stream.subarray(i, i + 7)));
    expect(frames.map((f) => f.kind)).toEqual(['ping', 'message', 'message']);
    expect(frames[1]?.kind === 'message' && frames[1].data.toString().endsWith('hello')).toBe(true);
  });

  it('refuses a stream without Content-Length or beyond the size cap', () => {
    expect(new StreamFramer(4096).push(Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n'))).toEqual([
      { kind: 'error', reason: 'no Content-Length on a stream' },
    ]);
    expect(new StreamFramer(100).push(Buffer.from(msg('x'.repeat(200))))).toEqual([
      { kind: 'error', reason: 'message too large' },
    ]);
    expect(new StreamFramer(100).push(Buffer.alloc(200, 'a'))).toEqual([
      { kind: 'error', reason: 'headers too large' },
    ]);
  });
});
