import twilio from 'twilio';
import type TwilioRequestClient from 'twilio/lib/base/RequestClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redirectTwilioHttpClient } from './rest-client.ts';
import { startTwilioRestFake, type TwilioRestFake } from './rest-fake.ts';

const ACCOUNT = 'AC00000000000000000000000000000000';
const TOKEN = 'test_auth_token';
let fake: TwilioRestFake;
let client: ReturnType<typeof twilio>;

beforeAll(async () => {
  fake = await startTwilioRestFake({ accountSid: ACCOUNT, authToken: TOKEN });
  client = twilio(ACCOUNT, TOKEN, {
    httpClient: redirectTwilioHttpClient(fake.url, new twilio.RequestClient()),
  });
});
afterAll(() => fake.close());

/** The dependency-free recipe for production code (docs/testkit.md): subclass RequestClient. */
class RedirectingRequestClient extends twilio.RequestClient {
  readonly #base: string;
  constructor(base: string) {
    super();
    this.#base = base;
  }
  override request<TData>(opts: TwilioRequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: opts.uri.replace(/^https:\/\/api\.twilio\.com/, this.#base) });
  }
}

describe('TwilioRestFake with the real twilio SDK', () => {
  it('works through a RequestClient subclass (the server-side recipe)', async () => {
    const viaSubclass = twilio(ACCOUNT, TOKEN, { httpClient: new RedirectingRequestClient(fake.url) });
    const msg = await viaSubclass.messages.create({ to: '+14155550100', from: '+15005550006', body: 'Hi' });
    expect(msg.sid).toMatch(/^SM/);
  });

  it('creates a call (repeated StatusCallbackEvent kept as an array)', async () => {
    const call = await client.calls.create({
      to: '+14155550100',
      from: '+15005550006',
      url: 'https://bridge.example.com/api/twiml/connect-stream',
      statusCallback: 'https://bridge.example.com/api/twiml/status',
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      machineDetection: 'DetectMessageEnd',
      asyncAmd: 'true',
      asyncAmdStatusCallback: 'https://bridge.example.com/api/twiml/amd',
    });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call.status).toBe('queued');
    expect(call.direction).toBe('outbound-api');
    expect(call.accountSid).toBe(ACCOUNT);
    expect(call.to).toBe('+14155550100');
    expect(call.toFormatted).toBe('(415) 555-0100');
    const req = fake.requests.at(-1);
    expect(req).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${ACCOUNT}/Calls.json`,
      auth: { username: ACCOUNT, password: TOKEN },
      status: 201,
    });
    expect(req?.form).toMatchObject({
      To: '+14155550100',
      StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      MachineDetection: 'DetectMessageEnd',
      AsyncAmd: 'true',
    });
    expect(fake.getCall(call.sid)?.params.Url).toBe('https://bridge.example.com/api/twiml/connect-stream');
  });

  it('fetches and updates a call (twiml transfer, hang-up)', async () => {
    const created = await client.calls.create({
      to: '+14155550101',
      from: '+15005550006',
      twiml: '<Response/>',
    });
    fake.setCallStatus(created.sid, 'in-progress');
    const fetched = await client.calls(created.sid).fetch();
    expect(fetched.status).toBe('in-progress');
    expect(fetched.startTime).toBeInstanceOf(Date);
    await client.calls(created.sid).update({ twiml: '<Response><Dial>+14155550199</Dial></Response>' });
    expect(fake.getCall(created.sid)?.updates[0]).toEqual({
      Twiml: '<Response><Dial>+14155550199</Dial></Response>',
    });
    const ended = await client.calls(created.sid).update({ status: 'completed' });
    expect(ended.status).toBe('completed');
    await expect(client.calls(created.sid).update({ url: 'https://x.example/next' })).rejects.toMatchObject({
      status: 400,
      code: 21220,
    });
    const queued = await client.calls.create({
      to: '+14155550102',
      from: '+15005550006',
      twiml: '<Response/>',
    });
    expect((await client.calls(queued.sid).update({ status: 'canceled' })).status).toBe('canceled');
  });

  it('sends an SMS', async () => {
    const msg = await client.messages.create({ to: '+14155550100', from: '+15005550006', body: 'Thanks!' });
    expect(msg.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(msg.status).toBe('queued');
    expect(msg.body).toBe('Thanks!');
    expect(fake.messages.at(-1)?.to).toBe('+14155550100');
  });

  it('answers errors in Twilio JSON shape (validation, failNext, auth, 404)', async () => {
    await expect(
      client.calls.create({ to: 'nope', from: '+15005550006', twiml: '<Response/>' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21211,
      message: "Invalid 'To' Phone Number: nope",
      moreInfo: 'https://www.twilio.com/docs/errors/21211',
    });
    fake.failNext({ status: 429, code: 20429, message: 'Too Many Requests', match: { path: '/Messages' } });
    await expect(
      client.calls.create({ to: '+14155550100', from: '+1500', twiml: '<Response/>' }),
    ).resolves.toBeTruthy();
    await expect(
      client.messages.create({ to: '+14155550100', from: '+15005550006', body: 'x' }),
    ).rejects.toMatchObject({ status: 429, code: 20429 });
    const bad = twilio(ACCOUNT, 'wrong', {
      httpClient: redirectTwilioHttpClient(fake.url, new twilio.RequestClient()),
    });
    await expect(bad.calls('CA0').fetch()).rejects.toMatchObject({
      status: 401,
      code: 20003,
      message: 'Authenticate',
    });
    await expect(client.calls('CA404').fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('answers raw HTTP with the documented body shape', async () => {
    const res = await fetch(`${fake.url}/2010-04-01/Accounts/${ACCOUNT}/Calls.json`, { method: 'POST' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
  });
});

describe('IncomingPhoneNumbers', () => {
  it('lists a number by PhoneNumber and updates its webhooks through the SDK', async () => {
    const added = fake.addPhoneNumber('+14155550190', { voice_url: 'https://old.example.com/voice' });
    const [found] = await client.incomingPhoneNumbers.list({ phoneNumber: '+14155550190', limit: 5 });
    expect(found).toMatchObject({ sid: added.sid, voiceUrl: 'https://old.example.com/voice' });
    expect(await client.incomingPhoneNumbers.list({ phoneNumber: '+14155550999' })).toEqual([]);
    const updated = await client.incomingPhoneNumbers(added.sid).update({
      voiceUrl: 'https://sb.example.com/api/twiml/connect-stream',
      voiceMethod: 'POST',
      statusCallback: 'https://sb.example.com/api/twiml/status',
    });
    expect(updated).toMatchObject({
      voiceUrl: 'https://sb.example.com/api/twiml/connect-stream',
      statusCallback: 'https://sb.example.com/api/twiml/status',
      statusCallbackMethod: 'POST',
    });
    await expect(
      client.incomingPhoneNumbers(added.sid).update({ voiceUrl: 'ftp://x' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 21502,
    });
    await expect(client.incomingPhoneNumbers('PN_unknown').fetch()).rejects.toMatchObject({ status: 404 });
  });
});
