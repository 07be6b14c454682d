import { type ListResponse, PROSPECT_SORTS, PROSPECT_STATUSES, type Prospect } from '@switchboard/shared';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { withQuery } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { CallNowButton } from '../components/call-now.tsx';
import { Dialog, SelectField, TextField } from '../components/form.tsx';
import {
  ActionsHeader,
  Badge,
  EmptyState,
  ErrorState,
  Loading,
  PageHeader,
  Pagination,
  Table,
} from '../components/page.tsx';
import { ProspectForm } from '../components/prospect-form.tsx';
import { showToast } from '../components/toast.tsx';
import { formatPhone, formatRelative, humanize } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';

const LIMIT = 25;
type Sort = (typeof PROSPECT_SORTS)[number];
const SORT_LABELS: Record<Sort, string> = {
  createdAt: 'Date added',
  updatedAt: 'Last updated',
  company: 'Company',
  contact: 'Contact',
  status: 'Status',
};

function SortHeader({
  field,
  sort,
  order,
  onSort,
}: {
  field: Sort;
  sort: Sort;
  order: 'asc' | 'desc';
  onSort: (f: Sort) => void;
}) {
  const active = sort === field;
  return (
    <th scope="col" aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sort-button" onClick={() => onSort(field)}>
        {SORT_LABELS[field]}
        <span aria-hidden="true" className="sort-button__arrow">
          {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

export default function Prospects() {
  const { canEdit } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  const sort = (PROSPECT_SORTS as readonly string[]).includes(params.get('sort') ?? '')
    ? (params.get('sort') as Sort)
    : 'createdAt';
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const [search, setSearch] = useState(q);
  const [creating, setCreating] = useState(false);

  const path = withQuery('/api/prospects', { q, status, sort, order, limit: LIMIT, offset });
  const { data, error, loading, reload } = useApi<ListResponse<Prospect>>(path);

  function update(changes: Record<string, string>) {
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        if (!('offset' in changes)) next.delete('offset');
        return next;
      },
      { replace: true },
    );
  }

  // Search as you type, without a request per keystroke.
  const updateRef = useRef(update);
  updateRef.current = update;
  useEffect(() => {
    if (search.trim() === q) return;
    const t = setTimeout(() => updateRef.current({ q: search.trim() }), 300);
    return () => clearTimeout(t);
  }, [search, q]);

  function onSort(field: Sort) {
    const dated = field === 'createdAt' || field === 'updatedAt';
    const nextOrder = sort === field ? (order === 'desc' ? 'asc' : 'desc') : dated ? 'desc' : 'asc';
    update({ sort: field, order: nextOrder });
  }
  const filtered = !!(q || status);

  return (
    <>
      <PageHeader
        title="Prospects"
        description={
          params.get('erased') ? (
            <span role="status">The person was erased: their data is gone from this organization.</span>
          ) : (
            'People and companies your agents call, and what came of it.'
          )
        }
        actions={
          canEdit ? (
            <>
              <Link className="btn" to="/prospects/import">
                Import CSV
              </Link>
              <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
                New prospect
              </button>
            </>
          ) : null
        }
      />
      <search>
        <form className="filters" aria-label="Filter prospects" onSubmit={(e) => e.preventDefault()}>
          <TextField
            label="Search"
            type="search"
            placeholder="Company, contact, phone or email"
            value={search}
            onChange={setSearch}
            className="filters__grow"
          />
          <SelectField
            label="Status"
            value={status}
            onChange={(v) => update({ status: v })}
            options={[
              { value: '', label: 'Any status' },
              ...PROSPECT_STATUSES.map((s) => ({ value: s, label: humanize(s) })),
            ]}
          />
          <SelectField
            label="Sort by"
            value={`${sort}:${order}`}
            onChange={(v) => {
              const [s, o] = v.split(':');
              update({ sort: s ?? 'createdAt', order: o ?? 'desc' });
            }}
            options={PROSPECT_SORTS.flatMap((s) => [
              { value: `${s}:desc`, label: `${SORT_LABELS[s]} ↓` },
              { value: `${s}:asc`, label: `${SORT_LABELS[s]} ↑` },
            ])}
          />
        </form>
      </search>
      <section aria-label="Prospect list" aria-busy={loading}>
        {error && !data ? (
          <ErrorState error={error} onRetry={reload} what="prospects" />
        ) : !data ? (
          <Loading label="Loading prospects…" />
        ) : data.items.length === 0 ? (
          <EmptyState title={filtered ? 'No prospects match' : 'No prospects yet'}>
            {filtered ? (
              'Try another search or status.'
            ) : canEdit ? (
              <>
                Add one with <strong>New prospect</strong>, or{' '}
                <Link to="/prospects/import">import a CSV</Link>.
              </>
            ) : (
              'Prospects appear here when your team adds them.'
            )}
          </EmptyState>
        ) : (
          <>
            <Table
              head={
                <>
                  <SortHeader field="company" sort={sort} order={order} onSort={onSort} />
                  <SortHeader field="contact" sort={sort} order={order} onSort={onSort} />
                  <th scope="col">Phone</th>
                  <SortHeader field="status" sort={sort} order={order} onSort={onSort} />
                  <th scope="col">Source</th>
                  <SortHeader field="updatedAt" sort={sort} order={order} onSort={onSort} />
                  {canEdit ? <ActionsHeader /> : null}
                </>
              }
            >
              {data.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/prospects/${p.id}`}>{p.company || p.contact || formatPhone(p.phone)}</Link>
                  </td>
                  <td>{p.contact || <span className="muted">—</span>}</td>
                  <td className="nowrap">{formatPhone(p.phone)}</td>
                  <td>
                    <Badge value={p.status} />
                  </td>
                  <td data-label="Source">{p.source}</td>
                  <td className="nowrap">{formatRelative(p.updatedAt)}</td>
                  {canEdit ? (
                    <td className="actions">
                      <CallNowButton prospect={p} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </Table>
            <Pagination
              total={data.total}
              limit={data.limit || LIMIT}
              offset={data.offset}
              onChange={(o) => update({ offset: String(o) })}
              label="Prospect list pages"
            />
          </>
        )}
      </section>
      <Dialog open={creating} title="New prospect" onClose={() => setCreating(false)} wide>
        <ProspectForm
          onCancel={() => setCreating(false)}
          onSaved={(p) => {
            setCreating(false);
            showToast('Prospect created');
            navigate(`/prospects/${p.id}`);
          }}
        />
      </Dialog>
    </>
  );
}
