/**
 * The first hour of a new owner, in a real browser against the real server started as
 * `npm start` does (no ADMIN_PASSWORD: a generated one): sign in with the printed password, the
 * forced password change, the setup checklist listing what is missing, a model key tested
 * before it is saved, a number bound to the agent, the studio's tool warnings, and a Call now
 * dialog that lists what still keeps the call from being placed; the agent made from a template
 * previewed with its variables filled and tried in the text test chat, where the scripted text
 * model calls a tool. Screenshots at desktop and 390 px.
 */
import type { Agent, ListResponse, Prospect } from '@switchboard/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  dashboardUrl,
  ensureBuilt,
  launchBrowser,
  login,
  type ServerHandle,
  screenshot,
  startServer,
  watchConsole,
} from './harness.ts';

const OPENAI_KEY = 'sk-first-hour-key-1234';
const NEW_PASSWORD = 'my own first-hour password';

let server: ServerHandle;
let dash: Awaited<ReturnType<typeof dashboardUrl>>;
let browser: Browser;
let page: Page;
let openai: Awaited<ReturnType<typeof import('@switchboard/testkit')['startFakeOpenAIRealtime']>>;
let textModel: Awaited<ReturnType<typeof import('@switchboard/testkit')['startFakeOpenAIChat']>>;
let consoleWatch: ReturnType<typeof watchConsole>;
let generated = '';

async function mobileShot(path: string, name: string, ready: (p: Page) => Promise<void>) {
  const token = await login(server.url, 'admin@example.com', NEW_PASSWORD);
  const mobile = await browser.newContext({ viewport: { width: 390, height: 844 } });
  await mobile.addInitScript((t) => localStorage.setItem('switchboard.token', t), token);
  const p = await mobile.newPage();
  await p.goto(`${dash.url}${path}`);
  await ready(p);
  await screenshot(p, name);
  const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await mobile.close();
  return overflow;
}

beforeAll(async () => {
  await ensureBuilt();
  const testkit = await import('@switchboard/testkit');
  openai = await testkit.startFakeOpenAIRealtime({ apiKey: OPENAI_KEY });
  textModel = await testkit.startFakeOpenAIChat({ apiKey: OPENAI_KEY });
  // As after a fresh clone: no ADMIN_PASSWORD (blank counts as unset), no provider keys.
  server = await startServer({
    ADMIN_EMAIL: '',
    ADMIN_PASSWORD: '',
    OPENAI_REALTIME_URL: openai.url,
    OPENAI_BASE_URL: textModel.url,
  });
  generated = /password: (\S+)/.exec(server.output())?.[1] ?? '';
  dash = await dashboardUrl(server.url);
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  consoleWatch = watchConsole(context);
  page = await context.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await dash?.close();
  await server?.stop();
  await openai?.close();
  await textModel?.close();
}, 60_000);

