/**
 * A real server listening on loopback, wired to the test kit's fakes (OpenAI Realtime, Twilio
 * REST) through the same URL variables production uses, with one organization whose number is
 * answered by its default agent. Used by every call-level test.
 */
import { phoneNumbers } from '@switchboard/db';
import {
  type FakeOpenAIRealtime,
  type FakeOpenAIRealtimeOptions,
  type InboundCall,
  startFakeOpenAIRealtime,
  startInboundCall,
  startTwilioRestFake,
  type TwilioRestFake,
} from '@switchboard/testkit';
import { buildTestApp, type SeededOrg, type TestApp, type TestDbKind } from './test-app.ts';

export const PUBLIC_URL = 'https://bridge.example.com';
export const TWILIO_ACCOUNT_SID = `AC${'0'.repeat(32)}`;
export const TWILIO_AUTH_TOKEN = 'test_auth_token';
export const OPENAI_KEY = 'sk-test-key';
export const OUR_NUMBER = '+15005550006';
export const CALLER_NUMBER = '+14155550123';

export interface VoiceHarness {
  t: TestApp;
  openai: FakeOpenAIRealtime;
  rest: TwilioRestFake;
  /** http://127.0.0.1:PORT of the server. */
  base: string;
  org: SeededOrg;
  /** A signed inbound call to OUR_NUMBER from CALLER_NUMBER (override with params). */
  inboundCall(params?: Record<string, string>): Promise<InboundCall>;
  /** A webhook/callback URL pair: where to send it and what PUBLIC_URL makes the server validate. */
  urls(path: string): { url: string; signatureUrl: string };
  close(): Promise<void>;
}

export async function startVoiceHarness(
  kind: TestDbKind,
  options: {
    openai?: FakeOpenAIRealtimeOptions;
    env?: Record<string, string>;
    jobs?: boolean;
    clock?: () => Date;
    /** The Twilio fake sends status callbacks to this server, as Twilio would. */
    statusCallbacks?: boolean;
  } = {},
): Promise<VoiceHarness> {
  const openai = await startFakeOpenAIRealtime({ apiKey: OPENAI_KEY, ...options.openai });
  let base = '';
  const rest = await startTwilioRestFake({
    accountSid: TWILIO_ACCOUNT_SID,
    authToken: TWILIO_AUTH_TOKEN,
    ...(options.statusCallbacks
      ? { statusCallbacks: { rewriteUrl: (u: string) => u.replace(PUBLIC_URL, base) } }
      : {}),
  });
  const t = await buildTestApp(kind, {
    env: {
      PUBLIC_URL,
      TWILIO_ACCOUNT_SID,
      TWILIO_AUTH_TOKEN,
      TWILIO_PHONE_NUMBER: OUR_NUMBER,
      TWILIO_API_BASE_URL: rest.url,
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_REALTIME_URL: openai.url,
      ...options.env,
    },
    ...(options.jobs ? { jobs: true } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const org = await t.seedOrg();
  await t.ctx.db
    .insert(phoneNumbers)
    .values({ organizationId: org.id, e164: OUR_NUMBER, agentId: org.agent.id });
  const urls = (path: string) => ({ url: `${base}${path}`, signatureUrl: `${PUBLIC_URL}${path}` });
  return {
    t,
    openai,
    rest,
    base,
    org,
    urls,
    inboundCall: (params = {}) =>
      startInboundCall({
        ...urls('/api/twiml/connect-stream'),
        authToken: TWILIO_AUTH_TOKEN,
        params: { To: OUR_NUMBER, From: CALLER_NUMBER, AccountSid: TWILIO_ACCOUNT_SID, ...params },
      }),
    close: async () => {
      await t.close();
      await openai.close();
      await rest.close();
    },
  };
}

/** Polls `probe` until it returns something truthy (for state that changes without an event). */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
