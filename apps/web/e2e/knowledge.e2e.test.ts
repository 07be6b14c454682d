/**
 * The knowledge tab and MCP servers in a real browser against the real server: upload a PDF
 * (and a broken one), watch them process, search; connect the test kit's MCP server in
 * settings and enable one of its tools in the studio. Screenshots in test-artifacts/screenshots/.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agent, ListResponse } from '@switchboard/shared';
import { type FakeMcpServer, makePdf, startFakeMcpServer } from '@switchboard/testkit';
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
} from './harness.ts';

let server: ServerHandle;
let dash: Awaited<ReturnType<typeof dashboardUrl>>;
let browser: Browser;
let page: Page;
let token: string;
let crm: FakeMcpServer;
let agent: Agent;
const files = mkdtempSync(join(tmpdir(), 'switchboard-knowledge-'));

beforeAll(async () => {
  await ensureBuilt();
  crm = await startFakeMcpServer({ token: 'crm-browser-token' });
  server = await startServer();
  dash = await dashboardUrl(server.url);
  browser = await launchBrowser();
  token = await login(server.url, OWNER.email, OWNER.password);
  const context = await browser.newContext({ viewport: { width: 1360, height: 1000 } });
  page = await context.newPage();
  await signIn(page, dash.url, OWNER.email, OWNER.password);
  const agents = await apiCall<ListResponse<Agent>>(server.url, token, 'GET', '/api/agents');
  agent = agents.body.items[0]!;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await server?.stop();
  await crm?.close();
}, 60_000);

describe('knowledge and MCP in the dashboard', { timeout: 120_000 }, () => {
  it('uploads documents, shows their processing and failures, and searches them', async () => {
    const pdf = join(files, 'Service policies.pdf');
    writeFileSync(
      pdf,
      makePdf([
        'Prime Auto Lab service policies.',
        'Warranty. Brake repairs carry a 24-month warranty covering parts and labour.',
      ]),
    );
    const broken = join(files, 'Scanned price list.pdf');
    writeFileSync(broken, makePdf(['locked'], { encrypted: true }));

    await page.goto(`${dash.url}/agents/${agent.id}?tab=knowledge`);
    await page.getByRole('heading', { name: 'Documents' }).waitFor();
    await page.getByText('No documents yet').waitFor();
    await screenshot(page, '30-knowledge-empty');

    await page.setInputFiles('#knowledge-file', pdf);
    await page.getByRole('cell', { name: 'Service policies' }).waitFor();
    await page.setInputFiles('#knowledge-file', broken);
    await page.getByText(/password-protected/).waitFor({ timeout: 60_000 });
    await page.getByText('Ready').first().waitFor({ timeout: 60_000 });
    await screenshot(page, '31-knowledge-documents');

    await page.getByLabel('What would a caller ask?').fill('How long is the warranty on brakes?');
    await page.getByRole('button', { name: 'Search' }).click();
    const passages = page.getByRole('list', { name: 'Passages the agent would retrieve' });
    await passages.waitFor();
    expect(await passages.textContent()).toContain('24-month warranty');
    await screenshot(page, '32-knowledge-search');
  });

  it('connects an MCP server in settings and enables its tool in the studio', async () => {
    await page.goto(`${dash.url}/settings/mcp`);
    await page.getByText('No MCP server connected').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('crm');
    await page.getByLabel('Server URL').fill(crm.url);
    await page.getByLabel('Header value').fill('Bearer crm-browser-token');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByText('crm_create_contact').waitFor();
    expect(await page.getByText('Connected').isVisible()).toBe(true);
    expect(await page.content()).not.toContain('crm-browser-token');
    await screenshot(page, '33-mcp-settings');

    await page.goto(`${dash.url}/agents/${agent.id}`);
    await page.getByRole('heading', { name: 'Tools' }).waitFor();
    await page.getByLabel(/crm_create_contact/).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('All changes saved.').waitFor();
    await page.getByText('Tools from your systems (MCP)').scrollIntoViewIfNeeded();
    await screenshot(page, '34-studio-mcp-tools');
    const saved = await apiCall<Agent>(server.url, token, 'GET', `/api/agents/${agent.id}`);
    expect(saved.body.tools).toContain('mcp:crm:crm_create_contact');
  });
});
