import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStream, formatLiveEvent } from './sse.ts';

describe('formatLiveEvent', () => {
  it('writes one event per frame with the shared payload shapes', () => {
    expect(
      formatLiveEvent({
        type: 'call.transcript',
        callId: 'c1',
        role: 'user',
        text: 'two\nlines',
        atMs: 1200,
      }),
    ).toBe(
      'event: call.transcript\ndata: {"callId":"c1","role":"user","text":"two\\nlines","atMs":1200}\n\n',
    );
    expect(
      formatLiveEvent({
        type: 'call.event',
        callId: 'c1',
        event: { id: 7, type: 'barge_in', atMs: 5, data: {}, createdAt: '2026-01-01T00:00:00.000Z' },
      }),
    ).toBe(
      'event: call.event\ndata: {"callId":"c1","event":{"id":7,"type":"barge_in","atMs":5,"data":{},"createdAt":"2026-01-01T00:00:00.000Z"}}\n\n',
    );
  });
});

describe('EventStream', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function serve(onStream: (stream: EventStream, res: ServerResponse) => void): Promise<string> {
    server = createServer((_req, res) => {
      const stream = new EventStream(res);
      stream.open({ 'x-request-id': 'r1', 'content-length': 5 }, 30);
      onStream(stream, res);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('sends headers, events and pings, and cleans up once when the client leaves', async () => {
    let cleanups = 0;
    let streamRef: EventStream | undefined;
    const url = await serve((stream) => {
      streamRef = stream;
      stream.onClose(() => cleanups++);
      stream.send('event: x\ndata: 1\n\n');
    });
    const controller = new AbortController();
    const res = await fetch(url, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('x-request-id')).toBe('r1');
    expect(res.headers.get('content-length')).toBeNull();
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/: ping/g) ?? []).length < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text.startsWith('retry: 3000\n: connected\n\n')).toBe(true);
    expect(text).toContain('event: x\ndata: 1\n\n');
    controller.abort();
    await expect.poll(() => cleanups).toBe(1);
    expect(streamRef?.closed).toBe(true);
    streamRef?.close();
    expect(cleanups).toBe(1);
  });
});
