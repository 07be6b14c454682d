import {
  CALL_CHANNELS,
  CALL_DIRECTIONS,
  CALL_DISPOSITIONS,
  CALL_STATUSES,
  type Call,
  type ListResponse,
} from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { withQuery } from '../api.ts';
import { CallsTable, CHANNEL_LABELS } from '../components/calls-table.tsx';
import { SelectField, TextField } from '../components/form.tsx';
import { EmptyState, ErrorState, Loading, PageHeader, Pagination } from '../components/page.tsx';
import { useAgents } from '../lib/agents.ts';
import { addDays, humanize, parseIsoDate } from '../lib/format.ts';
import { outcomeLabel } from '../lib/outcome.ts';
import { useApi } from '../lib/use-api.ts';

const LIMIT = 25;

export default function Calls() {
  const [params, setParams] = useSearchParams();
  const { agents } = useAgents();
  const direction = params.get('direction') ?? '';
  const channel = params.get('channel') ?? '';
  const status = params.get('status') ?? '';
  const agentId = params.get('agentId') ?? '';
  const disposition = params.get('disposition') ?? '';
  const fromDate = params.get('from') ?? '';
  const toDate = params.get('to') ?? '';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);

  const from = parseIsoDate(fromDate);
  const to = parseIsoDate(toDate);
  const path = withQuery('/api/calls', {
    direction,
    channel,
    status,
    agentId,
    disposition,
    q,
    from: from?.toISOString(),
    // The "to" date is inclusive: ask for everything before the next midnight.
    to: to ? addDays(to, 1).toISOString() : undefined,
    limit: LIMIT,
    offset,
  });
  const { data, error, loading, reload } = useApi<ListResponse<Call>>(path);

  function update(key: string, value: string) {
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== 'offset') next.delete('offset');
        return next;
      },
      { replace: key !== 'offset' },
    );
  }
  const filtered = !!(direction || channel || status || agentId || disposition || fromDate || toDate || q);
  // Search as the user types, once they pause.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `update` is recreated every render
  useEffect(() => {
    const timer = setTimeout(() => {
      if (search.trim() !== q) update('q', search.trim());
    }, 350);
    return () => clearTimeout(timer);
  }, [search, q]);

  return (
    <>
      <PageHeader
        title="Calls"
        description="Every inbound, outbound, browser test and website conversation, newest first."
      />
      <form className="filters" aria-label="Filter calls" onSubmit={(e) => e.preventDefault()}>
        <TextField
          label="Search transcripts"
          type="search"
          value={search}
          onChange={setSearch}
          placeholder="e.g. root canal"
          maxLength={200}
          className="filters__search"
        />
        <SelectField
          label="Direction"
          value={direction}
          onChange={(v) => update('direction', v)}
          options={[
            { value: '', label: 'Any direction' },
            ...CALL_DIRECTIONS.map((d) => ({ value: d, label: humanize(d) })),
          ]}
        />
        <SelectField
          label="Channel"
          value={channel}
          onChange={(v) => update('channel', v)}
          options={[
            { value: '', label: 'Any channel' },
            ...CALL_CHANNELS.map((c) => ({ value: c, label: CHANNEL_LABELS[c] ?? c })),
          ]}
        />
        <SelectField
          label="Status"
          value={status}
          onChange={(v) => update('status', v)}
          options={[
            { value: '', label: 'Any status' },
            ...CALL_STATUSES.map((s) => ({ value: s, label: humanize(s) })),
          ]}
        />
        <SelectField
          label="Agent"
          value={agentId}
          onChange={(v) => update('agentId', v)}
          options={[
            { value: '', label: 'Any agent' },
            ...agents.map((a) => ({ value: a.id, label: a.name })),
          ]}
        />
        <SelectField
          label="Outcome"
          value={disposition}
          onChange={(v) => update('disposition', v)}
          options={[
            { value: '', label: 'Any outcome' },
            ...CALL_DISPOSITIONS.map((d) => ({ value: d, label: outcomeLabel(d) })),
          ]}
        />
        <TextField label="From" type="date" value={fromDate} onChange={(v) => update('from', v)} />
        <TextField
          label="To"
          type="date"
          value={toDate}
          min={fromDate || undefined}
          onChange={(v) => update('to', v)}
        />
        {filtered ? (
          <button
            type="button"
            className="btn btn--ghost filters__clear"
            onClick={() => setParams(new URLSearchParams())}
          >
            Clear filters
          </button>
        ) : null}
      </form>
      <section aria-label="Call list" aria-busy={loading}>
        {error && !data ? (
          <ErrorState error={error} onRetry={reload} what="calls" />
        ) : !data ? (
          <Loading label="Loading calls…" />
        ) : data.items.length === 0 ? (
          <EmptyState title={filtered ? 'No calls match these filters' : 'No calls yet'}>
            {filtered
              ? 'Try a wider date range or clear the filters.'
              : 'Calls appear here as soon as they start.'}
          </EmptyState>
        ) : (
          <>
            <CallsTable calls={data.items} />
            <Pagination
              total={data.total}
              limit={data.limit || LIMIT}
              offset={data.offset}
              onChange={(o) => update('offset', String(o))}
              label="Call list pages"
            />
          </>
        )}
      </section>
    </>
  );
}
