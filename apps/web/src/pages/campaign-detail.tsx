import type {
  Campaign,
  CampaignPreview,
  CampaignProspect,
  LedgerEntry,
  ListResponse,
} from '@switchboard/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { DangerZone } from '../components/danger-zone.tsx';
import { ActionError, Badge, ErrorState, Loading, PageHeader, Stat, Table } from '../components/page.tsx';
import { downloadCampaignCsv } from '../lib/campaign-export.ts';
import { formatDateTime, formatPhone, humanize } from '../lib/format.ts';
import { type LiveMessage, useLiveEvents } from '../lib/live.ts';
import { outcomeLabel } from '../lib/outcome.ts';
import { useApi } from '../lib/use-api.ts';

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const ACTIONS: Record<Campaign['status'], ('start' | 'pause' | 'resume' | 'stop')[]> = {
  draft: ['start', 'stop'],
  running: ['pause', 'stop'],
  paused: ['resume', 'stop'],
  completed: [],
  stopped: [],
};

export default function CampaignDetail() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { canEdit, isAdmin } = useAuth();
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Live: a call of this campaign changed (SSE) → refresh shortly after, once the dialer applied it.
  const refresh = useRef<() => void>(() => {});
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onMessage = useCallback(
    (m: LiveMessage) => {
      if (m.name !== 'call.updated' || m.payload.campaignId !== id) return;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => refresh.current(), 1_500);
    },
    [id],
  );
  useEffect(() => () => clearTimeout(timer.current), []);
  const liveState = useLiveEvents(onMessage);
  const pollMs = liveState === 'open' ? 10_000 : 2_000;
  const campaign = useApi<Campaign>(`/api/campaigns/${id}`, { pollMs });
  const prospects = useApi<ListResponse<CampaignProspect>>(`/api/campaigns/${id}/prospects?limit=100`, {
    pollMs,
  });
  refresh.current = () => {
    campaign.reload();
    prospects.reload();
  };
  const ledger = useApi<ListResponse<LedgerEntry>>(`/api/campaigns/${id}/ledger?limit=50`, { pollMs: 5_000 });
  const preview = useApi<CampaignPreview>(`/api/campaigns/${id}/preview`, { pollMs: 30_000 });
  const c = campaign.data;

  async function act(action: string) {
    setBusy(true);
    setActionError(null);
    try {
      campaign.setData(await api.post<Campaign>(`/api/campaigns/${id}/${action}`));
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
    }
  }

  if (campaign.error && !c)
    return <ErrorState error={campaign.error} onRetry={campaign.reload} what="campaign" />;
  if (!c) return <Loading label="Loading campaign…" />;
  const s = c.stats;
  return (
    <>
      <PageHeader
        title={c.name}
        description={
          <>
            <Badge value={c.status} /> {c.schedule.days.map((d) => DAY_NAMES[d]).join(', ')}{' '}
            {c.schedule.start}–{c.schedule.end} in each prospect's time zone (default {c.defaultTimezone}) ·{' '}
            {c.maxConcurrent} at once · {c.callsPerMinute}/min · {c.retry.maxAttempts} attempts
            {c.dailyCap ? ` · at most ${c.dailyCap} a day` : ''}
          </>
        }
        actions={
          <>
            <Link className="btn" to="/campaigns">
              All campaigns
            </Link>
            <button
              type="button"
              className="btn"
              onClick={() => downloadCampaignCsv(c.id, c.name).catch(setActionError)}
            >
              Export CSV
            </button>
            {canEdit
              ? ACTIONS[c.status].map((a) => (
                  <button
                    key={a}
                    type="button"
                    className={`btn${a === 'start' || a === 'resume' ? ' btn--primary' : ''}`}
                    disabled={busy}
                    onClick={() => act(a)}
                  >
                    {humanize(a)}
                  </button>
                ))
              : null}
          </>
        }
      />
      <ActionError error={actionError} />
      {c.pausedReason ? (
        <p className="alert alert--error" role="alert">
          {c.pausedReason}
        </p>
      ) : null}
      <dl className="stats" aria-label="Progress">
        <Stat label="Prospects" value={s.total} />
        <Stat label="Waiting" value={s.pending + s.scheduled} hint={`${s.scheduled} scheduled`} />
        <Stat label="Calling now" value={s.dialing} />
        <Stat label="Done" value={s.done} />
        <Stat label="Skipped" value={s.skipped} />
      </dl>
      {preview.data && (c.status === 'draft' || c.status === 'paused' || c.status === 'running') ? (
        <p role="status">
          Who can be called now: <strong>{preview.data.callableNow}</strong> of {preview.data.waiting} waiting
          {preview.data.outsideWindow ? ` · ${preview.data.outsideWindow} outside their local hours` : ''}
          {preview.data.nextWindowAt ? ` (next opens ${formatDateTime(preview.data.nextWindowAt)})` : ''}
          {preview.data.blocked ? ` · ${preview.data.blocked} blocked (do-not-call or out of attempts)` : ''}
        </p>
      ) : null}
      {Object.keys(s.byDisposition).length ? (
        <p>
          Outcomes:{' '}
          {Object.entries(s.byDisposition)
            .map(([k, n]) => `${outcomeLabel(k)} ${n}`)
            .join(' · ')}
        </p>
      ) : null}
      <section className="card" aria-labelledby="audience-title">
        <div className="card__header">
          <h2 id="audience-title">Prospects</h2>
        </div>
        {prospects.data ? (
          <Table
            dense
            head={
              <>
                <th scope="col">Prospect</th>
                <th scope="col">Phone</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Next attempt</th>
                <th scope="col">Last outcome</th>
              </>
            }
          >
            {prospects.data.items.map((p) => (
              <tr key={p.prospectId}>
                <td>
                  <Link to={`/prospects/${p.prospectId}`}>
                    {p.contact || p.company || formatPhone(p.phone)}
                  </Link>
                </td>
                <td className="nowrap">{formatPhone(p.phone)}</td>
                <td>
                  <Badge value={p.state} />
                  {p.skipReason ? <span className="muted small"> {humanize(p.skipReason)}</span> : null}
                </td>
                <td>{p.attempts}</td>
                <td className="nowrap">{p.nextAttemptAt ? formatDateTime(p.nextAttemptAt) : '—'}</td>
                <td>
                  {p.lastCallId ? (
                    <Link to={`/calls/${p.lastCallId}`}>
                      {p.lastDisposition
                        ? outcomeLabel(p.lastDisposition)
                        : p.state === 'dialing'
                          ? 'In progress'
                          : 'Call'}
                    </Link>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </Table>
        ) : (
          <Loading />
        )}
      </section>
      <section className="card" aria-labelledby="ledger-title">
        <div className="card__header">
          <h2 id="ledger-title">Compliance ledger</h2>
        </div>
        {ledger.data && ledger.data.items.length === 0 ? <p className="muted">No decisions yet.</p> : null}
        {ledger.data?.items.length ? (
          <Table
            dense
            head={
              <>
                <th scope="col">When</th>
                <th scope="col">Phone</th>
                <th scope="col">Decision</th>
                <th scope="col">Rule</th>
                <th scope="col">Local time at the prospect</th>
              </>
            }
          >
            {ledger.data.items.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">{formatDateTime(e.at)}</td>
                <td className="nowrap">{formatPhone(e.phone)}</td>
                <td>
                  <Badge value={e.decision} />
                </td>
                <td>{humanize(e.rule)}</td>
                <td className="nowrap">
                  {e.localTime.slice(0, 16).replace('T', ' ')} ({e.localTime.slice(19)})
                </td>
              </tr>
            ))}
          </Table>
        ) : null}
      </section>
      {isAdmin ? (
        <DangerZone
          what="Deleting the campaign removes its schedule and progress. The calls it placed stay in the call log."
          disabledReason={c.status === 'running' ? 'Pause or stop the campaign before deleting it.' : null}
          buttonLabel="Delete campaign…"
          title={`Delete ${c.name}?`}
          confirmLabel="Delete campaign"
          onConfirm={async () => {
            await api.del(`/api/campaigns/${id}`);
            navigate('/campaigns');
          }}
        >
          <p>The campaign and its progress are removed. The calls it placed stay in the call log.</p>
        </DangerZone>
      ) : null}
    </>
  );
}
