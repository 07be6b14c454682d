/**
 * The agent studio's "Caller trust" card against the real server: the defaults (limited caller
 * context, texts to the caller only), the risk explained when either is widened, and the saved
 * values in the agent JSON. Screenshots: test-artifacts/screenshots/50-*.png (desktop, phone).
 */
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
  signIn,
  startServer,
  watchConsole,
} from './harness.ts';

let server: ServerHandle;
let dash: Awaited<ReturnType<typeof dashboardUrl>>;
let browser: Browser;
let token: string;
let agentId: string;

beforeAll(async () => {
  await ensureBuilt();
  server = await startServer();
  dash = await dashboardUrl(server.url);
  token = await login(server.url, OWNER.email, OWNER.password);
  agentId = (await apiCall<ListResponse<Agent>>(server.url, token, 'GET', '/api/agents')).body.items[0]!.id;
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await server?.stop();
});

async function studio(width: number): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const watch = watchConsole(context);
  const page = await context.newPage();
  await signIn(page, dash.url, OWNER.email, OWNER.password);
  await page.goto(`${dash.url}/agents/${agentId}`);
  await page.getByRole('heading', { name: 'Caller trust' }).waitFor();
  return { page, errors: watch.errors };
}

describe('caller trust in the agent studio', () => {
  it('shows the safe defaults, explains the risk of widening them and saves the choice', async () => {
    const { page, errors } = await studio(1280);
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Caller trust' }) });
    const context = card.getByLabel('Inbound caller details');
    const texts = card.getByLabel('Who the agent may text');
    expect(await context.inputValue()).toBe('limited');
    expect(await texts.inputValue()).toBe('caller');
    await card.screenshot({ path: (await screenshot(page, '50-caller-trust')).replace('50-', '50b-') });

    await context.selectOption('full');
    await texts.selectOption('any');
    await card.getByText(/spoofed number may hear this prospect’s email, notes and call history/).waitFor();
    await card.getByText(/could have the agent text anyone/).waitFor();
    await page.getByRole('button', { name: /^Save/ }).click();
    await page.getByText('All changes saved.').waitFor();
    await card.screenshot({
      path: (await screenshot(page, '51-caller-trust-widened')).replace('51-', '51b-'),
    });
    const saved = await apiCall<Agent>(server.url, token, 'GET', `/api/agents/${agentId}`);
    expect(saved.body).toMatchObject({ callerContext: 'full', smsRecipients: 'any' });
    expect(errors).toEqual([]);
  });

  it('fits a phone screen', async () => {
    const { page, errors } = await studio(390);
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Caller trust' }) });
    await card.scrollIntoViewIfNeeded();
    const box = await card.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await card.screenshot({ path: (await screenshot(page, '52-caller-trust-phone')).replace('52-', '52b-') });
    expect(errors).toEqual([]);
  });
});