describe('the first hour', () => {
  it('prints the URL, the readiness list and the generated password in a box at the end', () => {
    const out = server.output();
    expect(out).toContain('Switchboard is running at');
    expect(out).toMatch(/✗ Twilio account: Enter your Twilio Account SID/);
    expect(out).toMatch(/✗ Public web address: /);
    expect(generated).toMatch(/^[\w-]{24}$/);
    const box = out.slice(out.indexOf('+---'));
    expect(box).toContain(`password: ${generated}`);
    expect(out).not.toMatch(/vite|transforming|modules transformed/i);
  });

  it('signs in with the generated password and must choose a new one first', async () => {
    await page.goto(`${dash.url}/login`);
    await page.getByLabel('Email').fill('admin@example.com');
    await page.getByLabel('Password').fill(generated);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Choose your password' }).waitFor();
    await screenshot(page, 'first-hour-01-forced-password-change');
    await page.getByLabel('Current password', { exact: true }).fill(generated);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    // The generated password no longer works.
    const old = await apiCall(server.url, null, 'POST', '/api/auth/login', {
      email: 'admin@example.com',
      password: generated,
    });
    expect(old.status).toBe(401);
  });

  it('shows the setup checklist with everything missing at once', async () => {
    const checklist = page.getByRole('region', { name: /Finish setting up/ });
    await checklist.waitFor();
    await expect(checklist.textContent()).resolves.toMatch(
      /Twilio account.*Voice AI key.*Phone number.*Public web address/s,
    );
    expect(await page.getByText('Answer rate').locator('..').textContent()).toContain('—');
    await screenshot(page, 'first-hour-02-overview-checklist');
    const overflow = await mobileShot('/', 'first-hour-02-overview-checklist-390', (p) =>
      p.getByRole('region', { name: /Finish setting up/ }).waitFor(),
    );
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('tests a model key before saving it, with the failure in plain words', async () => {
    await page.goto(`${dash.url}/settings/integrations`);
    const card = page.getByRole('form', { name: 'OpenAI' });
    await card.getByLabel('API key').fill('sk-wrong-key-000000');
    await card.getByRole('button', { name: 'Test connection' }).click();
    await card.getByText(/Connection failed: OpenAI did not accept the API key/).waitFor();
    await card.getByText('Technical detail').click();
    await screenshot(page, 'first-hour-03-credentials-test-failed');
    await card.getByLabel('API key').fill(OPENAI_KEY);
    await card.getByRole('button', { name: 'Test connection' }).click();
    await card.getByText(/Connection works/).waitFor();
    await card.getByRole('button', { name: 'Save' }).click();
    await card.getByText('Saved.').waitFor();
    await screenshot(page, 'first-hour-04-credentials-tested-and-saved');
  });

  it('binds a number and the checklist turns those steps green', async () => {
    const token = await login(server.url, 'admin@example.com', NEW_PASSWORD);
    const agents = await apiCall<ListResponse<Agent>>(server.url, token, 'GET', '/api/agents');
    const agent = agents.body.items[0]!;
    const bound = await apiCall(server.url, token, 'POST', '/api/phone-numbers', {
      number: '+14155550142',
      agentId: agent.id,
    });
    expect(bound.status).toBe(201);
    await page.goto(`${dash.url}/`);
    const checklist = page.getByRole('region', { name: /Finish setting up/ });
    await checklist.getByText('+14155550142 is answered by an agent.').waitFor();
    await checklist.getByText('OpenAI key is set.').waitFor();
    await screenshot(page, 'first-hour-05-checklist-progress');

    // The studio says what a tool needs: the default agent transfers, but has no number.
    await page.goto(`${dash.url}/agents/${agent.id}`);
    await page
      .getByText(/Needs a transfer number/)
      .first()
      .waitFor();
    await page.getByRole('heading', { name: 'Tools' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'first-hour-06-studio-tool-warning');
  });

  it('creates an agent from a sample template', async () => {
    await page.goto(`${dash.url}/agents`);
    await page.getByRole('button', { name: 'New agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'New agent' });
    await dialog.getByLabel('Start from').selectOption('appointment_setter');
    await dialog.getByText(/Sample wording/).waitFor();
    await screenshot(page, 'first-hour-07a-new-agent-from-template');
    await dialog.getByRole('button', { name: 'Create and edit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Appointment setter' }).waitFor();
    await expect(page.getByLabel('Greeting', { exact: true }).inputValue()).resolves.toContain(
      '{{business.name}}',
    );
    expect(await page.getByLabel('Book a meeting').isChecked()).toBe(true);
  });

  it('previews the variables and tries the new agent in the text test chat, with a tool call', async () => {
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    textModel.setScript([
      {
        when: { afterTool: 'check_availability' },
        say: `I can offer 10:00 or 11:30 on ${day}. Which suits you?`,
        times: Number.POSITIVE_INFINITY,
      },
      {
        when: { lastUser: 'appointment' },
        toolCalls: [{ name: 'check_availability', arguments: { date: day } }],
        times: Number.POSITIVE_INFINITY,
      },
    ]);
    const agentPath = new URL(page.url()).pathname;
    await page.getByRole('button', { name: 'Preview with variables filled' }).click();
    const preview = page.locator('#variable-preview-body');
    await preview.getByText('Sample prospect:').waitFor();
    const filled = await preview.textContent();
    expect(filled).toContain('Hello, this is Appointment setter from ');
    expect(filled).not.toContain('{{');

    const chat = page.getByRole('region', { name: 'Chat with this agent' });
    const tryIt = async (region: typeof chat) => {
      await region.getByLabel('Message to the agent').fill('I would like an appointment next week');
      await region.getByRole('button', { name: 'Send' }).click();
      await region.getByText('check_availability').waitFor();
      await region.getByText(/I can offer 10:00 or 11:30/).waitFor();
    };
    await tryIt(chat);
    await expect(chat.locator('.test-chat__tool-args').textContent()).resolves.toContain(day);
    // The text model got the template's instructions with the business's name filled in.
    const request = textModel.requests.at(-1)!.conversation!;
    expect(request.instructions).toContain('You are Appointment setter and you book appointments for ');
    expect(request.instructions).not.toContain('{{business.name}}');
    await chat.scrollIntoViewIfNeeded();
    await screenshot(page, 'first-hour-07b-studio-text-test-chat');
    const overflow = await mobileShot(agentPath, 'first-hour-07b-studio-text-test-chat-390', async (p) => {
      const region = p.getByRole('region', { name: 'Chat with this agent' });
      await tryIt(region);
      await region.scrollIntoViewIfNeeded();
    });
    expect(overflow).toBeLessThanOrEqual(0);

    // The conversation is in the call log, with its transcript and the tool call.
    await chat.getByRole('link', { name: 'Open this chat in the call log' }).click();
    await page
      .getByText(/I can offer 10:00 or 11:30/)
      .first()
      .waitFor();
    await page.getByText('check_availability').first().waitFor();
    await screenshot(page, 'first-hour-07c-test-chat-in-call-log');
  });

  it('Call now says everything that is missing, fully visible', async () => {
    const token = await login(server.url, 'admin@example.com', NEW_PASSWORD);
    const created = await apiCall<Prospect>(server.url, token, 'POST', '/api/prospects', {
      phone: '+14155550177',
      contact: 'Dana Scully',
      company: 'Maple Street Dental',
    });
    expect(created.status).toBe(201);
    await page.goto(`${dash.url}/prospects`);
    await page.getByRole('button', { name: 'Call Dana Scully now' }).click();
    const dialog = page.getByRole('dialog', { name: 'Call Dana Scully' });
    await dialog.getByText('Before a call can be placed:').waitFor();
    await dialog.getByText(/Enter your Twilio Account SID/).waitFor();
    await dialog.getByText(/Set PUBLIC_URL/).waitFor();
    // Wrapped and left-aligned inside the dialog, not clipped by the table cell it opens from.
    const style = await dialog.evaluate((d) => {
      const s = getComputedStyle(d);
      return { whiteSpace: s.whiteSpace, textAlign: s.textAlign, clipped: d.scrollWidth > d.clientWidth };
    });
    expect(style).toEqual({ whiteSpace: 'normal', textAlign: 'left', clipped: false });
    await dialog.getByRole('button', { name: 'Start call' }).click();
    await dialog.getByRole('alert').waitFor();
    await screenshot(page, 'first-hour-07-call-now-missing');
    await mobileShot('/prospects', 'first-hour-07-call-now-missing-390', async (p) => {
      await p.getByRole('button', { name: 'Call Dana Scully now' }).click();
      await p.getByText('Before a call can be placed:').waitFor();
    });
  });

  it('the attempt that was never placed is not counted as a call', async () => {
    await page.goto(`${dash.url}/calls`);
    await page.getByText('Not placed').first().waitFor();
    await screenshot(page, 'first-hour-08-calls-not-placed');
    const overflow = await mobileShot('/calls', 'first-hour-08-calls-not-placed-390', (p) =>
      p.getByText('Not placed').first().waitFor(),
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.goto(`${dash.url}/`);
    const today = page.getByText('Calls today').locator('..');
    await expect(today.textContent()).resolves.toContain('0');
  });

  it('has a profile page with the password change', async () => {
    await page.goto(`${dash.url}/profile`);
    await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Olivia Owner');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    await screenshot(page, 'first-hour-09-profile');
    await mobileShot('/profile', 'first-hour-09-profile-390', (p) =>
      p.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor(),
    );
    expect(consoleWatch.errors).toEqual([]);
  });
});
