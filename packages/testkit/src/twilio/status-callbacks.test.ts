import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redirectTwilioHttpClient } from './rest-client.ts';
import { startTwilioRestFake, type TwilioRestFake } from './rest-fake.ts';
import { parseForm, type TwilioParams, twilioSignature } from './signature.ts';

const ACCOUNT = 'AC00000000000000000000000000000001';
const TOKEN = 'status_callback_token';
const PUBLIC = 'https://app.example.com';

let fake: TwilioRestFake;
let receiver: Server;
const received: { path: string; form: TwilioParams; valid: boolean }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const form = parseForm(body);
      const expected = twilioSignature(TOKEN, `${PUBLIC}${req.url}`, form);
      received.push({ path: req.url ?? '', form, valid: req.headers['x-twilio-signature'] === expected });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const local = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  fake = await startTwilioRestFake({
    accountSid: ACCOUNT,
    authToken: TOKEN,
    statusCallbacks: { rewriteUrl: (url) => url.replace(PUBLIC, local) },
  });
});
afterAll(async () => {
  await fake.close();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('status callbacks of the REST fake', () => {
  it('sends the completed callback of an inbound call whose update asked for it, signed', async () => {
    const sid = `CA${'1'.repeat(32)}`;
    fake.addInboundCall(sid, { From: '+14155550100', To: '+15005550006' });
    const client = twilio(ACCOUNT, TOKEN, {
      httpClient: redirectTwilioHttpClient(fake.url, new twilio.RequestClient()),
    });
    await client
      .calls(sid)
      .update({ statusCallback: `${PUBLIC}/status?callId=x`, statusCallbackMethod: 'POST' });
    expect(fake.getCall(sid)?.statusCallback).toMatchObject({ events: ['completed'], method: 'POST' });
    const sent = new Promise((resolve) => fake.once('status_callback', resolve));
    fake.setCallStatus(sid, 'completed');
    await sent;
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      path: '/status?callId=x',
      valid: true,
      form: { CallSid: sid, CallStatus: 'completed', SequenceNumber: '0', Direction: 'inbound' },
    });
    expect(received[0]?.form.CallDuration).toMatch(/^\d+$/);
  });

  it('sends only the events a created call asked for, numbered in order', async () => {
    const client = twilio(ACCOUNT, TOKEN, {
      httpClient: redirectTwilioHttpClient(fake.url, new twilio.RequestClient()),
    });
    const call = await client.calls.create({
      to: '+14155550111',
      from: '+15005550006',
      url: `${PUBLIC}/voice`,
      statusCallback: `${PUBLIC}/out`,
      statusCallbackEvent: ['answered', 'completed'],
    });
    const before = fake.sentStatusCallbacks.length;
    fake.setCallStatus(call.sid, 'ringing');
    fake.setCallStatus(call.sid, 'in-progress');
    fake.setCallStatus(call.sid, 'busy');
    await new Promise<void>((resolve) => {
      const check = () => (fake.sentStatusCallbacks.length - before >= 2 ? resolve() : setTimeout(check, 10));
      check();
    });
    const mine = fake.sentStatusCallbacks.slice(before).sort((a, b) => a.sequenceNumber - b.sequenceNumber);
    expect(mine.map((c) => [c.callStatus, c.sequenceNumber, c.result?.status])).toEqual([
      ['in-progress', 0, 204],
      ['busy', 1, 204],
    ]);
  });
});
