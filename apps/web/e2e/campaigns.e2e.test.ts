/**
 * Campaigns in a real browser against the real server and the Twilio fake: create a campaign
 * with the form, start it, watch it dial (the do-not-call number is skipped in the ledger),
 * pause it, and manage the do-not-call list. Screenshots at desktop width.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

const ACCOUNT_SID = `AC${'c'.repeat(32)}`;
const AUTH_TOKEN = 'campaigns-e2e-token';

let server: ServerHandle;
let dash: Awaited<ReturnType<typeof dashboardUrl>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let token: string;
let consoleWatch: ReturnType<typeof watchConsole>;
let twilio: Awaited<ReturnType<typeof import('@switchboard/testkit')['startTwilioRestFake']>>;

beforeAll(async () => {
  await ensureBuilt();
  const testkit = await import('@switchboard/testkit');
  twilio = await testkit.startTwilioRestFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  server = await startServer({
    PUBLIC_URL: 'https://bridge.example.com',
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_PHONE_NUMBER: '+15005550006',
    TWILIO_API_BASE_URL: twilio.url,
  });
  dash = await dashboardUrl(server.url);
  browser = await launchBrowser();
  token = await login(server.url, OWNER.email, OWNER.password);
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, timezoneId: 'UTC' });
  consoleWatch = watchConsole(context);
  page = await context.newPage();
  await signIn(page, dash.url, OWNER.email, OWNER.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await server?.stop();
  await twilio?.close();
}, 60_000);

describe('campaigns', { timeout: 120_000 }, () => {
  it('creates, starts and pauses a campaign; the ledger shows the do-not-call skip', async () => {
    const people = [
      ['Ada Lovelace', '+14155550601', 'Europe/London'],
      ['Grace Hopper', '+14155550602', 'America/New_York'],
      ['Alan Turing', '+14155550603', 'Asia/Tokyo'],
      ['Do Not Call', '+14155550604', 'UTC'],
    ] as const;
    for (const [contact, phone, timezone] of people) {
      const res = await apiCall(server.url, token, 'POST', '/api/prospects', {
        contact,
        phone,
        timezone,
        source: 'e2e',
      });
      expect(res.status).toBe(201);
    }
    expect(
      (
        await apiCall(server.url, token, 'POST', '/api/do-not-call', {
          phone: '+14155550604',
          reason: 'asked',
        })
      ).status,
    ).toBe(201);

    await page.goto(`${dash.url}/campaigns`);
    await page.getByRole('heading', { level: 1, name: 'Campaigns' }).waitFor();
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByLabel('Name').fill('Spring outreach');
    await page.getByLabel('Audience: source').fill('e2e');
    for (const day of ['Sat', 'Sun']) await page.getByLabel(day, { exact: true }).check();
    await page.getByLabel('From').fill('00:00');
    await page.getByLabel('Until').fill('23:59');
    await page.getByLabel('Default time zone').fill('UTC');
    await screenshot(page, '70-campaign-create');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { level: 1, name: 'Spring outreach' }).waitFor();
    // Before starting: three can be called now, the listed number is blocked.
    await page.getByRole('status').filter({ hasText: 'Who can be called now: 3 of 4 waiting' }).waitFor();
    await page.getByRole('status').filter({ hasText: '1 blocked' }).waitFor();
    await screenshot(page, '70b-campaign-draft-preview');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    // The dialer places the three allowed calls and skips the listed number.
    await page.getByRole('cell', { name: 'Do not call list' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => twilio.calls.size, { timeout: 20_000 }).toBe(3);
    await page.waitForTimeout(2_500); // one more poll of the page
    await screenshot(page, '71-campaign-running');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const { readFileSync } = await import('node:fs');
    const exported = readFileSync((await download.path())!, 'utf8').split('\n');
    expect(exported[0]).toMatch(/^prospectId,contact,company,phone,timezone,state/);
    expect(exported).toHaveLength(5);
    expect(exported.some((line) => line.includes('do_not_call_list'))).toBe(true);
    const campaigns = await apiCall<{
      items: { status: string; stats: { skipped: number; dialing: number } }[];
    }>(server.url, token, 'GET', '/api/campaigns');
    expect(campaigns.body.items[0]).toMatchObject({ status: 'paused', stats: { skipped: 1, dialing: 3 } });
    await page.goto(`${dash.url}/campaigns`);
    await page.getByRole('link', { name: 'Spring outreach' }).waitFor();
    await screenshot(page, '72-campaigns-list');
  });

  it('adds, imports and removes do-not-call numbers', async () => {
    await page.goto(`${dash.url}/do-not-call`);
    await page.getByRole('heading', { level: 1, name: 'Do-not-call list' }).waitFor();
    await page.getByLabel('Phone', { exact: true }).fill('(415) 555-0701');
    await page.getByLabel('Reason', { exact: true }).fill('complaint');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'is on the list' }).waitFor();
    await page
      .getByLabel('Import CSV (a phone column, optional reason)')
      .fill('phone,reason\n+14155550702,form\nnope,x');
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('status').filter({ hasText: '1 added' }).waitFor();
    await page.getByRole('cell', { name: 'form' }).waitFor();
    await screenshot(page, '73-do-not-call');
    let list = await apiCall<{ total: number }>(server.url, token, 'GET', '/api/do-not-call');
    expect(list.body.total).toBe(3);
    await page.getByRole('button', { name: 'Remove' }).first().click();
    await page.getByRole('status').filter({ hasText: 'was removed' }).waitFor();
    list = await apiCall<{ total: number }>(server.url, token, 'GET', '/api/do-not-call');
    expect(list.body.total).toBe(2);
    expect(consoleWatch.errors).toEqual([]);
  });
});
