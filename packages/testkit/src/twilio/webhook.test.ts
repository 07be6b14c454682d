import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForm } from './signature.ts';
import {
  sendAmdCallback,
  sendStatusCallback,
  sendStreamStatusCallback,
  sendVoiceWebhook,
} from './webhook.ts';

const TOKEN = 'test_auth_token';
const PUBLIC = 'https://bridge.example.com';
let server: Server;
let base = '';
const seen: Array<{ path: string; params: Record<string, unknown>; valid: boolean }> = [];

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}

beforeAll(async () => {
  // A minimal "product" endpoint that validates like the real server (signing the public URL).
  server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    const params = req.method === 'GET' ? {} : parseForm(await readBody(req));
    const sig = req.headers['x-twilio-signature'];
    const valid =
      typeof sig === 'string' &&
      twilio.validateRequest(TOKEN, sig, `${PUBLIC}${path}`, params as Record<string, string>);
    seen.push({ path, params, valid });
    if (!valid) {
      res.writeHead(403).end('Twilio Request Validation Failed.');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/xml' });
    res.end(
      path.startsWith('/voice')
        ? '<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://bridge.example.com/media"><Parameter name="token" value="t1"/></Stream></Connect></Response>'
        : '',
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('sendVoiceWebhook', () => {
  it('posts a signed form with realistic defaults and parses the TwiML', async () => {
    const r = await sendVoiceWebhook({
      url: `${base}/voice`,
      signatureUrl: `${PUBLIC}/voice`,
      authToken: TOKEN,
      params: { From: '+14155550123' },
    });
    expect(r.status).toBe(200);
    expect(r.twiml?.stream?.parameters).toEqual({ token: 't1' });
    const got = seen.at(-1)?.params ?? {};
    expect(got).toMatchObject({
      ApiVersion: '2010-04-01',
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: '+14155550123',
      Caller: '+14155550123',
      To: '+15005550006',
    });
    expect(got.CallSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(got.AccountSid).toMatch(/^AC[0-9a-f]{32}$/);
  });

  it('can send a bad or missing signature', async () => {
    const bad = await sendVoiceWebhook({
      url: `${base}/voice`,
      signatureUrl: `${PUBLIC}/voice`,
      authToken: TOKEN,
      badSignature: true,
    });
    expect(bad.status).toBe(403);
    expect(bad.twiml).toBeNull();
    const none = await sendVoiceWebhook({ url: `${base}/voice`, authToken: TOKEN, omitSignature: true });
    expect(none.status).toBe(403);
  });

  it('signs GET webhooks over the query string', async () => {
    const r = await sendVoiceWebhook({
      url: `${base}/voice?x=1`,
      signatureUrl: `${PUBLIC}/voice?x=1`,
      authToken: TOKEN,
      method: 'GET',
    });
    expect(r.status).toBe(200);
    expect(seen.at(-1)?.path).toContain('CallStatus=ringing');
  });
});

describe('callbacks', () => {
  it('sends call status callbacks with sequence numbers and duration', async () => {
    const callSid = 'CA11111111111111111111111111111111';
    const r = await sendStatusCallback({
      url: `${base}/status`,
      signatureUrl: `${PUBLIC}/status`,
      authToken: TOKEN,
      callStatus: 'completed',
      sequenceNumber: 3,
      callDuration: 42,
      params: { CallSid: callSid, Direction: 'outbound-api' },
    });
    expect(r.status).toBe(200);
    expect(seen.at(-1)?.params).toMatchObject({
      CallSid: callSid,
      CallStatus: 'completed',
      CallbackSource: 'call-progress-events',
      SequenceNumber: '3',
      CallDuration: '42',
      Direction: 'outbound-api',
    });
    expect(String(seen.at(-1)?.params.Timestamp)).toMatch(
      /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/,
    );
  });

  it('sends AMD and stream status callbacks', async () => {
    await sendAmdCallback({
      url: `${base}/amd`,
      signatureUrl: `${PUBLIC}/amd`,
      authToken: TOKEN,
      answeredBy: 'machine_end_beep',
      machineDetectionDuration: 4100,
      params: { CallSid: 'CA1' },
    });
    expect(seen.at(-1)).toMatchObject({
      valid: true,
      params: { CallSid: 'CA1', AnsweredBy: 'machine_end_beep', MachineDetectionDuration: '4100' },
    });
    await sendStreamStatusCallback({
      url: `${base}/stream`,
      signatureUrl: `${PUBLIC}/stream`,
      authToken: TOKEN,
      streamEvent: 'stream-started',
      streamSid: 'MZ1',
    });
    expect(seen.at(-1)).toMatchObject({
      valid: true,
      params: { StreamEvent: 'stream-started', StreamSid: 'MZ1' },
    });
  });
});
