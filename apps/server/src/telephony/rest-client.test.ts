import { startTwilioRestFake, type TwilioRestFake } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTwilioError, twilioRestClient } from './rest-client.ts';

const SID = 'AC11111111111111111111111111111111';
const TOKEN = 'rest-client-test-token';
const sidOf = (n: number) => `AC${String(n).padStart(32, '0')}`;

describe('twilioRestClient', () => {
  let rest: TwilioRestFake;
  beforeAll(async () => {
    rest = await startTwilioRestFake({ accountSid: SID, authToken: TOKEN });
  });
  afterAll(() => rest.close());

  it('reuses one client per account, API base and timeout', () => {
    const first = twilioRestClient({ accountSid: SID, authToken: TOKEN }, rest.url);
    expect(twilioRestClient({ accountSid: SID, authToken: TOKEN }, rest.url)).toBe(first);
    expect(twilioRestClient({ accountSid: SID, authToken: TOKEN }, `${rest.url}/`)).not.toBe(first);
    expect(twilioRestClient({ accountSid: SID, authToken: TOKEN }, rest.url, 2_000)).not.toBe(first);
    expect(twilioRestClient({ accountSid: sidOf(7), authToken: TOKEN }, rest.url)).not.toBe(first);
  });

  it('replaces the client when the account’s auth token changes', async () => {
    const wrong = twilioRestClient({ accountSid: SID, authToken: 'an-old-token' }, rest.url);
    const failure = await wrong.calls
      .create({ to: '+14155550100', from: '+14155550199', url: 'https://x.test/a' })
      .then(
        () => null,
        (error: unknown) => describeTwilioError(error),
      );
    expect(failure?.status).toBe(401);
    const right = twilioRestClient({ accountSid: SID, authToken: TOKEN }, rest.url);
    expect(right).not.toBe(wrong);
    expect(twilioRestClient({ accountSid: SID, authToken: TOKEN }, rest.url)).toBe(right);
  });

  it('serves requests one after the other on the kept client', async () => {
    const client = twilioRestClient({ accountSid: SID, authToken: TOKEN }, rest.url);
    const before = rest.requests.length;
    for (let i = 0; i < 3; i++) {
      const call = await client.calls.create({
        to: '+14155550100',
        from: '+14155550199',
        url: 'https://x.test/a',
      });
      expect(call.sid).toMatch(/^CA/);
      await twilioRestClient({ accountSid: SID, authToken: TOKEN }, rest.url)
        .calls(call.sid)
        .update({ status: 'completed' });
    }
    expect(rest.requests.length - before).toBe(6);
  });

  it('keeps at most 32 clients, dropping the least recently used', () => {
    const creds = (n: number) => ({ accountSid: sidOf(n), authToken: TOKEN });
    const kept = twilioRestClient(creds(1000), rest.url);
    const dropped = twilioRestClient(creds(1001), rest.url);
    for (let n = 0; n < 31; n++) {
      twilioRestClient(creds(2000 + n), rest.url);
      expect(twilioRestClient(creds(1000), rest.url)).toBe(kept); // used again: stays
    }
    expect(twilioRestClient(creds(1000), rest.url)).toBe(kept);
    expect(twilioRestClient(creds(1001), rest.url)).not.toBe(dropped);
  });
});
