/**
 * Appointments by hand: booked, moved and cancelled through the API under the agent's rules,
 * mirrored to the Google Calendar fake, with optional texts through the Twilio fake.
 */
import { messages } from '@switchboard/db';
import { startTwilioRestFake, type TwilioRestFake } from '@switchboard/testkit';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAppointment } from '../testing/fixtures.ts';
import { type GoogleCalendarFake, startGoogleCalendarFake } from '../testing/google-calendar-fake.ts';
import { buildTestApp, type SeededOrg, type TestApp, testDbKinds } from '../testing/test-app.ts';

// Friday 2026-03-06 10:00 in New York; Monday the 9th is after the DST change (UTC-4).
const NOW = new Date('2026-03-06T15:00:00Z');
const SID = `AC${'c'.repeat(32)}`;
const kinds = await testDbKinds();

describe.each(kinds)('appointments by hand on %s', (kind) => {
  let t: TestApp;
  let google: GoogleCalendarFake;
  let rest: TwilioRestFake;
  beforeAll(async () => {
    google = await startGoogleCalendarFake();
    rest = await startTwilioRestFake({ accountSid: SID, authToken: 'token-123456' });
    t = await buildTestApp(kind, {
      clock: () => NOW,
      env: {
        GOOGLE_APPLICATION_CREDENTIALS: google.credentialsPath,
        GOOGLE_CALENDAR_API_URL: google.url,
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: 'token-123456',
        TWILIO_PHONE_NUMBER: '+15005550006',
        TWILIO_API_BASE_URL: rest.url,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await google?.close();
    await rest?.close();
  });

  const seed = async (): Promise<{ org: SeededOrg; prospectId: string }> => {
    const org = await t.seedOrg();
    await t.as(org.tokens.admin).patch('/api/organization', { timezone: 'America/New_York' });
    const prospect = await t
      .as(org.tokens.agent)
      .post('/api/prospects', { phone: '+14155550142', contact: 'Ann' });
    return { org, prospectId: prospect.json().id };
  };

  it('creates, moves and cancels an appointment, in Google Calendar too, texting the prospect', async () => {
    const { org, prospectId } = await seed();
    const api = t.as(org.tokens.agent);
    const created = await api.post('/api/appointments', {
      start: '2026-03-09T10:00:00-04:00',
      durationMinutes: 45,
      title: 'Cleaning',
      prospectId,
      notes: 'First visit',
      notify: true,
    });
    expect(created.statusCode).toBe(201);
    const booked = created.json();
    expect(booked).toMatchObject({
      start: '2026-03-09T14:00:00.000Z',
      end: '2026-03-09T14:45:00.000Z',
      timezone: 'America/New_York',
      status: 'confirmed',
      synced: true,
      notification: { status: 'sent' },
    });
    const eventId = `evt${google.events.length}`;
    expect(google.byId.get(eventId)).toMatchObject({ summary: 'Cleaning', status: 'confirmed' });
    expect(rest.messages.at(-1)).toMatchObject({ to: '+14155550142' });
    expect(String(rest.messages.at(-1)?.body)).toContain('confirmed for Monday, March 9 at 10:00');
    expect((await api.get(`/api/prospects/${prospectId}`)).json().status).toBe('meeting_scheduled');

    const moved = await api.patch(`/api/appointments/${booked.id}`, {
      start: '2026-03-09T10:30:00-04:00',
      notify: true,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      start: '2026-03-09T14:30:00.000Z',
      end: '2026-03-09T15:15:00.000Z',
    });
    expect(google.byId.get(eventId)).toMatchObject({ start: { dateTime: '2026-03-09T14:30:00.000Z' } });
    expect(String(rest.messages.at(-1)?.body)).toContain('moved to Monday, March 9 at 10:30');

    const cancelled = await api.patch(`/api/appointments/${booked.id}`, {
      status: 'cancelled',
      cancelReason: 'Patient is ill',
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: 'Patient is ill' });
    expect(google.byId.get(eventId)?.status).toBe('cancelled');
    expect((await api.patch(`/api/appointments/${booked.id}`, { status: 'cancelled' })).statusCode).toBe(409);

    const actions = (await t.as(org.tokens.admin).get('/api/audit?action=appointment.')).json().items;
    expect(actions.map((a: { action: string }) => a.action)).toEqual([
      'appointment.cancel',
      'appointment.update',
      'appointment.create',
    ]);
  });

  it('applies the booking rules by hand: past, outside hours, holidays, overlaps (with alternatives)', async () => {
    const { org, prospectId } = await seed();
    const api = t.as(org.tokens.agent);
    const book = (start: string, extra: Record<string, unknown> = {}) =>
      api.post('/api/appointments', { start, title: 'Visit', prospectId, ...extra });
    const reason = async (
      res: Promise<{ statusCode: number; json(): { error: { details: { reason: string } } } }>,
    ) => {
      const r = await res;
      return [r.statusCode, r.json().error.details.reason];
    };
    expect(await reason(book('2026-03-05T10:00:00-05:00'))).toEqual([400, 'past']);
    expect(await reason(book('2026-03-09T18:00:00-04:00'))).toEqual([400, 'outside_business_hours']);
    expect(await reason(book('2026-03-07T10:00:00-05:00'))).toEqual([400, 'outside_business_hours']);
    await t.as(org.tokens.admin).patch('/api/organization', { holidays: ['2026-03-10'] });
    expect(await reason(book('2026-03-10T10:00:00-04:00'))).toEqual([400, 'holiday']);

    await insertAppointment(t.ctx.db, org.id, { start: new Date('2026-03-09T15:00:00Z') });
    const clash = await book('2026-03-09T11:15:00-04:00');
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.details.alternatives[0]).toEqual({
      start: '2026-03-09T09:00:00-04:00',
      end: '2026-03-09T09:30:00-04:00',
    });
    // Moving onto another appointment is refused too; moving within its own slot is fine.
    const mine = (await book('2026-03-09T13:00:00-04:00')).json();
    expect(
      (await api.patch(`/api/appointments/${mine.id}`, { start: '2026-03-09T11:00:00-04:00' })).statusCode,
    ).toBe(409);
    expect(
      (await api.patch(`/api/appointments/${mine.id}`, { start: '2026-03-09T13:15:00-04:00' })).statusCode,
    ).toBe(200);
  });

  it('validates input, roles and organization scope', async () => {
    const { org, prospectId } = await seed();
    const other = await t.seedOrg();
    const valid = { start: '2026-03-09T10:00:00-04:00', title: 'Visit' };
    expect((await t.as(org.tokens.viewer).post('/api/appointments', valid)).statusCode).toBe(403);
    expect((await t.as(undefined).post('/api/appointments', valid)).statusCode).toBe(401);
    for (const body of [
      { ...valid, start: '2026-03-09 10:00' },
      { ...valid, durationMinutes: 2 },
      { ...valid, title: '' },
      { ...valid, prospectId: 'nope' },
      { ...valid, extra: 1 },
    ]) {
      expect((await t.as(org.tokens.agent).post('/api/appointments', body)).statusCode).toBe(400);
    }
    // Another organization's prospect is unknown here.
    expect(
      (await t.as(other.tokens.agent).post('/api/appointments', { ...valid, prospectId })).statusCode,
    ).toBe(404);
    const mine = (await t.as(org.tokens.agent).post('/api/appointments', valid)).json();
    expect(
      (await t.as(other.tokens.agent).patch(`/api/appointments/${mine.id}`, { notes: 'x' })).statusCode,
    ).toBe(404);
    const api = t.as(org.tokens.agent);
    expect((await api.patch(`/api/appointments/${mine.id}`, { cancelReason: 'why' })).statusCode).toBe(400);
    expect(
      (await api.patch(`/api/appointments/${mine.id}`, { status: 'cancelled', start: valid.start }))
        .statusCode,
    ).toBe(400);
    const edited = await api.patch(`/api/appointments/${mine.id}`, {
      notes: 'Bring X-rays',
      title: 'Check-up',
    });
    expect(edited.json()).toMatchObject({ notes: 'Bring X-rays', title: 'Check-up', status: 'confirmed' });
  });

  it('changes nothing when Google Calendar refuses, and reports a text that could not go out', async () => {
    const { org, prospectId } = await seed();
    const api = t.as(org.tokens.agent);
    const booked = (
      await api.post('/api/appointments', { start: '2026-03-09T16:00:00-04:00', title: 'Visit', prospectId })
    ).json();
    google.failEvents = true;
    try {
      const res = await api.patch(`/api/appointments/${booked.id}`, { start: '2026-03-09T15:00:00-04:00' });
      expect(res.statusCode).toBe(503);
      const [row] = (await api.get(`/api/appointments?prospectId=${prospectId}`)).json().items;
      expect(row.start).toBe('2026-03-09T20:00:00.000Z');
      expect((await api.patch(`/api/appointments/${booked.id}`, { status: 'cancelled' })).statusCode).toBe(
        503,
      );
    } finally {
      google.failEvents = false;
    }
    // A number on the do-not-call list is not texted; the booking still stands.
    await t.ctx.db.delete(messages).where(eq(messages.organizationId, org.id));
    await api.patch(`/api/prospects/${prospectId}`, { status: 'do_not_call' });
    const skipped = await api.patch(`/api/appointments/${booked.id}`, {
      start: '2026-03-09T14:00:00-04:00',
      notify: true,
    });
    expect(skipped.json().notification).toEqual({
      status: 'skipped',
      message: 'The number is on the do-not-call list.',
    });
    expect(await t.ctx.db.$count(messages, eq(messages.organizationId, org.id))).toBe(0);
    await api.patch(`/api/prospects/${prospectId}`, { status: 'contacted' });
    rest.failNext({ status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    const moved = await api.patch(`/api/appointments/${booked.id}`, {
      start: '2026-03-09T15:00:00-04:00',
      notify: true,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().notification).toMatchObject({ status: 'failed' });
  });
});
