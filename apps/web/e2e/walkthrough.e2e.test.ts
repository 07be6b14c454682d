/**
 * Issue 15's walkthrough fixes in a real browser: lists usable at 390 px (no sideways page
 * scroll), the CSV import predicting duplicates before anything is written, phone numbers shown
 * formatted, the phone field marked required, and Delete kept in a confirmed "Danger zone".
 */
import type { Prospect } from '@switchboard/shared';
import type { Browser, BrowserContext } from 'playwright-core';
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
} from './harness.ts';

let server: ServerHandle;
let dash: Awaited<ReturnType<typeof dashboardUrl>>;
let browser: Browser;
let token = '';
let existing: Prospect;

async function context(width: number): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width, height: 844 } });
  await ctx.addInitScript((t) => localStorage.setItem('switchboard.token', t), token);
  return ctx;
}

beforeAll(async () => {
  await ensureBuilt();
  server = await startServer();
  dash = await dashboardUrl(server.url);
  browser = await launchBrowser();
  token = await login(server.url, OWNER.email, OWNER.password);
  existing = (
    await apiCall<Prospect>(server.url, token, 'POST', '/api/prospects', {
      company: 'Northwind Traders International Holdings',
      contact: 'Liam Chen',
      phone: '+442079460958',
    })
  ).body;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await server?.stop();
}, 60_000);

describe('walkthrough fixes', () => {
  it('keeps the prospects and calls pages inside 390 px and formats international numbers', async () => {
    const ctx = await context(390);
    const page = await ctx.newPage();
    await page.goto(`${dash.url}/prospects`);
    await page.getByRole('link', { name: 'Northwind Traders International Holdings' }).waitFor();
    expect(await page.getByRole('cell', { name: '+44 20 7946 0958' }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'walkthrough-prospects-390');

    await page.goto(`${dash.url}/calls`);
    await page.getByRole('heading', { level: 1, name: 'Calls' }).waitFor();
    await page.getByLabel('Outcome').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'walkthrough-calls-390');

    await page.goto(`${dash.url}/prospects`);
    await page.getByRole('button', { name: 'New prospect' }).click();
    const phone = page.getByRole('dialog', { name: 'New prospect' }).getByLabel('Phone', { exact: true });
    expect(await phone.getAttribute('aria-required')).toBe('true');
    await ctx.close();
  });

  it('predicts a duplicate in the import preview before importing', async () => {
    const ctx = await context(1280);
    const page = await ctx.newPage();
    await page.goto(`${dash.url}/prospects/import`);
    await page.getByRole('link', { name: 'Download a sample CSV' }).waitFor();
    const csv = [
      'company,contact,phone',
      'Acme Dental,Dana Reyes,+1 415 555 0100',
      'Northwind again,Liam Chen,+44 20 7946 0958',
      'Acme twice,Dana Reyes,(415) 555-0100',
    ].join('\n');
    await page
      .getByLabel('CSV file', { exact: true })
      .setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const preview = page.getByRole('region', { name: '3. Preview' });
    await preview.getByText('Duplicate: this phone is already in your prospects').waitFor();
    await preview.getByText('Duplicate of row 1 in this file').waitFor();
    expect(await page.getByTestId('dry-run-summary').textContent()).toContain('2 duplicates predicted');
    expect(await page.getByLabel(/Skip invalid rows/).isChecked()).toBe(true);
    // The dry run wrote nothing.
    const list = await apiCall<{ total: number }>(server.url, token, 'GET', '/api/prospects');
    expect(list.body.total).toBe(1);
    await screenshot(page, 'walkthrough-import-preview');

    await page.getByRole('button', { name: 'Import 3 rows' }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor();
    expect((await apiCall<{ total: number }>(server.url, token, 'GET', '/api/prospects')).body.total).toBe(2);
    await ctx.close();
  });

  it('keeps Delete in a danger zone that asks first', async () => {
    const ctx = await context(1280);
    const page = await ctx.newPage();
    await page.goto(`${dash.url}/prospects/${existing.id}`);
    const zone = page.getByRole('region', { name: 'Danger zone' });
    await zone.getByRole('button', { name: 'Delete prospect…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this prospect?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await apiCall(server.url, token, 'GET', `/api/prospects/${existing.id}`)).status).toBe(200);
    await ctx.close();
  });
});
