import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInboundCall } from './call.ts';

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const twiml =
      req.url === '/bad'
        ? '<Response><Connect><Stream url="ws://insecure.example/x"/></Connect></Response>'
        : '<Response><Say>Sorry, we are closed.</Say><Hangup/></Response>';
    req.resume();
    res.writeHead(200, { 'Content-Type': 'text/xml' }).end(twiml);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('startInboundCall', () => {
  it('opens no stream for TwiML without <Connect><Stream>', async () => {
    const c = await startInboundCall({ url: `${base}/closed`, authToken: 't' });
    expect(c.stream).toBeNull();
    expect(c.webhook.twiml?.verbs.map((v) => v.name)).toEqual(['Say', 'Hangup']);
    expect(c.callSid).toMatch(/^CA/);
  });

  it('opens no stream when Twilio would reject the <Stream> (non-wss url)', async () => {
    const c = await startInboundCall({ url: `${base}/bad`, authToken: 't' });
    expect(c.stream).toBeNull();
    expect(c.webhook.twiml?.problems[0]?.code).toBe(31922);
  });
});
