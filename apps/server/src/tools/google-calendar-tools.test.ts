/**
 * The calendar tools with Google Calendar configured (GOOGLE_APPLICATION_CREDENTIALS +
 * GOOGLE_CALENDAR_API_URL → a local fake of freeBusy and events): Google's busy time counts,
 * bookings are created there too, a Google failure books nothing, and a hang-up during a slow
 * calendar request cancels the booking.
 */
import { appointments } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GoogleCalendarFake, startGoogleCalendarFake } from '../testing/google-calendar-fake.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { errorOf, resultOf, toolHarness } from '../testing/tool-context.ts';
import { eventually } from '../testing/voice-harness.ts';

const NOW = new Date('2026-03-06T15:00:00Z');
const kinds = await testDbKinds();

describe.each(kinds)('calendar tools with Google Calendar on %s', (kind) => {
  let t: TestApp;
  let google: GoogleCalendarFake;
  beforeAll(async () => {
    google = await startGoogleCalendarFake();
    t = await buildTestApp(kind, {
      clock: () => NOW,
      env: { GOOGLE_APPLICATION_CREDENTIALS: google.credentialsPath, GOOGLE_CALENDAR_API_URL: google.url },
    });
  });
  afterAll(async () => {
    await t?.close();
    await google?.close();
  });

  const appointmentsOf = (orgId: string) =>
    t.ctx.db.select().from(appointments).where(eq(appointments.organizationId, orgId));

  it('counts Google busy time and creates the booked meeting in Google too', async () => {
    google.busy = [{ start: '2026-03-09T13:00:00Z', end: '2026-03-09T15:00:00Z' }]; // 09:00–11:00 EDT
    const org = await t.seedOrg();
    const h = await toolHarness(t, org);
    const free = resultOf<{ slots: Array<{ start: string }> }>(
      await h.run('check_availability', { date: '2026-03-09' }),
    );
    expect(free.slots[0]?.start).toBe('2026-03-09T11:00:00-04:00');
    expect(google.requests.some((r) => r.path === '/calendar/v3/freeBusy')).toBe(true);

    const taken = errorOf(
      await h.run('book_appointment', { start: '2026-03-09T10:00:00-04:00', name: 'Ann' }),
    );
    expect(taken.message).toBe('That time is already booked.');

    const booked = resultOf(
      await h.run('book_appointment', { start: '2026-03-09T14:00:00-04:00', name: 'Ann' }),
    );
    expect(booked).toMatchObject({ booked: true, calendar: 'google' });
    expect(google.events.at(-1)).toMatchObject({
      summary: 'Meeting with Ann',
      start: { dateTime: '2026-03-09T18:00:00.000Z', timeZone: 'America/New_York' },
    });
    const [row] = await appointmentsOf(org.id);
    expect(row?.externalId).toBe(`evt${google.events.length}`);
    google.busy = [];
  });

  it('books nothing when Google refuses the event', async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org);
    google.failEvents = true;
    try {
      const failed = errorOf(
        await h.run('book_appointment', { start: '2026-03-10T10:00:00-04:00', name: 'Bo' }),
      );
      expect(failed).toMatchObject({
        message: 'The calendar could not be updated, so nothing was booked.',
        details: { reason: 'calendar_unavailable' },
      });
    } finally {
      google.failEvents = false;
    }
    expect(await appointmentsOf(org.id)).toEqual([]);
  });

  it('cancels the booking when the caller hangs up during a slow calendar request', async () => {
    const org = await t.seedOrg();
    const h = await toolHarness(t, org);
    google.delayMs = 30_000;
    const seen = google.requests.length;
    const run = h.run('book_appointment', { start: '2026-03-10T15:00:00-04:00', name: 'Cy' });
    try {
      await eventually(async () => google.requests.length > seen, 10_000);
      h.abort.abort(); // the caller hung up
      expect(errorOf(await run)).toMatchObject({
        code: 'cancelled',
        message: 'The call ended while the tool was running.',
      });
    } finally {
      google.delayMs = 0;
    }
    // The aborted request never came back, so nothing was written here or at Google.
    const events = google.events.length;
    resultOf(
      await (await toolHarness(t, org)).run('book_appointment', {
        start: '2026-03-11T15:00:00-04:00',
        name: 'Di',
      }),
    );
    expect((await appointmentsOf(org.id)).map((a) => a.title)).toEqual(['Meeting with Di']);
    expect(google.events.length).toBe(events + 1);
  });
});
