/**
 * A real call through the real server, made with the test kit: a simulated Twilio inbound call
 * talks to a fake OpenAI Realtime server while the dashboard's Live calls page watches it update,
 * then the call page shows its transcript. Skipped (with the reason) until the server has the
 * voice pipeline (`POST /api/twiml/connect-stream`) and the live event stream (`GET /api/events`).
 */

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Call, ListResponse } from '@switchboard/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  dashboardUrl,
  ensureBuilt,
  hasEventStream,
  hasRoute,
  launchBrowser,
  login,
  OWNER,
  type ServerHandle,
  screenshot,
  signIn,
  startServer,
  watchConsole,
  writeMicWav,
} from './harness.ts';

const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'e2e-twilio-auth-token';
const PUBLIC_URL = 'https://switchboard.e2e.example';
const NUMBER = '+14155550199';

let server: ServerHandle | undefined;
let dash: Awaited<ReturnType<typeof dashboardUrl>> | undefined;
let browser: Browser | undefined;
let skipReason: string | null = null;
const closers: (() => Promise<unknown>)[] = [];
let twilioFake: Awaited<ReturnType<typeof import('@switchboard/testkit')['startTwilioRestFake']>> | undefined;

beforeAll(async () => {
  // Build first: a server serves the dashboard files present when it starts.
  await ensureBuilt();
  // The test kit's fakes are only needed once the server can take calls.
  const probe = await startServer();
  try {
    const token = await login(probe.url, OWNER.email, OWNER.password);
    if (!(await hasRoute(probe.url, token, 'POST', '/api/twiml/connect-stream'))) {
      skipReason = 'the server has no voice pipeline yet (POST /api/twiml/connect-stream answers 404)';
    } else if (!(await hasEventStream(probe.url, token))) {
      skipReason = 'the server has no live event stream yet (GET /api/events)';
    }
  } finally {
    await probe.stop();
  }
  if (skipReason) return;

  const testkit = await import('@switchboard/testkit');
  const openai = await testkit.startFakeOpenAIRealtime({
    speed: 2,
    script: [
      { on: 'greeting', say: { text: 'Thanks for calling Acme Dental, this is Ava. How can I help?' } },
      {
        on: 'user_turn',
        userTranscript: 'Do you take new patients?',
        say: { text: 'We do! Would you like to book a first visit?' },
      },
    ],
  });
  closers.push(() => openai.close());
  const twilio = await testkit.startTwilioRestFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  twilioFake = twilio;
  closers.push(() => twilio.close());
  server = await startServer({
    PUBLIC_URL,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_PHONE_NUMBER: NUMBER,
    TWILIO_API_BASE_URL: twilio.url,
    OPENAI_API_KEY: 'sk-e2e-fake-key',
    OPENAI_REALTIME_URL: openai.url,
  });
  dash = await dashboardUrl(server.url);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await server?.stop();
  for (const close of closers.reverse()) await close().catch(() => {});
}, 60_000);

