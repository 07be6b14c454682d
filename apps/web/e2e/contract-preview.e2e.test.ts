/**
 * Data-rich pages the test server cannot produce on its own — a finished call with tool calls, a
 * barge-in and a recording, a stream of live events, a week of appointments, text messages,
 * credentials in every state — rendered from fixtures in the documented shapes (fixtures.ts).
 * The real server still handles sign-in, agents and prospects; dashboard.e2e.test.ts and
 * live-call.e2e.test.ts exercise the same endpoints for real.
 */
import type { Agent, ListResponse, Prospect } from '@switchboard/shared';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentsFixture,
  completedCall,
  integrationsFixture,
  liveCall,
  statsFixture,
  toneWav,
} from './fixtures.ts';
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
let prospect: Prospect;
const hangups: string[] = [];
const integrationWrites: unknown[] = [];

const json = (route: Route, body: unknown, status = 200) =>
  route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
const list = <T>(items: T[]) => ({ items, total: items.length, limit: 50, offset: 0 });

async function installFixtures(ctx: BrowserContext, agentId: string | null, prospectId: string) {
  const done = completedCall(prospectId, agentId);
  const live = liveCall(agentId);
  await ctx.route('**/api/stats/overview', (r) => json(r, statsFixture()));
  await ctx.route(/\/api\/calls(\?.*)?$/, (r) => {
    const url = new URL(r.request().url());
    if (url.searchParams.get('live') === 'true') return json(r, list([live]));
    if (url.searchParams.get('prospectId')) return json(r, list([done]));
    return json(r, list([live, done]));
  });
  await ctx.route(`**/api/calls/${done.id}`, (r) => json(r, done));
  let liveDetailServed: () => void = () => {};
  const liveDetail = new Promise<void>((resolve) => {
    liveDetailServed = resolve;
  });
  await ctx.route(`**/api/calls/${live.id}`, async (r) => {
    await json(r, live);
    liveDetailServed();
  });
  await ctx.route(`**/api/calls/${live.id}/hangup`, (r) => {
    hangups.push(r.request().method());
    return json(r, { ...live, status: 'completed' }, 202);
  });
  await ctx.route(/\/api\/appointments(\?.*)?$/, (r) => json(r, list(appointmentsFixture(prospectId))));
  await ctx.route(/\/api\/messages(\?.*)?$/, (r) =>
    json(
      r,
      list([
        {
          id: 'm1',
          direction: 'outbound',
          body: 'Acme Dental: see you Tue 24 Nov at 10:00. Reply STOP to opt out.',
          status: 'delivered',
          createdAt: new Date(Date.now() - 3_500_000).toISOString(),
          callId: done.id,
        },
      ]),
    ),
  );
  await ctx.route('**/api/integrations', (r) => json(r, integrationsFixture()));
  await ctx.route(/\/api\/integrations\/[a-z_]+$/, (r) => {
    integrationWrites.push(r.request().postDataJSON());
    return json(r, integrationsFixture()[0]);
  });
  await ctx.route(/\/api\/integrations\/[a-z_]+\/test$/, (r) =>
    json(r, { ok: true, message: 'Authenticated as account AC0123…cdef (Acme Dental).' }),
  );
  // The server's recording needs the bearer token (the player fetches it, then plays a blob).
  await ctx.route(/\/api\/calls\/[0-9a-f-]+\/recording$/, (r) =>
    r.request().headers().authorization?.startsWith('Bearer ')
      ? r.fulfill({ status: 200, contentType: 'audio/wav', body: toneWav() })
      : r.fulfill({
          status: 401,
          contentType: 'application/json',
          body: '{"error":{"code":"unauthorized","message":"no token"}}',
        }),
  );
  // The live stream: the caller's next words, a tool call, then the agent's answer.
  await ctx.route(/\/api\/events\?/, async (r) => {
    // Answer once the page has loaded the call (plus time to render and subscribe), as a real
    // stream would carry later events.
    await liveDetail;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const events = [
      [
        'call.transcript',
        {
          callId: live.id,
          role: 'assistant',
          text: 'We do! Would you like to book a first visit?',
          atMs: 8200,
        },
      ],
      [
        'call.event',
        {
          callId: live.id,
          event: {
            id: 91,
            type: 'tool_call',
            atMs: 12_400,
            data: {
              name: 'check_availability',
              arguments: { from: 'today' },
              result: { slots: 3 },
              ok: true,
              durationMs: 150,
            },
            createdAt: new Date().toISOString(),
          },
        },
      ],
      [
        'call.transcript',
        { callId: live.id, role: 'user', text: 'Yes please, sometime next week.', atMs: 11_900 },
      ],
    ] as const;
    const body = `retry: 600000\n\n${events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join('')}`;
    return r.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
      body,
    });
  });
}

