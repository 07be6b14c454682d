import type { ApiKey, AuditEntry, ListResponse, User } from '@switchboard/shared';
import { useState } from 'react';
import { itemsOf, withQuery } from '../../api.ts';
import { SelectField, TextField } from '../../components/form.tsx';
import { EmptyState, ErrorState, Loading, Pagination, Table } from '../../components/page.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';

const LIMIT = 50;
const ACTIONS = [
  'auth.',
  'organization.update',
  'prospect.',
  'appointment.',
  'message.send',
  'privacy.export',
  'privacy.erase',
  'do_not_call.',
  'retention.enforce',
  'agent.',
  'user.',
  'api_key.',
  'integration.',
];

/** A local date (YYYY-MM-DD) as the ISO instant its day starts or ends at, in this browser's zone. */
const dayBound = (date: string, end: boolean) =>
  date ? new Date(`${date}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString() : '';

function Details({ entry }: { entry: AuditEntry }) {
  const pairs = Object.entries(entry.details);
  if (pairs.length === 0) return <span className="muted">—</span>;
  return (
    <span className="small">
      {pairs.map(([k, v]) => (
        <span key={k} className="audit__detail">
          {k}: {typeof v === 'object' ? JSON.stringify(v) : String(v)}
        </span>
      ))}
    </span>
  );
}

export function AuditLog() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const users = itemsOf(useApi<ListResponse<User> | User[]>('/api/users?limit=200').data);
  const keys = itemsOf(useApi<ListResponse<ApiKey> | ApiKey[]>('/api/api-keys?limit=200').data);
  const cleanAction = /^[a-z_]+(\.[a-z_]*)?$/.test(action.trim()) ? action.trim() : '';
  const path = withQuery('/api/audit', {
    actor,
    action: cleanAction,
    from: dayBound(from, false),
    to: dayBound(to, true),
    limit: LIMIT,
    offset,
  });
  const { data, error, loading, reload } = useApi<ListResponse<AuditEntry>>(path);
  const filter = (setter: (v: string) => void) => (v: string) => {
    setter(v);
    setOffset(0);
  };

  return (
    <section className="card" aria-labelledby="audit-title" aria-busy={loading}>
      <h2 id="audit-title">Audit log</h2>
      <p className="muted small">
        Every sign-in and every change, who made it and from where. Entries hold no customer data.
      </p>
      <div className="toolbar">
        <SelectField
          label="Who"
          value={actor}
          onChange={filter(setActor)}
          options={[
            { value: '', label: 'Anyone' },
            ...users.map((u) => ({ value: u.id, label: u.email })),
            ...keys.map((k) => ({ value: k.id, label: `API key: ${k.name}` })),
          ]}
        />
        <TextField
          label="Action"
          value={action}
          onChange={filter(setAction)}
          list="audit-actions"
          placeholder="e.g. appointment."
          error={
            action.trim() && !cleanAction
              ? 'An action such as prospect.create, or a prefix such as prospect.'
              : undefined
          }
        />
        <TextField label="From" type="date" value={from} onChange={filter(setFrom)} />
        <TextField label="To" type="date" value={to} onChange={filter(setTo)} />
        <datalist id="audit-actions">
          {ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </div>
      {error && !data ? (
        <ErrorState error={error} onRetry={reload} what="the audit log" />
      ) : !data ? (
        <Loading label="Loading the audit log…" />
      ) : data.items.length === 0 ? (
        <EmptyState title="No entries">Nothing matches these filters.</EmptyState>
      ) : (
        <>
          <Table
            dense
            head={
              <>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Record</th>
                <th scope="col">Details</th>
                <th scope="col">IP</th>
              </>
            }
          >
            {data.items.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">{formatDateTime(e.createdAt)}</td>
                <td>
                  {e.actor.type === 'system'
                    ? 'System'
                    : (e.actor.label ?? `Deleted ${e.actor.type === 'user' ? 'user' : 'key'}`)}
                  {e.actor.type === 'api_key' ? <span className="muted small"> (API key)</span> : null}
                </td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td className="small">
                  {e.targetType ? `${e.targetType} ${e.targetId?.slice(0, 8) ?? ''}` : '—'}
                </td>
                <td>
                  <Details entry={e} />
                </td>
                <td className="small nowrap">{e.ip ?? '—'}</td>
              </tr>
            ))}
          </Table>
          <Pagination
            total={data.total}
            limit={LIMIT}
            offset={offset}
            onChange={setOffset}
            label="Audit log pages"
          />
        </>
      )}
    </section>
  );
}