describe('a call made with the test kit', { timeout: 90_000 }, () => {
  it('updates the Live calls page as it happens, then shows its transcript', async (ctx) => {
    if (skipReason || !server || !dash || !browser) {
      console.warn(`live call e2e skipped: ${skipReason}`);
      ctx.skip();
      return;
    }
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const watch = watchConsole(context);
    const page = await context.newPage();
    await signIn(page, dash.url, OWNER.email, OWNER.password);
    await page.goto(`${dash.url}/live`);
    await page.getByText('No calls in progress').waitFor();

    const testkit = await import('@switchboard/testkit');
    const call = await testkit.startInboundCall({
      url: `${server.url}/api/twiml/connect-stream`,
      signatureUrl: `${PUBLIC_URL}/api/twiml/connect-stream`,
      authToken: AUTH_TOKEN,
      params: { To: NUMBER, From: '+14155550142' },
    });
    expect(call.stream, 'the server answered the voice webhook with a media stream').not.toBeNull();

    // The call appears without a reload, and the greeting streams in.
    await page.getByText('Thanks for calling Acme Dental').waitFor({ timeout: 20_000 });
    await call.stream?.sendAudio(testkit.mulawTone(440, 1200));
    await call.stream?.sendSilence(1200);
    await page.getByText('We do! Would you like to book a first visit?').waitFor({ timeout: 20_000 });
    await screenshot(page, '50-live-call-real');

    // Hang up from the dashboard: the server ends the call and Twilio's side sees the stream close.
    const closed = call.stream
      ? new Promise((resolve) => call.stream?.once('closed', resolve))
      : Promise.resolve();
    await page.getByRole('button', { name: /^Hang up Inbound/ }).click();
    await page
      .getByRole('dialog', { name: 'Hang up this call?' })
      .getByRole('button', { name: 'Hang up now' })
      .click();
    await Promise.race([
      closed,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('stream still open after hang-up')), 15_000),
      ),
    ]);
    await page.locator('.live-card--ended').waitFor({ timeout: 15_000 });
    await screenshot(page, '52-live-call-hung-up');

    const token = await login(server.url, OWNER.email, OWNER.password);
    const calls = await apiCall<ListResponse<Call>>(server.url, token, 'GET', '/api/calls?limit=1');
    const id = calls.body.items[0]?.id;
    expect(id).toBeTruthy();
    await page.goto(`${dash.url}/calls/${id}`);
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    await page.getByText('Do you take new patients?').waitFor();
    expect(await page.locator('.turn').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, '51-call-transcript-real');
    expect(watch.errors).toEqual([]);
    expect(watch.httpErrors).toEqual([]);
    await context.close();
  });

  it('talks to an agent from the browser: microphone in, agent audio and transcript out', async (ctx) => {
    if (skipReason || !server || !dash || !browser) {
      ctx.skip();
      return;
    }
    const token = await login(server.url, OWNER.email, OWNER.password);
    if (!(await hasRoute(server.url, token, 'GET', '/api/browser-call'))) {
      console.warn('browser test call e2e skipped: the server has no /api/browser-call yet');
      ctx.skip();
      return;
    }
    const agents = await apiCall<ListResponse<{ id: string }>>(server.url, token, 'GET', '/api/agents');
    // A microphone that stays quiet through the greeting, then "speaks" (a tone) once.
    const mic = writeMicWav(join(tmpdir(), `switchboard-e2e-mic-${process.pid}.wav`), [
      { ms: 6000 },
      { ms: 1200, tone: true },
      { ms: 8000 },
    ]);
    const micBrowser = await launchBrowser([`--use-file-for-fake-audio-capture=${mic}`]);
    closers.push(() => micBrowser.close());
    const context = await micBrowser.newContext({ viewport: { width: 1360, height: 900 } });
    const watch = watchConsole(context);
    const page = await context.newPage();
    let audioSent = 0;
    let audioReceived = 0;
    page.on('websocket', (ws) => {
      ws.on('framesent', (f) => {
        if (String(f.payload).includes('"type":"audio"')) audioSent++;
      });
      ws.on('framereceived', (f) => {
        if (String(f.payload).includes('"type":"audio"')) audioReceived++;
      });
    });
    await signIn(page, dash.url, OWNER.email, OWNER.password);
    await page.goto(`${dash.url}/agents/${agents.body.items[0]?.id}`);
    await page.getByRole('button', { name: 'Start test call' }).click();
    await page.locator('.browser-test__phase--connected').waitFor({ timeout: 20_000 });
    // Chromium's fake microphone feeds the call; the fake model greets and its words appear.
    const transcript = page.locator('.browser-test__transcript');
    await transcript
      .getByText('Thanks for calling Acme Dental, this is Ava. How can I help?')
      .waitFor({ timeout: 20_000 });
    // The tone is heard as the caller's turn and the agent answers it.
    await transcript.getByText('We do! Would you like to book a first visit?').waitFor({ timeout: 20_000 });
    expect(audioSent).toBeGreaterThan(50);
    expect(audioReceived).toBeGreaterThan(0);
    await screenshot(page, '55-browser-test-call');
    await page.getByRole('button', { name: 'End test call' }).click();
    await page.locator('.browser-test__phase--ended').waitFor({ timeout: 10_000 });
    await page.getByRole('link', { name: 'Open this call in the call log' }).click();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    await screenshot(page, '56-browser-test-call-log');
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('places an outbound call with "Call now" and shows its progress', async (ctx) => {
    if (skipReason || !server || !dash || !browser) {
      ctx.skip();
      return;
    }
    const token = await login(server.url, OWNER.email, OWNER.password);
    const created = await apiCall<{ id: string }>(server.url, token, 'POST', '/api/prospects', {
      company: 'Call Now Co',
      contact: 'Cal Now',
      phone: '+14155550177',
    });
    // Probe with an unknown id so nothing is dialled: a missing route and a missing prospect differ.
    if (
      !(await hasRoute(server.url, token, 'POST', '/api/prospects/00000000-0000-4000-8000-000000000000/call'))
    ) {
      console.warn('"Call now" e2e skipped: the server has no POST /api/prospects/:id/call yet');
      ctx.skip();
      return;
    }
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await signIn(page, dash.url, OWNER.email, OWNER.password);
    await page.goto(`${dash.url}/prospects/${created.body.id}`);
    await page.getByRole('button', { name: 'Call Cal Now now' }).click();
    const dialog = page.getByRole('dialog', { name: 'Call Cal Now' });
    const twilioCreated = new Promise<{ sid: string; params: Record<string, unknown> }>((resolve) =>
      twilioFake?.once('call_created', (c) => resolve(c)),
    );
    await dialog.getByRole('button', { name: 'Start call' }).click();
    await dialog.getByRole('list', { name: 'Call progress' }).waitFor();
    await dialog.getByRole('link', { name: 'Open the call' }).waitFor();
    await screenshot(page, '53-call-now-progress');

    // Twilio reports progress: the dialog follows it without a reload.
    const fakeCall = await twilioCreated;
    const publicCallback = String(fakeCall.params.StatusCallback);
    const local = new URL(publicCallback);
    const testkit = await import('@switchboard/testkit');
    const progress = async (callStatus: 'ringing' | 'no-answer', sequenceNumber: number) => {
      const res = await testkit.sendStatusCallback({
        url: `${server?.url}${local.pathname}${local.search}`,
        signatureUrl: publicCallback,
        authToken: AUTH_TOKEN,
        callStatus,
        sequenceNumber,
        params: { CallSid: fakeCall.sid, AccountSid: ACCOUNT_SID, Direction: 'outbound-api' },
      });
      expect(res.status).toBeLessThan(300);
    };
    await progress('ringing', 1);
    await dialog.locator('[aria-current="step"]', { hasText: 'Ringing' }).waitFor({ timeout: 10_000 });
    await progress('no-answer', 2);
    await dialog.getByRole('status').getByText('No answer').waitFor({ timeout: 10_000 });
    await screenshot(page, '54-call-now-no-answer');
    await context.close();
  });
});
