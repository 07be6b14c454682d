/**
 * The website widget in real Chromium: a page served from a second origin embeds the widget
 * with the dashboard's snippet; a chat books a meeting through the agent's tools (fake OpenAI
 * chat) and lands in the call log as `web_chat`; a voice session with Chromium's fake
 * microphone talks to the fake OpenAI Realtime server (captions, call-start / call-end); the
 * same page from a third origin is refused; a replayed token is refused. Screenshots: closed,
 * open, chatting, in a call, mobile, refused.
 */
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Call, ListResponse } from '@switchboard/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  apiCall,
  dashboardUrl,
  ensureBuilt,
  freePort,
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

let server: ServerHandle | undefined;
let browser: Browser | undefined;
let site: Server | undefined;
let sitePort = 0;
let token = '';
let agentKey = '';
let agentId = '';
let snippet = '';
const closers: (() => Promise<unknown>)[] = [];

/** The next weekday at least two days ahead, 10:00 UTC (the organization's time zone). */
function meetingStart(): string {
  const d = new Date(Date.now() + 2 * 86_400_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return `${d.toISOString().slice(0, 10)}T10:00:00+00:00`;
}
const START = meetingStart();

beforeAll(async () => {
  await ensureBuilt(); // the dashboard's Widget tab is part of the test
  const testkit = await import('@switchboard/testkit');
  const chat = await testkit.startFakeOpenAIChat({
    apiKey: 'sk-e2e-widget',
    script: [
      {
        when: { afterTool: 'check_availability' },
        say: `${START.slice(0, 10)} at 10:00 is free. Shall I book it?`,
      },
      {
        when: { afterTool: 'book_appointment' },
        say: `Done! You are booked on ${START.slice(0, 10)} at 10:00.`,
      },
      {
        when: { lastUser: 'available' },
        toolCalls: [{ name: 'check_availability', arguments: { date: START.slice(0, 10) } }],
      },
      {
        when: { lastUser: 'book' },
        toolCalls: [
          {
            name: 'book_appointment',
            arguments: { start: START, name: 'Grace Hopper', email: 'grace@example.com' },
          },
        ],
      },
    ],
  });
  closers.push(() => chat.close());
  const realtime = await testkit.startFakeOpenAIRealtime({
    speed: 1,
    script: [
      {
        on: 'greeting',
        say: {
          text: 'Hello! You are talking to Ava from Acme Dental. We are open every weekday.',
          durationMs: 6000,
        },
      },
      {
        on: 'user_turn',
        userTranscript: 'Can I book a cleaning?',
        say: { text: 'Of course, when suits you?', durationMs: 800 },
      },
    ],
  });
  closers.push(() => realtime.close());
  server = await startServer({
    OPENAI_API_KEY: 'sk-e2e-widget',
    OPENAI_BASE_URL: chat.url,
    OPENAI_REALTIME_URL: realtime.url,
  });
  token = await login(server.url, OWNER.email, OWNER.password);
  const agents = await apiCall<ListResponse<{ id: string }>>(server.url, token, 'GET', '/api/agents');
  agentId = agents.body.items[0]!.id;
  sitePort = await freePort();
  const widget = await apiCall<{ publicKey: string }>(
    server.url,
    token,
    'PUT',
    `/api/agents/${agentId}/widget`,
    {
      enabled: true,
      allowedOrigins: [`http://127.0.0.1:${sitePort}`],
      channels: ['chat', 'voice'],
      theme: { color: '#0f766e', title: 'Acme Dental', welcomeMessage: 'Hi! How can we help you today?' },
    },
  );
  agentKey = widget.body.publicKey;
  // A customer's page with its own (hostile) CSS, served from another origin than the server.
  const html = `<!doctype html><html><head><meta name="viewport" content="width=device-width,initial-scale=1">
<style>* { font-family: serif !important; color: red; } button { background: yellow !important; } div { padding: 30px; }</style>
</head><body><h1>Acme Dental</h1><p>Welcome to our site.</p>
SNIPPET
<script>window.widgetEvents=[];for(const t of ['open','close','message','call-start','call-end','error'])document.querySelector('switchboard-widget').addEventListener(t,e=>window.widgetEvents.push({type:t,detail:e.detail}));</script>
</body></html>`;
  // The snippet is the one the dashboard shows (set by the first test; this is its fallback).
  snippet = `<script src="${server.url}/widget.js" async></script>\n<switchboard-widget agent-key="${agentKey}"></switchboard-widget>`;
  site = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(html.replace('SNIPPET', snippet)),
  );
  await new Promise<void>((resolve) => site!.listen(sitePort, '0.0.0.0', resolve));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(null)));
  await server?.stop();
  for (const close of closers) await close();
});

