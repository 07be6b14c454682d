import { describe, expect, it } from 'vitest';
import { FakeTwilioPeer } from '../testing/fake-twilio.ts';
import { createSocketPair, flushMicrotasks } from '../testing/memory-socket.ts';
import { BrowserTransport } from './browser.ts';
import { TwilioTransport } from './twilio.ts';
import { waitForStart } from './wait-for-start.ts';

describe('waitForStart', () => {
  it("resolves with Twilio's start, and with the same info once started", async () => {
    const [server, client] = createSocketPair();
    const transport = new TwilioTransport({ socket: server });
    const twilio = new FakeTwilioPeer(client, { customParameters: { token: 't' } });
    expect(transport.state).toBe('waiting');
    const started = waitForStart(transport);
    twilio.start();
    const start = await started;
    expect(start?.customParameters).toEqual({ token: 't' });
    expect(transport.state).toBe('started');
    expect(await waitForStart(transport)).toBe(start);
  });

  it('resolves null when the socket closes before start', async () => {
    const [server, client] = createSocketPair();
    const transport = new TwilioTransport({ socket: server });
    const started = waitForStart(transport);
    client.close(1006, '');
    expect(await started).toBeNull();
    expect(transport.state).toBe('closed');
    expect(await waitForStart(transport)).toBeNull();
  });

  it("gets the browser transport's synthetic start", async () => {
    const [server] = createSocketPair();
    const transport = new BrowserTransport({
      socket: server,
      callSid: 'web-1',
      customParameters: { agentId: 'a' },
    });
    await flushMicrotasks();
    const start = await waitForStart(transport);
    expect(start).toMatchObject({
      callSid: 'web-1',
      streamSid: 'web-1-media',
      customParameters: { agentId: 'a' },
    });
  });
});
