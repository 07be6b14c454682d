import { appointments, calls, organizations } from '@switchboard/db';
import { type CallStatus, isTimezone, NOT_PLACED_REASONS, type StatsOverview } from '@switchboard/shared';
import { and, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import { localParts, zonedToInstant } from '../calendar/zoned-time.ts';
import type { ServiceDeps } from '../context.ts';

/** Statuses of a call that has not ended yet. */
const LIVE_STATUSES: CallStatus[] = ['queued', 'initiated', 'ringing', 'in-progress'];
/** A non-final call older than this is a leftover (a lost status callback), not a live call. */
const LIVE_WINDOW_MS = 6 * 3_600_000;
/** Days in `callsPerDay`, today included. */
const CHART_DAYS = 14;

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const ymd = (d: LocalDate) =>
  `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
const ts = (instant: Date): SQL => sql`${instant.toISOString()}::timestamptz`;
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const numberOrNull = (value: unknown): number | null =>
  value === null || value === undefined || Number.isNaN(Number(value)) ? null : Number(value);

/** Day boundaries in the organization's time zone: today, this week (from Monday), the chart's days. */
function calendarOf(now: Date, timeZone: string) {
  const parts = localParts(now, timeZone);
  const today: LocalDate = { year: parts.year, month: parts.month, day: parts.day };
  const startOf = (date: LocalDate) => zonedToInstant(date, 0, timeZone);
  const days = Array.from({ length: CHART_DAYS }, (_, i) => addDays(today, i - CHART_DAYS + 1));
  return {
    todayStart: startOf(today),
    tomorrowStart: startOf(addDays(today, 1)),
    weekStart: startOf(addDays(today, -((parts.weekday + 6) % 7))),
    days,
    dayStarts: days.map(startOf),
  };
}

/**
 * The dashboard's overview figures for one organization, aggregated in the database. "Today"
 * and "this week" (Monday to now) are in the organization's time zone. Latency percentiles pool
 * the per-turn samples of this week's calls (calls without turns contribute their own p50/p90).
 */
export async function getStatsOverview(
  { db, clock }: ServiceDeps,
  input: { organizationId: string },
): Promise<StatsOverview> {
  const [org] = await db
    .select({ timezone: organizations.timezone })
    .from(organizations)
    .where(eq(organizations.id, input.organizationId))
    .limit(1);
  const timeZone = org && isTimezone(org.timezone) ? org.timezone : 'UTC';
  const now = clock();
  const cal = calendarOf(now, timeZone);
  const firstDay = cal.dayStarts[0]!;
  // Attempts that never reached the phone network (configuration errors) are not calls.
  const placed = sql`not (${calls.status} = 'failed' and coalesce(${calls.endReason}, '') in (${sql.join(
    NOT_PLACED_REASONS.map((r) => sql`${r}`),
    sql`, `,
  )}))`;
  // The dashboard's own tests (the microphone test call, the text test chat: `web` from `browser`)
  // are not calls; the website widget's conversations (from `website`) are.
  const notTest = sql`not (${calls.direction} = 'web' and ${calls.from} = 'browser')`;
  const ofOrg = and(eq(calls.organizationId, input.organizationId), placed, notTest)!;
  const thisWeek = sql`${calls.createdAt} >= ${ts(cal.weekStart)}`;
  const count = (where: SQL) => sql<number>`count(*) filter (where ${where})`.mapWith(Number);

  const totalsQuery = db
    .select({
      callsToday: count(sql`${calls.createdAt} >= ${ts(cal.todayStart)}`),
      callsThisWeek: count(thisWeek),
      answeredThisWeek: count(sql`${thisWeek} and ${calls.answeredAt} is not null`),
      avgDurationS: sql`avg(${calls.durationS}) filter (where ${thisWeek} and ${calls.answeredAt} is not null)`,
      // The full cost (model + telephony) once the call ended; the voice model's estimate before.
      costUsd: sql`coalesce(sum(coalesce((${calls.cost} ->> 'total')::numeric, ${calls.costUsd})) filter (where ${thisWeek}), 0)`,
      liveCalls: count(
        sql`${inArray(calls.status, LIVE_STATUSES)} and ${calls.endedAt} is null
          and ${calls.createdAt} >= ${ts(new Date(now.getTime() - LIVE_WINDOW_MS))}`,
      ),
    })
    .from(calls)
    // The chart's first day is before this week's Monday and the live window.
    .where(and(ofOrg, gte(calls.createdAt, firstDay)));

  // width_bucket: 1 for the first day … CHART_DAYS for today. Grouped by position: the same
  // expression written twice would carry different parameters and not match.
  const bucket = sql<number>`width_bucket(${calls.createdAt}, array[${sql.join(cal.dayStarts.map(ts), sql`, `)}])`;
  const perDayQuery = db
    .select({ bucket: bucket.mapWith(Number), count: sql<number>`count(*)`.mapWith(Number) })
    .from(calls)
    .where(and(ofOrg, gte(calls.createdAt, firstDay), lt(calls.createdAt, cal.tomorrowStart)))
    .groupBy(sql`1`);

  const meetingsQuery = db.$count(
    appointments,
    and(
      eq(appointments.organizationId, input.organizationId),
      eq(appointments.status, 'confirmed'),
      gte(appointments.createdAt, cal.weekStart),
    ),
  );

  const number = (path: string) =>
    sql`case when jsonb_typeof(c.latency -> ${path}::text) = 'number' then (c.latency ->> ${path}::text)::float8 end`;
  const latencyQuery = db.execute(sql`
    select percentile_disc(0.5) within group (order by s.v50) as p50,
           percentile_disc(0.9) within group (order by s.v90) as p90
    from (
      select (t.value #>> '{}')::float8 as v50, (t.value #>> '{}')::float8 as v90
      from calls c
      cross join lateral jsonb_array_elements(
        case when jsonb_typeof(c.latency -> 'turns') = 'array' then c.latency -> 'turns' else '[]'::jsonb end
      ) t
      where c.organization_id = ${input.organizationId} and c.created_at >= ${ts(cal.weekStart)}
        and jsonb_typeof(t.value) = 'number'
      union all
      select ${number('p50Ms')}, ${number('p90Ms')}
      from calls c
      where c.organization_id = ${input.organizationId} and c.created_at >= ${ts(cal.weekStart)}
        and c.latency is not null
        and coalesce(jsonb_array_length(case when jsonb_typeof(c.latency -> 'turns') = 'array'
          then c.latency -> 'turns' end), 0) = 0
    ) s`);

  const [[totals], perDay, meetingsBooked, latency] = await Promise.all([
    totalsQuery,
    perDayQuery,
    meetingsQuery,
    latencyQuery,
  ]);
  const counts = new Map(perDay.map((row) => [row.bucket, row.count]));
  const percentiles = (latency as unknown as { rows: Array<{ p50: unknown; p90: unknown }> }).rows[0];
  const p50 = numberOrNull(percentiles?.p50);
  const p90 = numberOrNull(percentiles?.p90);
  const callsThisWeek = totals?.callsThisWeek ?? 0;
  const avgDuration = numberOrNull(totals?.avgDurationS);
  return {
    callsToday: totals?.callsToday ?? 0,
    callsThisWeek,
    answerRate: callsThisWeek ? round((totals?.answeredThisWeek ?? 0) / callsThisWeek, 4) : null,
    avgDurationS: avgDuration === null ? null : round(avgDuration, 1),
    meetingsBooked,
    liveCalls: totals?.liveCalls ?? 0,
    latencyP50Ms: p50 === null ? null : Math.round(p50),
    latencyP90Ms: p90 === null ? null : Math.round(p90),
    costUsd: round(numberOrNull(totals?.costUsd) ?? 0, 6),
    callsPerDay: cal.days.map((date, i) => ({ date: ymd(date), count: counts.get(i + 1) ?? 0 })),
  };
}
