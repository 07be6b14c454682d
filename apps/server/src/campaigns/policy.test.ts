import { describe, expect, it } from 'vitest';
import { decide } from './compliance.ts';
import { callOutcome } from './outcome.ts';
import { dailyCapReached, dialSlots } from './pacing.ts';
import { nextStep } from './retry.ts';
import { isInWindow, localTimeAt, nextWindowStart } from './schedule.ts';

const weekdays = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const NY = 'America/New_York';

describe('calling window in the prospect time zone', () => {
  it('reads the window on each prospect wall clock', () => {
    const at = new Date('2026-03-09T13:30:00Z'); // Monday 09:30 in New York (EDT), 22:30 in Tokyo
    expect(isInWindow(weekdays, at, NY)).toBe(true);
    expect(isInWindow(weekdays, at, 'Asia/Tokyo')).toBe(false);
    expect(isInWindow(weekdays, at, 'Europe/London')).toBe(true); // 13:30 GMT
    expect(isInWindow(weekdays, new Date('2026-03-09T21:00:00Z'), NY)).toBe(false); // 17:00: end is exclusive
    expect(isInWindow(weekdays, new Date('2026-03-07T15:00:00Z'), NY)).toBe(false); // Saturday
    expect(isInWindow({ ...weekdays, days: [6, 7] }, new Date('2026-03-08T15:00:00Z'), NY)).toBe(true); // Sunday = 7
  });

  it('finds the next window start across a weekend and a DST change', () => {
    // Friday 17:00 EST → Monday 09:00 EDT (clocks went forward on Sunday 8 March 2026).
    const next = nextWindowStart(weekdays, new Date('2026-03-06T22:00:00Z'), NY);
    expect(next?.toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(localTimeAt(next!, NY)).toBe('2026-03-09T09:00:00-04:00');
    // Before the start on a listed day: today's start; inside: now.
    expect(nextWindowStart(weekdays, new Date('2026-03-10T11:00:00Z'), NY)?.toISOString()).toBe(
      '2026-03-10T13:00:00.000Z',
    );
    const inside = new Date('2026-03-10T15:00:00Z');
    expect(nextWindowStart(weekdays, inside, NY)).toBe(inside);
    // Half-hour offsets.
    expect(nextWindowStart(weekdays, new Date('2026-03-10T12:00:00Z'), 'Asia/Kolkata')?.toISOString()).toBe(
      '2026-03-11T03:30:00.000Z',
    );
  });

  it('moves a window start that falls in the spring-forward gap forward by the gap', () => {
    const sunday = { days: [7], start: '02:30', end: '05:00' };
    const next = nextWindowStart(sunday, new Date('2026-03-08T05:00:00Z'), NY); // 00:00 EST
    expect(localTimeAt(next!, NY)).toBe('2026-03-08T03:30:00-04:00');
  });

  it('answers null when no day is listed', () => {
    expect(nextWindowStart({ days: [], start: '09:00', end: '17:00' }, new Date(), NY)).toBeNull();
  });
});

describe('pacing', () => {
  const limits = { maxConcurrent: 5, callsPerMinute: 10, dailyCap: null };
  it('takes the tightest of concurrency, rate and daily cap, never below zero', () => {
    expect(dialSlots(limits, { live: 2, placedLastMinute: 0, placedToday: 0 })).toBe(3);
    expect(dialSlots(limits, { live: 0, placedLastMinute: 8, placedToday: 0 })).toBe(2);
    expect(dialSlots({ ...limits, dailyCap: 20 }, { live: 0, placedLastMinute: 0, placedToday: 19 })).toBe(1);
    expect(dialSlots(limits, { live: 7, placedLastMinute: 0, placedToday: 0 })).toBe(0);
    expect(
      dailyCapReached({ ...limits, dailyCap: 20 }, { live: 0, placedLastMinute: 0, placedToday: 20 }),
    ).toBe(true);
    expect(dailyCapReached(limits, { live: 0, placedLastMinute: 0, placedToday: 10_000 })).toBe(false);
  });
});

describe('retry rules', () => {
  const policy = {
    schedule: weekdays,
    retry: { maxAttempts: 3, delayS: { no_answer: 3600, busy: 600, voicemail: 86_400, failed: 60 } },
    stopOn: ['meeting_booked', 'do_not_call'],
  };
  const monday10 = new Date('2026-03-09T14:00:00Z'); // 10:00 EDT

  it('retries no answer and busy after their delay, inside the window', () => {
    expect(nextStep(policy, { disposition: 'no_answer', attempts: 1, now: monday10, timeZone: NY })).toEqual({
      state: 'scheduled',
      nextAttemptAt: new Date('2026-03-09T15:00:00Z'),
    });
    expect(nextStep(policy, { disposition: 'busy', attempts: 2, now: monday10, timeZone: NY })).toEqual({
      state: 'scheduled',
      nextAttemptAt: new Date('2026-03-09T14:10:00Z'),
    });
    // 16:30 + 1 h is after the window: the next morning at 09:00.
    const late = new Date('2026-03-09T20:30:00Z');
    expect(nextStep(policy, { disposition: 'no_answer', attempts: 1, now: late, timeZone: NY })).toEqual({
      state: 'scheduled',
      nextAttemptAt: new Date('2026-03-10T13:00:00Z'),
    });
  });

  it('stops at maxAttempts, on stopOn dispositions and on outcomes that are not retried', () => {
    expect(nextStep(policy, { disposition: 'no_answer', attempts: 3, now: monday10, timeZone: NY })).toEqual({
      state: 'done',
      reason: 'max_attempts',
    });
    expect(
      nextStep(policy, { disposition: 'meeting_booked', attempts: 1, now: monday10, timeZone: NY }),
    ).toEqual({ state: 'done', reason: 'stop_on' });
    expect(nextStep(policy, { disposition: 'interested', attempts: 1, now: monday10, timeZone: NY })).toEqual(
      {
        state: 'done',
        reason: 'final_outcome',
      },
    );
    expect(
      nextStep(policy, { disposition: 'voicemail_left', attempts: 1, now: monday10, timeZone: NY }),
    ).toMatchObject({ state: 'scheduled', nextAttemptAt: new Date('2026-03-10T14:00:00Z') });
  });
});

describe('call outcome', () => {
  it('uses the post-call disposition, else the facts of the final call', () => {
    expect(callOutcome({ status: 'in-progress', disposition: null, answeredBy: null })).toBeNull();
    expect(callOutcome({ status: 'completed', disposition: 'meeting_booked', answeredBy: null })).toBe(
      'meeting_booked',
    );
    expect(callOutcome({ status: 'no-answer', disposition: null, answeredBy: null })).toBe('no_answer');
    expect(callOutcome({ status: 'busy', disposition: null, answeredBy: null })).toBe('busy');
    expect(callOutcome({ status: 'failed', disposition: null, answeredBy: null })).toBe('failed');
    expect(callOutcome({ status: 'completed', disposition: null, answeredBy: 'machine_end_beep' })).toBe(
      'voicemail_left',
    );
    expect(callOutcome({ status: 'completed', disposition: null, answeredBy: 'human' })).toBe('other');
  });
});

describe('compliance decision', () => {
  const ok = {
    onDoNotCallList: false,
    prospectStatus: 'new',
    attempts: 0,
    maxAttempts: 3,
    liveCallToNumber: false,
    inWindow: true,
  };
  it('dials only when every rule passes, and names the rule that decided', () => {
    expect(decide(ok)).toEqual({ decision: 'dial', rule: 'allowed' });
    expect(decide({ ...ok, onDoNotCallList: true, inWindow: false })).toEqual({
      decision: 'skip',
      rule: 'do_not_call_list',
    });
    expect(decide({ ...ok, prospectStatus: 'do_not_call' })).toEqual({
      decision: 'skip',
      rule: 'prospect_do_not_call',
    });
    expect(decide({ ...ok, attempts: 3 })).toEqual({ decision: 'skip', rule: 'max_attempts' });
    expect(decide({ ...ok, inWindow: false })).toEqual({ decision: 'defer', rule: 'outside_window' });
    expect(decide({ ...ok, liveCallToNumber: true })).toEqual({
      decision: 'defer',
      rule: 'live_call_to_number',
    });
  });
});
