/**
 * The business's own settings and actions by hand, in a real browser against the real server:
 * the business profile (hours with inline validation, holidays, retention preview), booking,
 * dragging and cancelling an appointment on the week view, texting a prospect, exporting and
 * erasing them, the audit log and the offline API reference. Screenshots at desktop and 390 px.
 */
import type { Appointment, ListResponse, Prospect } from '@switchboard/shared';
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

const ACCOUNT_SID = `AC${'b'.repeat(32)}`;
const AUTH_TOKEN = 'business-e2e-token';
const ZONE = 'America/New_York';

let server: ServerHandle;
let dash: Awaited<ReturnType<typeof dashboardUrl>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let token: string;
let consoleWatch: ReturnType<typeof watchConsole>;
let twilio: Awaited<ReturnType<typeof import('@switchboard/testkit')['startTwilioRestFake']>>;

/** Monday of next week, YYYY-MM-DD (local to the test; the week view shows the browser's zone). */
function nextMonday(): string {
  const d = new Date();
  d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

async function mobileShot(path: string, name: string, ready: (p: Page) => Promise<void>) {
  const mobile = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: ZONE });
  await mobile.addInitScript((t) => localStorage.setItem('switchboard.token', t), token);
  const p = await mobile.newPage();
  await p.goto(`${dash.url}${path}`);
  await ready(p);
  await p.waitForLoadState('networkidle');
  await screenshot(p, name);
  await mobile.close();
}

