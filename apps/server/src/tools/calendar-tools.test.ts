/**
 * check_availability and book_appointment on the built-in calendar: time zones across the DST
 * change, business hours, double bookings (also two at once), and every bad-argument path.
 */
import { agents, prospects } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAppointment } from '../testing/fixtures.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { errorOf, resultOf, toolHarness } from '../testing/tool-context.ts';

// Friday 2026-03-06 10:00 in New York (EST); the clocks go forward on Sunday 2026-03-08.
const NOW = new Date('2026-03-06T15:00:00Z');
const kinds = await testDbKinds();

interface Slot {
  start: string;
  end: string;
}

describe.each(kinds)('calendar tools on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind, { clock: () => NOW });
  });
  afterAll(() => t?.close());

  const seed = async () => {
    const org = await t.seedOrg();
    return { org, h: await toolHarness(t, org) };
  };

  it('lists free slots in the agent time zone with the right offset after the DST change', async () => {
    const { org, h } = await seed();
    await insertAppointment(t.ctx.db, org.id, { start: new Date('2026-03-09T14:00:00Z') }); // 10:00 EDT
    const result = resultOf<{ slots: Slot[]; timeZone: string; moreSlots: boolean }>(
      await h.run('check_availability', { date: '2026-03-09' }),
    );
    expect(result.timeZone).toBe('America/New_York');
    expect(result.slots.map((s) => s.start)).toEqual([
      '2026-03-09T09:00:00-04:00',
      '2026-03-09T09:30:00-04:00',
      '2026-03-09T10:30:00-04:00',
      '2026-03-09T11:00:00-04:00',
      '2026-03-09T11:30:00-04:00',
      '2026-03-09T12:00:00-04:00',
      '2026-03-09T12:30:00-04:00',
      '2026-03-09T13:00:00-04:00',
    ]);
    expect(result.moreSlots).toBe(true);
    // A 60-minute meeting needs a whole free hour: nothing that would overlap 10:00–10:30.
    const hour = resultOf<{ slots: Slot[] }>(
      await h.run('check_availability', { date: '2026-03-09', durationMinutes: 60 }),
    );
    expect(hour.slots.map((s) => s.start.slice(11, 16))).not.toContain('09:30');
    expect(hour.slots[0]).toEqual({ start: '2026-03-09T09:00:00-04:00', end: '2026-03-09T10:00:00-04:00' });
  });

  it('uses the agent business hours and points to the next open day when closed', async () => {
    const { org, h } = await seed();
    await t.ctx.db
      .update(agents)
      .set({ businessHours: { mon: [['13:00', '15:00']] } })
      .where(eq(agents.id, org.agent.id));
    const saturday = resultOf<{
      open: boolean;
      slots: Slot[];
      note: string;
      nextAvailable: Slot & { spoken: string };
    }>(await h.run('check_availability', { date: '2026-03-07' }));
    expect(saturday.open).toBe(false);
    expect(saturday.slots).toEqual([]);
    expect(saturday.note).toBe('Closed that day.');
    expect(saturday.nextAvailable).toMatchObject({ start: '2026-03-09T13:00:00-04:00' });
    expect(saturday.nextAvailable.spoken).toMatch(/Monday, March 9.*1:00/);
  });

  it('refuses past days and malformed arguments', async () => {
    const { h } = await seed();
    expect(errorOf(await h.run('check_availability', { date: '2026-03-05' }))).toMatchObject({
      code: 'failed',
      message: '2026-03-05 is in the past; today is 2026-03-06.',
    });
    expect(errorOf(await h.run('check_availability', { date: '03/09/2026' })).code).toBe('bad_arguments');
    expect(errorOf(await h.run('check_availability', { date: '2026-03-09', durationMinutes: 2 })).code).toBe(
      'bad_arguments',
    );
    expect(errorOf(await h.run('check_availability', '{not json')).code).toBe('bad_arguments');
  });

  it('books a meeting, saves the caller as the prospect and shows it at GET /api/appointments', async () => {
    const { org, h } = await seed();
    const booked = resultOf<Record<string, unknown>>(
      await h.run('book_appointment', {
        start: '2026-03-09T14:00:00-04:00',
        name: 'Dana Scully',
        email: 'dana@example.com',
        notes: 'Cleaning',
      }),
    );
    expect(booked).toMatchObject({
      booked: true,
      start: '2026-03-09T14:00:00-04:00',
      end: '2026-03-09T14:30:00-04:00',
      timeZone: 'America/New_York',
      calendar: 'builtin',
      confirmation: expect.stringMatching(/^[0-9A-F]{8}$/),
    });
    expect(booked.spoken).toMatch(/Monday, March 9.*2:00/);
    const list = (await t.as(org.tokens.viewer).get('/api/appointments')).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({
      start: '2026-03-09T18:00:00.000Z',
      end: '2026-03-09T18:30:00.000Z',
      callId: h.call.id,
      title: 'Meeting with Dana Scully',
      notes: 'Cleaning',
      status: 'confirmed',
    });
    const [prospect] = await t.ctx.db.select().from(prospects).where(eq(prospects.organizationId, org.id));
    expect(prospect).toMatchObject({
      contact: 'Dana Scully',
      phone: '+14155550123',
      email: 'dana@example.com',
      status: 'meeting_scheduled',
    });
    expect(list.items[0].prospectId).toBe(prospect!.id);
    expect(h.context.prospect.id).toBe(prospect!.id);
    const call = (await t.as(org.tokens.viewer).get(`/api/calls/${h.call.id}`)).json();
    expect(call.prospectId).toBe(prospect!.id);
  });

  it('refuses double bookings with free alternatives, also when two calls book at once', async () => {
    const { org, h } = await seed();
    resultOf(await h.run('book_appointment', { start: '2026-03-09T14:00:00-04:00', name: 'A' }));
    const again = errorOf(await h.run('book_appointment', { start: '2026-03-09T13:45:00-04:00', name: 'B' }));
    expect(again.message).toBe('That time is already booked.');
    const details = again.details as { reason: string; alternatives: Slot[] };
    expect(details.reason).toBe('double_booking');
    expect(details.alternatives.map((s) => s.start)).toEqual([
      '2026-03-09T09:00:00-04:00',
      '2026-03-09T09:30:00-04:00',
      '2026-03-09T10:00:00-04:00',
    ]);

    const other = await toolHarness(t, org, { from: '+14155550124' });
    const results = await Promise.all([
      h.run('book_appointment', { start: '2026-03-10T11:00:00-04:00', name: 'C' }),
      other.run('book_appointment', { start: '2026-03-10T11:15:00-04:00', name: 'D' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => errorOf(r).message)).toEqual([
      'That time is already booked.',
    ]);
    const list = (await t.as(org.tokens.viewer).get('/api/appointments')).json();
    expect(list.total).toBe(2);
  });

  it('refuses times outside business hours, in the past, and without an offset', async () => {
    const { h } = await seed();
    const late = errorOf(await h.run('book_appointment', { start: '2026-03-09T16:45:00-04:00', name: 'E' }));
    expect(late).toMatchObject({ code: 'failed', message: 'That time is outside business hours.' });
    expect((late.details as { openOnThatDay: Slot[] }).openOnThatDay).toEqual([
      { start: '2026-03-09T09:00:00-04:00', end: '2026-03-09T17:00:00-04:00' },
    ]);
    expect(
      errorOf(await h.run('book_appointment', { start: '2026-03-07T10:00:00-05:00', name: 'E' })).message,
    ).toBe('That time is outside business hours.');
    expect(
      errorOf(await h.run('book_appointment', { start: '2026-03-06T09:00:00-05:00', name: 'E' })).message,
    ).toBe('That time is in the past.');
    const noOffset = errorOf(await h.run('book_appointment', { start: '2026-03-09T14:00:00', name: 'E' }));
    expect(noOffset.code).toBe('bad_arguments');
    expect(JSON.stringify(noOffset.details)).toContain('offset');
    expect(errorOf(await h.run('book_appointment', { start: '2026-03-09T14:00:00-04:00' })).code).toBe(
      'bad_arguments',
    );
  });

  it('does not book when the call ended before the tool ran', async () => {
    const { org, h } = await seed();
    h.abort.abort();
    expect(
      errorOf(await h.run('book_appointment', { start: '2026-03-09T15:00:00-04:00', name: 'F' })).code,
    ).toBe('cancelled');
    expect((await t.as(org.tokens.viewer).get('/api/appointments')).json().total).toBe(0);
  });
});
