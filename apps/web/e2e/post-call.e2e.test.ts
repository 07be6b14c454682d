/**
 * After the call in the dashboard: a call's analysis (fixture: summary, outcome, extracted
 * fields, cost split), the call list's outcome filter, the studio's "After the call" section
 * and Settings → Webhooks against the real server (secret shown once, a test event delivered to
 * a local receiver, the delivery log). Screenshots: test-artifacts/screenshots/40-*.png.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent, ListResponse } from '@switchboard/shared';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedCall } from './fixtures.ts';
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
let context: BrowserContext;
let page: Page;
let watch: ReturnType<typeof watchConsole>;
let receiver: Server;
let receiverUrl: string;
let agentId: string;
const received: string[] = [];

const json = (route: Route, body: unknown) =>
  route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      received.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  await ensureBuilt();
  server = await startServer({ WEBHOOK_ALLOW_PRIVATE: 'true' });
  dash = await dashboardUrl(server.url);
  const token = await login(server.url, OWNER.email, OWNER.password);
  const agents = await apiCall<ListResponse<Agent>>(server.url, token, 'GET', '/api/agents');
  agentId = agents.body.items[0]!.id;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  watch = watchConsole(context);
  const call = {
    ...completedCall(null, agentId),
    analysisStatus: 'done' as const,
    extraction: { patient_name: 'Dana Whitfield', visit_type: 'cleaning', new_patient: true, party_size: 2 },
    cost: { model: 0.3913, telephony: 0.0255, total: 0.4168 },
  };
  await context.route(`**/api/calls/${call.id}`, (r) => json(r, call));
  await context.route(/\/api\/calls\?.*disposition=meeting_booked/, (r) =>
    json(r, { items: [call], total: 1, limit: 25, offset: 0 }),
  );
  page = await context.newPage();
  await signIn(page, dash.url, OWNER.email, OWNER.password);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await server?.stop();
  await new Promise((r) => receiver?.close(r));
});

describe('after the call, in the dashboard', () => {
  it('shows the analysis, the cost split and the exports on the call page', async () => {
    await page.goto(`${dash.url}/calls/11111111-1111-4111-8111-111111111111`);
    await page.getByText('Dana Whitfield').waitFor();
    expect(await page.getByText('Meeting booked').count()).toBeGreaterThan(0);
    await page.getByText(/model \$0\.39 · telephony \$0\.0255/).waitFor();
    await page.getByRole('button', { name: 'Export TXT' }).waitFor();
    await screenshot(page, '40-call-analysis');
  });

  it('filters the call list by outcome', async () => {
    await page.goto(`${dash.url}/calls?disposition=meeting_booked`);
    await page.getByText(/Dana asked about a cleaning/).waitFor();
    expect(await page.getByLabel('Outcome').inputValue()).toBe('meeting_booked');
    await screenshot(page, '41-calls-by-outcome');
  });

  it("edits the agent's extraction fields", async () => {
    await page.goto(`${dash.url}/agents/${agentId}`);
    await page.getByRole('heading', { name: 'After the call' }).waitFor();
    await page.getByRole('button', { name: 'Add field' }).click();
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'After the call' }) });
    await section.getByLabel('Name').fill('company');
    await section.getByLabel('Description').fill("The caller's company");
    await page.getByRole('button', { name: /^Save/ }).click();
    await page.getByText('All changes saved.').waitFor();
    await section.screenshot({
      path: (await screenshot(page, '42-studio-post-call')).replace('42-', '42b-'),
    });
  });

  it('adds a webhook, shows its secret once, sends a test and lists the delivery', async () => {
    await page.goto(`${dash.url}/settings/webhooks`);
    await page.getByLabel('URL').fill(receiverUrl);
    await page.getByLabel('Description').fill('CRM sync');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = page.getByLabel(/Secret for/);
    await secret.waitFor();
    expect(await secret.inputValue()).toMatch(/^whsec_/);
    await screenshot(page, '43-webhook-secret');
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('delivered').first().waitFor({ timeout: 20_000 });
    expect(received.some((b) => b.includes('"type":"webhook.test"'))).toBe(true);
    await screenshot(page, '44-webhook-deliveries');
    expect(watch.errors).toEqual([]);
  });
});