beforeAll(async () => {
  await ensureBuilt();
  const testkit = await import('@switchboard/testkit');
  twilio = await testkit.startTwilioRestFake({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  server = await startServer({
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_PHONE_NUMBER: '+15005550006',
    TWILIO_API_BASE_URL: twilio.url,
  });
  dash = await dashboardUrl(server.url);
  browser = await launchBrowser();
  token = await login(server.url, OWNER.email, OWNER.password);
  context = await browser.newContext({ viewport: { width: 1360, height: 900 }, timezoneId: ZONE });
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

describe('business settings and actions by hand', { timeout: 120_000 }, () => {
  it('edits the business profile: time zone, weekly hours with inline errors, holidays, retention preview', async () => {
    await page.goto(`${dash.url}/settings`);
    await page.getByRole('heading', { name: 'Business hours' }).waitFor();
    expect(page.url()).toContain('/settings/business');
    await page.getByLabel('Time zone').selectOption(ZONE);
    // Saturday mornings, then an overlapping Monday range: refused where it is typed.
    await page.getByRole('button', { name: 'Add hours on Saturday' }).click();
    await page.getByLabel('Saturday range 1 closes').fill('13:00');
    await page.getByRole('button', { name: 'Add hours on Monday' }).click();
    await page.getByLabel('Monday range 2 opens').fill('16:00');
    await page.getByLabel('Monday range 2 closes').fill('19:00');
    await page.getByText('09:00–17:00 and 16:00–19:00 overlap.').waitFor();
    expect(await page.getByRole('button', { name: 'Save changes' }).isDisabled()).toBe(true);
    await screenshot(page, '40-business-hours-overlap');
    await page.getByLabel('Monday range 2 opens').fill('17:00');
    await page.getByLabel('Holiday date').fill('2030-12-25');
    await page.getByRole('button', { name: 'Add holiday' }).click();
    await page.getByLabel('Keep transcripts for (days)').fill('90');
    await page.getByRole('button', { name: 'Preview what would be deleted' }).click();
    await page.getByText('would be deleted by the next daily run').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await screenshot(page, '41-business-profile');

    const profile = await apiCall<{
      timezone: string;
      businessHours: Record<string, string[][]>;
      holidays: string[];
    }>(server.url, token, 'GET', '/api/organization');
    expect(profile.body).toMatchObject({
      timezone: ZONE,
      businessHours: {
        mon: [
          ['09:00', '17:00'],
          ['17:00', '19:00'],
        ],
        sat: [['09:00', '13:00']],
      },
      holidays: ['2030-12-25'],
    });
    await mobileShot('/settings/business', '42-business-profile-390', (p) =>
      p.getByRole('heading', { name: 'Business hours' }).waitFor(),
    );
  });

  it('books by clicking the week view, moves by dragging, and cancels with a reason', async () => {
    const monday = nextMonday();
    await page.goto(`${dash.url}/appointments?week=${monday}`);
    await page.getByRole('heading', { level: 1, name: 'Appointments' }).waitFor();
    // Tuesday's column spans 08:00–18:00: a click 20 % down lands at 10:00.
    const tuesday = page.locator('.calendar__slots').nth(1);
    const box = (await tuesday.boundingBox())!;
    await tuesday.click({ position: { x: box.width / 2, y: box.height * 0.2 + 2 } });
    const dialog = page.getByRole('dialog', { name: 'New appointment' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Starts').inputValue()).toMatch(/T10:00$/);
    await dialog.getByLabel('Title').fill('Cleaning with Ann');
    await dialog.getByRole('button', { name: 'Book' }).click();
    await dialog.waitFor({ state: 'detached' });
    const event = page.locator('.calendar__event', { hasText: 'Cleaning with Ann' });
    await event.waitFor();
    await screenshot(page, '43-appointment-booked');

    // Drag it to Wednesday, 30 % down the column: 11:00.
    const wednesday = page.locator('.calendar__slots').nth(2);
    const target = (await wednesday.boundingBox())!;
    await event.dragTo(wednesday, {
      sourcePosition: { x: 10, y: 2 },
      targetPosition: { x: target.width / 2, y: target.height * 0.3 + 2 },
    });
    await page
      .locator('.calendar__day')
      .nth(2)
      .locator('.calendar__event', { hasText: 'Cleaning with Ann' })
      .waitFor();
    const list = await apiCall<ListResponse<Appointment>>(
      server.url,
      token,
      'GET',
      '/api/appointments?limit=10',
    );
    const moved = list.body.items.find((a) => a.title === 'Cleaning with Ann')!;
    expect(
      new Intl.DateTimeFormat('en-US', { timeZone: ZONE, weekday: 'long', hour: 'numeric' }).format(
        new Date(moved.start),
      ),
    ).toBe('Wednesday 11 AM');

    // A time outside business hours is refused with the server's reason.
    await page.getByRole('button', { name: 'New appointment' }).click();
    const late = page.getByRole('dialog', { name: 'New appointment' });
    const tuesdayDate = new Date(`${monday}T12:00:00Z`);
    tuesdayDate.setUTCDate(tuesdayDate.getUTCDate() + 1);
    await late.getByLabel('Starts').fill(`${tuesdayDate.toISOString().slice(0, 10)}T20:00`);
    await late.getByLabel('Title').fill('Too late');
    await late.getByRole('button', { name: 'Book' }).click();
    await late.getByText('That time is outside business hours.').waitFor();
    await late.getByRole('button', { name: 'Close' }).first().click();

    await page.locator('.calendar__event-open', { hasText: 'Cleaning with Ann' }).click();
    await page
      .getByRole('dialog', { name: 'Cleaning with Ann' })
      .getByRole('button', { name: 'Cancel appointment' })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Cancel this appointment?' });
    await confirm.getByLabel('Reason (optional)').fill('Patient asked to call back');
    await confirm.getByRole('button', { name: 'Cancel appointment' }).click();
    await page.locator('.calendar__event--cancelled', { hasText: 'Cleaning with Ann' }).waitFor();
    await screenshot(page, '44-appointment-cancelled');
    await mobileShot(`/appointments?week=${monday}`, '45-appointments-390', (p) =>
      p.getByRole('heading', { level: 1, name: 'Appointments' }).waitFor(),
    );
  });

  it('texts a prospect, exports their data and erases them after typing their number', async () => {
    const created = await apiCall<Prospect>(server.url, token, 'POST', '/api/prospects', {
      phone: '(415) 555-0142',
      contact: 'Ann Example',
      email: 'ann@example.org',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await page.goto(`${dash.url}/prospects/${id}`);
    await page.getByRole('heading', { name: 'Activity' }).waitFor();
    await page.getByLabel('Text message').fill('Hi Ann, see you Wednesday at 11!');
    await page.getByRole('button', { name: 'Send text' }).click();
    await page.locator('.sms', { hasText: 'see you Wednesday' }).waitFor();
    expect(twilio.messages.at(-1)).toMatchObject({
      to: '+14155550142',
      body: 'Hi Ann, see you Wednesday at 11!',
    });
    await screenshot(page, '46-prospect-texted');
    await mobileShot(`/prospects/${id}`, '47-prospect-390', (p) =>
      p.getByRole('heading', { name: 'Privacy' }).waitFor(),
    );

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download their data' }).click();
    expect((await download).suggestedFilename()).toBe(`person-${id}.json`);

    await page.getByRole('button', { name: 'Erase this person…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Erase this person for good?' });
    const erase = dialog.getByRole('button', { name: 'Erase permanently' });
    expect(await erase.isDisabled()).toBe(true);
    await dialog.getByLabel(/Type their phone number/).fill('415 555 0142');
    await screenshot(page, '48-erase-confirm');
    await erase.click();
    await page.getByText('The person was erased').waitFor();
    expect((await apiCall(server.url, token, 'GET', `/api/prospects/${id}`)).status).toBe(404);
  });

  it('shows the audit log with filters', async () => {
    await page.goto(`${dash.url}/settings/audit`);
    await page.getByRole('heading', { level: 2, name: 'Audit log' }).waitFor();
    await page.getByRole('cell', { name: 'privacy.erase' }).waitFor();
    await page.getByLabel('Action').fill('appointment.');
    await page.getByRole('cell', { name: 'privacy.erase' }).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'appointment.cancel' }).waitFor();
    await screenshot(page, '49-audit-log');
  });

  it('searches transcripts from the calls list', async () => {
    await page.goto(`${dash.url}/calls`);
    await page.getByLabel('Search transcripts').fill('root canal');
    await page.waitForURL(/q=root\+canal/);
    await page
      .getByText(/No calls/)
      .first()
      .waitFor();
  });

  it('serves an interactive API reference that loads nothing from elsewhere', async () => {
    const outside: string[] = [];
    const docs = await context.newPage();
    docs.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    const cspErrors: string[] = [];
    docs.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await docs.goto(`${server.url}/api/docs/`);
    await docs.getByText('Switchboard API').first().waitFor({ timeout: 60_000 });
    // The sidebar lists the tags once the OpenAPI document has been fetched and parsed.
    await docs.getByText('privacy', { exact: true }).first().waitFor({ timeout: 60_000 });
    await screenshot(docs, '50-api-reference');
    expect(outside).toEqual([]);
    expect(cspErrors).toEqual([]);
    await docs.close();
    // The reference page asks for /favicon.ico, which only the dashboard serves.
    expect(consoleWatch.errors.filter((e) => !e.includes('favicon.ico'))).toEqual([]);
  });
});
