import type { DoNotCallEntry, ListResponse } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { TextArea, TextField } from '../components/form.tsx';
import {
  ActionError,
  Badge,
  EmptyState,
  ErrorState,
  Loading,
  PageHeader,
  Pagination,
  Table,
} from '../components/page.tsx';
import { formatPhone, formatRelative } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';

const LIMIT = 50;

export default function DoNotCall() {
  const { canEdit, isAdmin } = useAuth();
  const [offset, setOffset] = useState(0);
  const [phone, setPhone] = useState('');
  const [reason, setReason] = useState('');
  const [csv, setCsv] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>(null);
  const {
    data,
    error: loadError,
    reload,
  } = useApi<ListResponse<DoNotCallEntry>>(`/api/do-not-call?limit=${LIMIT}&offset=${offset}`);

  async function run(fn: () => Promise<string>) {
    setError(null);
    setNote('');
    try {
      setNote(await fn());
      reload();
    } catch (err) {
      setError(err);
    }
  }
  const add = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const entry = await api.post<DoNotCallEntry>('/api/do-not-call', { phone, reason });
      setPhone('');
      setReason('');
      return `${formatPhone(entry.phone)} is on the list.`;
    });
  };
  const importCsv = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api.post<{ added: number; existing: number; invalid: unknown[] }>(
        '/api/do-not-call/import',
        { csv },
      );
      setCsv('');
      return `Imported: ${r.added} added, ${r.existing} already listed, ${r.invalid.length} invalid rows.`;
    });
  };

  return (
    <>
      <PageHeader
        title="Do-not-call list"
        description="Numbers no campaign or agent will call or text: added by hand, imported, or opted out (STOP replies, opt-outs during calls)."
      />
      <ActionError error={error} />
      {note ? <p role="status">{note}</p> : null}
      {canEdit ? (
        <form className="filters" onSubmit={add} aria-label="Add a number">
          <TextField label="Phone" type="tel" required value={phone} onChange={setPhone} />
          <TextField label="Reason" value={reason} onChange={setReason} className="filters__grow" />
          <button type="submit" className="btn btn--primary">
            Add
          </button>
        </form>
      ) : null}
      {isAdmin ? (
        <form className="form" onSubmit={importCsv} aria-label="Import CSV">
          <TextArea
            label="Import CSV (a phone column, optional reason)"
            rows={3}
            value={csv}
            onChange={setCsv}
          />
          <div className="form-actions form-actions--start">
            <button type="submit" className="btn" disabled={!csv.trim()}>
              Import
            </button>
          </div>
        </form>
      ) : null}
      <section aria-label="Listed numbers">
        {loadError && !data ? (
          <ErrorState error={loadError} onRetry={reload} what="the do-not-call list" />
        ) : !data ? (
          <Loading />
        ) : data.items.length === 0 ? (
          <EmptyState title="The list is empty" />
        ) : (
          <>
            <Table
              head={
                <>
                  <th scope="col">Phone</th>
                  <th scope="col">Source</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Added</th>
                  {isAdmin ? (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  ) : null}
                </>
              }
            >
              {data.items.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{formatPhone(e.phone)}</td>
                  <td>
                    <Badge value={e.source} />
                  </td>
                  <td>{e.reason || <span className="muted">—</span>}</td>
                  <td className="nowrap">{formatRelative(e.createdAt)}</td>
                  {isAdmin ? (
                    <td className="actions">
                      <button
                        type="button"
                        className="btn btn--small"
                        onClick={() =>
                          run(async () => {
                            await api.del(`/api/do-not-call/${e.id}`);
                            return `${formatPhone(e.phone)} was removed from the list.`;
                          })
                        }
                      >
                        Remove
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </Table>
            <Pagination
              total={data.total}
              limit={LIMIT}
              offset={offset}
              onChange={setOffset}
              label="Do-not-call pages"
            />
          </>
        )}
      </section>
    </>
  );
}
