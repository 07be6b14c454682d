import type { Appointment, Call, ListResponse, Message, Prospect } from '@switchboard/shared';
import { type ReactNode, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api, itemsOf } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { NewAppointmentDialog } from '../components/appointment-dialogs.tsx';
import { CallNowButton } from '../components/call-now.tsx';
import { DangerZone } from '../components/danger-zone.tsx';
import { Dialog } from '../components/form.tsx';
import { MessageComposer } from '../components/message-composer.tsx';
import { ActionError, Badge, EmptyState, ErrorState, Loading, PageHeader } from '../components/page.tsx';
import { PrivacyActions } from '../components/privacy-actions.tsx';
import { ProspectForm } from '../components/prospect-form.tsx';
import { showToast } from '../components/toast.tsx';
import { formatDateTime, formatDuration, formatPhone, humanize } from '../lib/format.ts';
import { endReasonText, outcomeLabel } from '../lib/outcome.ts';
import { useApi } from '../lib/use-api.ts';

type Entry =
  | { kind: 'call'; at: string; call: Call }
  | { kind: 'appointment'; at: string; appointment: Appointment }
  | { kind: 'message'; at: string; message: Message };

/** One entry of the activity list: an icon for its kind beside what happened. */
function ActivityItem({ kind, icon, children }: { kind: Entry['kind']; icon: string; children: ReactNode }) {
  return (
    <li className={`activity activity--${kind}`}>
      <span className="activity__icon" aria-hidden="true">
        {icon}
      </span>
      <div>{children}</div>
    </li>
  );
}

function TimelineEntry({ entry }: { entry: Entry }) {
  if (entry.kind === 'call') {
    const c = entry.call;
    return (
      <ActivityItem kind="call" icon="☎">
        <p>
          <Link to={`/calls/${c.id}`}>
            {humanize(c.direction)} call · {formatDuration(c.durationS)}
          </Link>{' '}
          <Badge value={c.status} />{' '}
          {c.disposition ? (
            <Badge value={c.disposition} label={`Outcome: ${outcomeLabel(c.disposition)}`} />
          ) : null}
        </p>
        {endReasonText(c.endReason) ? (
          <p className="muted small">Ended because {endReasonText(c.endReason)}</p>
        ) : null}
        {c.summary ? <p className="muted">{c.summary}</p> : null}
        <time className="muted small">{formatDateTime(entry.at)}</time>
      </ActivityItem>
    );
  }
  if (entry.kind === 'appointment') {
    const a = entry.appointment;
    return (
      <ActivityItem kind="appointment" icon="◷">
        <p>
          <strong>{a.title}</strong> <Badge value={a.status} />
        </p>
        <p className="muted">
          Meeting {formatDateTime(a.start, a.timezone)} ({a.timezone})
        </p>
        <time className="muted small">Booked {formatDateTime(a.createdAt)}</time>
      </ActivityItem>
    );
  }
  const m = entry.message;
  return (
    <ActivityItem kind="message" icon="✉">
      <p>
        {m.direction === 'outbound' ? 'SMS sent' : 'SMS received'} <Badge value={m.status} />
      </p>
      <blockquote className="sms">{m.body}</blockquote>
      <time className="muted small">{formatDateTime(entry.at)}</time>
    </ActivityItem>
  );
}