beforeAll(async () => {
  await ensureBuilt();
  server = await startServer();
  dash = await dashboardUrl(server.url);
  browser = await launchBrowser();
  const token = await login(server.url, OWNER.email, OWNER.password);
  const agents = await apiCall<ListResponse<Agent>>(server.url, token, 'GET', '/api/agents');
  const created = await apiCall<Prospect>(server.url, token, 'POST', '/api/prospects', {
    company: 'Acme Dental',
    contact: 'Dana Reyes',
    phone: '+14155550100',
    timezone: 'America/Los_Angeles',
    notes: 'Prefers mornings. Two children, both patients.',
  });
  prospect = created.body;
  context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  watch = watchConsole(context);
  await installFixtures(context, agents.body.items[0]?.id ?? null, prospect.id);
  page = await context.newPage();
  await signIn(page, dash.url, OWNER.email, OWNER.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await server?.stop();
}, 60_000);

describe('data-rich pages from fixtures in the documented shapes', {
  timeout: 90_000,
}, () => {
  it('overview: statistics and the calls-per-day chart', async () => {
    await page.goto(`${dash.url}/`);
    await page.getByRole('heading', { name: 'Calls per day' }).waitFor();
    expect(await page.locator('.stat', { hasText: 'Answer rate' }).textContent()).toContain('82%');
    expect(await page.locator('.chart__bar').count()).toBe(14);
    await page.waitForLoadState('networkidle');
    await screenshot(page, '40-overview-with-data');
  });

  it('calls list and a call page: turns, tool calls inline, summary, latency, recording', async () => {
    await page.goto(`${dash.url}/calls`);
    await page.locator('table').getByRole('link').first().waitFor();
    await screenshot(page, '41-calls');
    await page.goto(`${dash.url}/calls/11111111-1111-4111-8111-111111111111`);
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    expect(await page.locator('.turn').count()).toBe(8);
    expect(await page.locator('.tool-call').count()).toBe(3);
    expect(await page.locator('.tool-call--failed').count()).toBe(1);
    await page.getByText('Caller interrupted').waitFor();
    await page.getByText(/booked Tuesday at 10:00/).waitFor();
    await page.getByRole('button', { name: 'Play the recording' }).click();
    await page.locator('audio').waitFor();
    expect(await page.locator('audio').getAttribute('src')).toMatch(/^blob:/);
    await page.locator('.tool-call summary').first().click();
    await screenshot(page, '42-call-detail');
  });

  it('live calls: the transcript streams in over SSE and the call can be hung up', async () => {
    await page.goto(`${dash.url}/live`);
    await page.getByText('Hi, do you take new patients?').waitFor();
    await page.getByText('Yes please, sometime next week.').waitFor();
    await page.getByText('We do! Would you like to book a first visit?').waitFor();
    expect(await page.locator('.live-card .tool-call').count()).toBe(1);
    await screenshot(page, '43-live-calls');
    await page.getByRole('button', { name: /^Hang up Inbound/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Hang up this call?' });
    await screenshot(page, '44-hang-up-confirm');
    await dialog.getByRole('button', { name: 'Hang up now' }).click();
    await expect.poll(() => hangups).toEqual(['POST']);
  });

  it('prospect page: a timeline of calls, messages and appointments', async () => {
    await page.goto(`${dash.url}/prospects/${prospect.id}`);
    await page.getByText('SMS sent').waitFor();
    await page.getByText(/Cleaning — Dana Reyes/).waitFor();
    await page.locator('.activity--call').first().waitFor();
    await screenshot(page, '45-prospect-timeline');
  });

  it('appointments: week calendar and list', async () => {
    await page.goto(`${dash.url}/appointments`);
    await page.locator('.calendar__event').first().waitFor();
    expect(await page.locator('.calendar__event').count()).toBe(5);
    await screenshot(page, '46-appointments-week');
    await page.getByRole('button', { name: 'List' }).click();
    await page.getByRole('cell', { name: /Whitening/ }).waitFor();
    await screenshot(page, '47-appointments-list');
  });

  it('credentials: masked secrets, save and test connection', async () => {
    await page.goto(`${dash.url}/settings/integrations`);
    const twilio = page.getByRole('form', { name: 'Twilio' });
    await twilio.waitFor();
    expect(await twilio.getByLabel('Auth token').inputValue()).toBe('');
    await twilio.getByText('Saved: ••••9f3a').waitFor();
    await twilio.getByLabel('Auth token').fill('new-secret-token');
    await twilio.getByRole('button', { name: 'Save', exact: true }).click();
    await twilio.getByText('Saved.').waitFor();
    expect(integrationWrites.at(-1)).toEqual({
      config: { accountSid: 'AC0123456789abcdef0123456789abcdef', phoneNumber: '+14155550199' },
      secrets: { authToken: 'new-secret-token' },
    });
    await twilio.getByRole('button', { name: 'Test connection' }).click();
    await twilio.getByText(/Connection works/).waitFor();
    await screenshot(page, '48-credentials');
  });

  it('logged no console errors', () => {
    expect(watch.errors).toEqual([]);
    expect(watch.httpErrors).toEqual([]);
  });
});
