import type { Call, ListResponse, StatsOverview } from '@switchboard/shared';
import { Link } from 'react-router';
import { BarChart } from '../components/bar-chart.tsx';
import { CallsTable } from '../components/calls-table.tsx';
import { EmptyState, ErrorState, Loading, PageHeader, Stat } from '../components/page.tsx';
import { SetupChecklist } from '../components/setup-checklist.tsx';
import {
  formatDayLabel,
  formatDuration,
  formatLatency,
  formatNumber,
  formatPercent,
  formatUsd,
  parseIsoDate,
} from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';

export default function Overview() {
  const stats = useApi<StatsOverview>('/api/stats/overview', { pollMs: 30_000 });
  const recent = useApi<ListResponse<Call>>('/api/calls?limit=5', { pollMs: 30_000 });
  const s = stats.data;

  return (
    <>
      <PageHeader title="Overview" description="How your phone agents are doing today and this week." />
      <SetupChecklist />
      {stats.error && !s ? (
        <ErrorState error={stats.error} onRetry={stats.reload} what="call statistics" />
      ) : !s ? (
        <Loading label="Loading statistics…" />
      ) : (
        <>
          <dl className="stats">
            <Stat label="Calls today" value={formatNumber(s.callsToday)} />
            <Stat label="Calls this week" value={formatNumber(s.callsThisWeek)} />
            <Stat label="Answer rate" value={formatPercent(s.answerRate)} />
            <Stat label="Average duration" value={formatDuration(s.avgDurationS)} hint="min:s" />
            <Stat label="Meetings booked" value={formatNumber(s.meetingsBooked)} />
            <Stat
              label="Live calls"
              value={
                s.liveCalls > 0 ? (
                  <Link to="/live">
                    <span className="live-dot" aria-hidden="true" />
                    {formatNumber(s.liveCalls)}
                  </Link>
                ) : (
                  '0'
                )
              }
            />
            <Stat
              label="Response latency"
              value={formatLatency(s.latencyP50Ms)}
              hint={`p50 · p90 ${formatLatency(s.latencyP90Ms)}`}
            />
            <Stat label="Cost" value={formatUsd(s.costUsd)} hint="this week" />
          </dl>
          <section className="card" aria-labelledby="chart-title">
            <h2 id="chart-title">Calls per day</h2>
            {s.callsPerDay.every((d) => d.count === 0) ? (
              <EmptyState title="No calls yet">
                Calls will show up here as soon as your agents take some.
              </EmptyState>
            ) : (
              <BarChart
                caption={`Calls per day, ${s.callsPerDay[0]?.date} to ${s.callsPerDay.at(-1)?.date}`}
                bars={s.callsPerDay.map((d) => {
                  const date = parseIsoDate(d.date.slice(0, 10));
                  return {
                    label: date ? formatDayLabel(date, s.callsPerDay.length <= 7) : d.date,
                    title: d.date,
                    value: d.count,
                  };
                })}
              />
            )}
          </section>
        </>
      )}
      <section className="card" aria-labelledby="recent-title">
        <div className="card__header">
          <h2 id="recent-title">Recent calls</h2>
          <Link to="/calls">All calls</Link>
        </div>
        {recent.error && !recent.data ? (
          <ErrorState error={recent.error} onRetry={recent.reload} what="recent calls" />
        ) : !recent.data ? (
          <Loading />
        ) : recent.data.items.length === 0 ? (
          <EmptyState title="No calls yet">
            Point your Twilio number's voice webhook at this server, or try an agent with "Test in browser"
            under <Link to="/agents">Agents</Link>.
          </EmptyState>
        ) : (
          <CallsTable calls={recent.data.items} compact />
        )}
      </section>
    </>
  );
}