const events = (page: import('playwright-core').Page) =>
  page.evaluate(
    () => (window as unknown as { widgetEvents: { type: string; detail: unknown }[] }).widgetEvents,
  );

describe('website widget in Chromium', () => {
  it('shows the Widget tab in the agent studio with the snippet and a live preview', async () => {
    const dash = await dashboardUrl(server!.url);
    closers.push(dash.close);
    const context = await browser!.newContext({ viewport: { width: 1360, height: 1000 } });
    const consoleWatch = watchConsole(context);
    const page = await context.newPage();
    await signIn(page, dash.url, OWNER.email, OWNER.password);
    await page.goto(`${dash.url}/agents/${agentId}?tab=widget`);
    await page.getByRole('heading', { name: 'Embed snippet' }).waitFor();
    const shown = (await page.locator('pre.snippet').textContent()) ?? '';
    expect(shown).toContain(`agent-key="${agentKey}"`);
    expect(shown).toContain('/widget.js');
    snippet = shown;
    expect(await page.getByLabel('Allowed websites').inputValue()).toBe(`http://127.0.0.1:${sitePort}`);
    // The preview is the real widget, inline, talking to this server.
    await page
      .locator('.widget-preview switchboard-widget .msg', { hasText: 'How can we help' })
      .waitFor({ timeout: 15_000 })
      .catch(async (error) => {
        await screenshot(page, 'dashboard-widget-failed');
        throw new Error(
          `${error}: ${JSON.stringify(consoleWatch)} ${await page.locator('.widget-preview').innerHTML()}`,
        );
      });
    await screenshot(page, 'dashboard-widget-tab');
    await page.goto(`${dash.url}/calls`);
    await page.getByLabel('Channel').waitFor();
    await context.close();
    expect(consoleWatch.errors).toEqual([]);
  });

  it('chats from an allowed origin and books a meeting stored as web_chat', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const consoleWatch = watchConsole(context);
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${sitePort}/`);
    const launcher = page.locator('switchboard-widget .launcher');
    await launcher.waitFor();
    await page.waitForFunction(
      () =>
        document.querySelector('switchboard-widget')?.shadowRoot?.querySelector('h2')?.textContent ===
        'Acme Dental',
    );
    await screenshot(page, 'widget-closed');
    await launcher.click();
    const input = page.locator('switchboard-widget textarea');
    await input.waitFor();
    await expect
      .poll(() =>
        page.evaluate(() => document.querySelector('switchboard-widget')?.shadowRoot?.activeElement?.tagName),
      )
      .toBe('TEXTAREA');
    await screenshot(page, 'widget-open');
    await input.fill('Is there a slot available next week?');
    await input.press('Enter');
    await page.locator('switchboard-widget .msg.assistant', { hasText: 'is free' }).waitFor();
    await input.fill('Yes, book it for Grace Hopper, grace@example.com');
    await input.press('Enter');
    await page.locator('switchboard-widget .msg.assistant', { hasText: 'Done!' }).waitFor();
    await screenshot(page, 'widget-chatting');
    const seen = await events(page);
    expect(seen.filter((e) => e.type === 'message').map((e) => (e.detail as { role: string }).role)).toEqual([
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(seen.map((e) => e.type)).toContain('open');
    // Escape closes the floating panel and gives focus back to the launcher.
    await page.keyboard.press('Escape');
    expect(await page.locator('switchboard-widget .panel').isHidden()).toBe(true);
    // The visitor comes back (same browser): the conversation continues.
    await page.reload();
    await page.locator('switchboard-widget .launcher').click();
    await page.locator('switchboard-widget .msg.assistant', { hasText: 'Done!' }).waitFor();
    await context.close();
    expect(consoleWatch.errors).toEqual([]);

    await expect
      .poll(
        async () => {
          const calls = await apiCall<ListResponse<Call>>(
            server!.url,
            token,
            'GET',
            '/api/calls?channel=web_chat',
          );
          return calls.body.items.map((c) => `${c.channel} ${c.status}`);
        },
        { timeout: 15_000 },
      )
      .toEqual(['web_chat completed']);
    const calls = await apiCall<ListResponse<Call>>(server!.url, token, 'GET', '/api/calls?channel=web_chat');
    const detail = await apiCall<{
      transcript: unknown[];
      events: { type: string; data: { name?: string } }[];
    }>(server!.url, token, 'GET', `/api/calls/${calls.body.items[0]!.id}`);
    expect(detail.body.transcript).toHaveLength(4);
    expect(detail.body.events.filter((e) => e.type === 'tool_call').map((e) => e.data.name)).toEqual([
      'check_availability',
      'book_appointment',
    ]);
    const booked = await apiCall<ListResponse<{ start: string }>>(
      server!.url,
      token,
      'GET',
      '/api/appointments',
    );
    expect(booked.body.items.map((a) => a.start)).toContain(new Date(START).toISOString());
  });

  it('talks by voice with a fake microphone that interrupts the greeting, with captions', async () => {
    // Quiet while the greeting starts, then the visitor "speaks" (a tone) over it.
    const mic = writeMicWav(join(tmpdir(), `switchboard-e2e-widget-mic-${process.pid}.wav`), [
      { ms: 2500 },
      { ms: 1200, tone: true },
      { ms: 8000 },
    ]);
    const micBrowser = await launchBrowser([`--use-file-for-fake-audio-capture=${mic}`]);
    closers.push(() => micBrowser.close());
    const context = await micBrowser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['microphone'], { origin: `http://127.0.0.1:${sitePort}` });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${sitePort}/`);
    await page.locator('switchboard-widget .launcher').click();
    await page.locator('switchboard-widget header .voice').click();
    await page
      .locator('switchboard-widget .msg.caption.user', { hasText: 'Can I book a cleaning?' })
      .waitFor({ timeout: 20_000 })
      .catch(async (error) => {
        await screenshot(page, 'widget-voice-failed');
        const status = await page.locator('switchboard-widget .status').textContent();
        throw new Error(`${error}: status=${status} events=${JSON.stringify(await events(page))}`);
      });
    await page.locator('switchboard-widget .msg.caption', { hasText: 'Of course' }).waitFor();
    await screenshot(page, 'widget-voice');
    await page.locator('switchboard-widget .call button').click();
    await expect.poll(async () => (await events(page)).map((e) => e.type)).toContain('call-end');
    expect((await events(page)).map((e) => e.type)).toContain('call-start');
    await context.close();
    await expect
      .poll(
        async () => {
          const calls = await apiCall<ListResponse<Call>>(
            server!.url,
            token,
            'GET',
            '/api/calls?channel=web_voice',
          );
          return calls.body.items.map((c) => c.status);
        },
        { timeout: 15_000 },
      )
      .toEqual(['completed']);
    const voiceCalls = await apiCall<ListResponse<Call>>(
      server!.url,
      token,
      'GET',
      '/api/calls?channel=web_voice',
    );
    const voice = await apiCall<{ events: { type: string }[] }>(
      server!.url,
      token,
      'GET',
      `/api/calls/${voiceCalls.body.items[0]!.id}`,
    );
    expect(voice.body.events.map((e) => e.type)).toContain('barge_in');
  });

  it('looks right on a phone', async () => {
    const context = await browser!.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${sitePort}/`);
    await page.locator('switchboard-widget .launcher').click();
    await page.locator('switchboard-widget textarea').fill('Hello from my phone');
    await page.locator('switchboard-widget textarea').press('Enter');
    await page.locator('switchboard-widget .msg.assistant:not(.typing)').nth(1).waitFor();
    await screenshot(page, 'widget-mobile');
    await context.close();
  });

  it('is refused on a third origin, and a replayed token is refused', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`http://localhost:${sitePort}/`);
    await page.waitForFunction(() =>
      (window as unknown as { widgetEvents: { type: string }[] }).widgetEvents.some(
        (e) => e.type === 'error',
      ),
    );
    await page.locator('switchboard-widget .launcher').click();
    const status = page.locator('switchboard-widget .status');
    expect(await status.textContent()).toBe('This website is not allowed to use this widget');
    await screenshot(page, 'widget-refused-origin');
    await context.close();

    const origin = `http://127.0.0.1:${sitePort}`;
    const res = await fetch(`${server!.url}/api/widget/sessions`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ agentKey, channel: 'chat' }),
    });
    const grant = (await res.json()) as { token: string; url: string };
    const open = (): Promise<{ first: string; code: number }> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`${grant.url}?token=${grant.token}`, { origin });
        let first = '';
        ws.on('message', (data) => {
          first ||= JSON.parse(String(data)).type;
          if (first === 'ready') ws.close();
        });
        ws.on('close', (code) => resolve({ first, code }));
      });
    expect((await open()).first).toBe('ready');
    expect(await open()).toEqual({ first: 'error', code: 4401 });
  });
});
