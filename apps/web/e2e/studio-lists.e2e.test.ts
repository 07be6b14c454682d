/**
 * The agent studio's lists and voice preview in a real browser against the real server and the
 * fake OpenAI Realtime: model, language and time zone are selects, the two default switches save,
 * and "▶ Preview" fetches a sample the server makes once. Screenshots at desktop and 390 px.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Agent, ListResponse } from '@switchboard/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  dashboardUrl,
  ensureBuilt,
  launchBrowser,
  login,
  OWNER,
  type ServerHandle,
  screenshot,
  startServer,
  watchConsole,
} from './harness.ts';

const OPENAI_KEY = 'sk-studio-lists-key-1234';
/** Where this change's screenshots are also copied for review (optional). */
const REVIEW_DIR = process.env.STUDIO_SHOTS_DIR;

let server: ServerHandle;
let dash: Awaited<ReturnType<typeof dashboardUrl>>;
let browser: Browser;
let token: string;
let agent: Agent;
let openai: Awaited<ReturnType<typeof import('@switchboard/testkit')['startFakeOpenAIRealtime']>>;

async function shot(page: Page, name: string) {
  const path = await screenshot(page, name);
  if (REVIEW_DIR) {
    mkdirSync(REVIEW_DIR, { recursive: true });
    copyFileSync(path, join(REVIEW_DIR, `${name}.png`));
  }
}

async function studio(width: number): Promise<{ page: Page; watch: ReturnType<typeof watchConsole> }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const watch = watchConsole(context);
  await context.addInitScript((t) => {
    // about:blank has no storage; the dashboard's pages do.
    if (location.protocol.startsWith('http')) localStorage.setItem('switchboard.token', t);
  }, token);
  const page = await context.newPage();
  await page.goto(`${dash.url}/agents/${agent.id}`);
  await page.getByRole('heading', { name: 'Voice and model' }).waitFor();
  return { page, watch };
}

beforeAll(async () => {
  await ensureBuilt();
  const testkit = await import('@switchboard/testkit');
  openai = await testkit.startFakeOpenAIRealtime({
    apiKey: OPENAI_KEY,
    pacing: 'burst',
    defaultSay: { text: 'Hello! This is how I sound.', durationMs: 1500 },
  });
  server = await startServer({ OPENAI_REALTIME_URL: openai.url, OPENAI_API_KEY: OPENAI_KEY });
  dash = await dashboardUrl(server.url);
  browser = await launchBrowser(['--autoplay-policy=no-user-gesture-required']);
  token = await login(server.url, OWNER.email, OWNER.password);
  const agents = await apiCall<ListResponse<Agent>>(server.url, token, 'GET', '/api/agents');
  agent = agents.body.items[0]!;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await server?.stop();
  await openai?.close();
}, 60_000);

describe('agent studio lists', { timeout: 120_000 }, () => {
  it('picks model, language and time zone from lists and saves the outbound default', async () => {
    const { page, watch } = await studio(1280);
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe('gpt-realtime');
    expect(await page.getByLabel('Language', { exact: true }).inputValue()).toBe('en-US');
    expect(await page.getByLabel('Time zone', { exact: true }).inputValue()).toBe('');
    await page.getByLabel('Time zone', { exact: true }).selectOption('Europe/Paris');
    await page.getByLabel('Model', { exact: true }).selectOption('gpt-realtime-mini');
    expect(await page.getByLabel('Answers calls to numbers without an agent').isChecked()).toBe(true);
    await page.getByLabel('Places outbound calls by default').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('All changes saved.').waitFor();
    const saved = await apiCall<Agent>(server.url, token, 'GET', `/api/agents/${agent.id}`);
    expect(saved.body).toMatchObject({
      timezone: 'Europe/Paris',
      model: 'gpt-realtime-mini',
      isDefault: true,
      isDefaultOutbound: true,
    });

    const sessions = openai.sessions.length;
    const previewed = page.waitForResponse((r) => r.url().includes('/api/voice-preview'));
    await page.getByRole('button', { name: /^Preview the voice/ }).click();
    const res = await previewed;
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toBe('audio/wav');
    expect(openai.sessions.length).toBe(sessions + 1);
    await page.getByRole('button', { name: /^Stop the .* sample$/ }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByLabel('Time zone', { exact: true }).scrollIntoViewIfNeeded();
    await shot(page, 'studio-lists-1280');
    expect(watch.errors).toEqual([]);
    await page.context().close();
  });

  it('fits a phone screen', async () => {
    const { page } = await studio(390);
    await shot(page, 'studio-lists-390');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