function Activity({ prospectId }: { prospectId: string }) {
  const calls = useApi<ListResponse<Call>>(`/api/calls?prospectId=${prospectId}&limit=100`, {
    pollMs: 15_000,
  });
  const appts = useApi<ListResponse<Appointment>>(`/api/appointments?prospectId=${prospectId}&limit=100`);
  // Polled like calls, so a reply texted in shows up without a reload.
  const messages = useApi<ListResponse<Message>>(`/api/messages?prospectId=${prospectId}&limit=100`, {
    pollMs: 15_000,
  });
  if (calls.error && !calls.data)
    return <ErrorState error={calls.error} onRetry={calls.reload} what="activity" />;
  if (!calls.data) return <Loading label="Loading activity…" />;
  const entries: Entry[] = [
    ...calls.data.items.map((call) => ({
      kind: 'call' as const,
      at: call.startedAt ?? call.createdAt,
      call,
    })),
    ...itemsOf(appts.data).map((appointment) => ({
      kind: 'appointment' as const,
      at: appointment.createdAt,
      appointment,
    })),
    ...itemsOf(messages.data).map((message) => ({
      kind: 'message' as const,
      at: message.createdAt,
      message,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return (
    <>
      {entries.length === 0 ? (
        <EmptyState title="No activity yet">
          Calls, messages and appointments with this prospect show up here.
        </EmptyState>
      ) : (
        <ol className="activity-list">
          {entries.map((e) => (
            <TimelineEntry
              key={`${e.kind}-${e.kind === 'call' ? e.call.id : e.kind === 'appointment' ? e.appointment.id : e.message.id}`}
              entry={e}
            />
          ))}
        </ol>
      )}
      {appts.error ? <ActionError error={appts.error} /> : null}
      {messages.error ? <ActionError error={messages.error} /> : null}
    </>
  );
}

export default function ProspectDetail() {
  const { id } = useParams();
  const { canEdit, isAdmin } = useAuth();
  const [booking, setBooking] = useState(false);
  const navigate = useNavigate();
  const { data: p, error, reload, setData } = useApi<Prospect>(id ? `/api/prospects/${id}` : null);
  const [editing, setEditing] = useState(false);
  // Bumped when a call is placed from this page so the activity list shows it at once.
  const [activityKey, setActivityKey] = useState(0);

  if (error && !p) {
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <>
        <PageHeader title="Prospect" back={<Link to="/prospects">← Prospects</Link>} />
        {notFound ? (
          <EmptyState title="Prospect not found">It may have been deleted.</EmptyState>
        ) : (
          <ErrorState error={error} onRetry={reload} what="this prospect" />
        )}
      </>
    );
  }
  if (!p || !id) return <Loading label="Loading prospect…" />;

  async function remove() {
    await api.del(`/api/prospects/${id}`);
    navigate('/prospects', { replace: true });
  }

  const facts: [string, ReactNode][] = [
    ['Phone', formatPhone(p.phone)],
    [
      'Email',
      p.email ? (
        <a key="email" href={`mailto:${p.email}`}>
          {p.email}
        </a>
      ) : (
        '—'
      ),
    ],
    ['Time zone', p.timezone ?? '—'],
    ['Source', p.source],
    ['Added', formatDateTime(p.createdAt)],
    ['Updated', formatDateTime(p.updatedAt)],
  ];
  return (
    <>
      <PageHeader
        title={p.company || p.contact || formatPhone(p.phone)}
        back={<Link to="/prospects">← Prospects</Link>}
        description={
          <>
            {p.company && p.contact ? `${p.contact} · ` : ''}
            <Badge value={p.status} />
          </>
        }
        actions={
          canEdit ? (
            <>
              <button type="button" className="btn" onClick={() => setEditing(true)}>
                Edit
              </button>
              <button type="button" className="btn" onClick={() => setBooking(true)}>
                Book appointment
              </button>
              <CallNowButton
                prospect={p}
                className="btn btn--primary"
                onPlaced={() => setActivityKey((k) => k + 1)}
              />
            </>
          ) : null
        }
      />
      <div className="grid grid--detail grid--detail-reverse">
        <section className="card" aria-labelledby="activity-title">
          <h2 id="activity-title">Activity</h2>
          {canEdit ? <MessageComposer prospectId={id} onSent={() => setActivityKey((k) => k + 1)} /> : null}
          <Activity key={activityKey} prospectId={id} />
        </section>
        <section className="card" aria-labelledby="about-title">
          <h2 id="about-title">Details</h2>
          <dl className="facts">
            {facts.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          <h3>Notes</h3>
          {p.notes ? <p className="notes">{p.notes}</p> : <p className="muted">No notes.</p>}
          {isAdmin ? (
            <PrivacyActions
              prospect={p}
              onErased={() => navigate('/prospects?erased=1', { replace: true })}
            />
          ) : null}
        </section>
      </div>
      {canEdit ? (
        <DangerZone
          what="Deleting the prospect removes them from your list and from campaigns. Their call records stay in the call log."
          buttonLabel="Delete prospect…"
          title="Delete this prospect?"
          confirmLabel="Delete prospect"
          onConfirm={remove}
        >
          <p>
            {p.company || p.contact || formatPhone(p.phone)} is removed. Their call records stay in the call
            log.
          </p>
        </DangerZone>
      ) : null}
      <Dialog open={editing} title="Edit prospect" onClose={() => setEditing(false)} wide>
        <ProspectForm
          prospect={p}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setData(saved);
            setEditing(false);
            showToast('Prospect saved');
          }}
        />
      </Dialog>
      {booking ? (
        <NewAppointmentDialog
          start={null}
          prospectId={id}
          onClose={() => setBooking(false)}
          onBooked={() => {
            setBooking(false);
            setActivityKey((k) => k + 1);
          }}
        />
      ) : null}
    </>
  );
}
