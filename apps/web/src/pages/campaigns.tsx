import type { Campaign, ListResponse } from '@switchboard/shared';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useAuth } from '../auth.tsx';
import { CampaignForm } from '../components/campaign-form.tsx';
import { Dialog } from '../components/form.tsx';
import { Badge, EmptyState, ErrorState, Loading, PageHeader, Table } from '../components/page.tsx';
import { showToast } from '../components/toast.tsx';
import { formatRelative } from '../lib/format.ts';
import { useApi } from '../lib/use-api.ts';

export default function Campaigns() {
  const { isAdmin } = useAuth();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const { data, error, reload } = useApi<ListResponse<Campaign>>('/api/campaigns?limit=100', {
    pollMs: 5_000,
  });

  return (
    <>
      <PageHeader
        title="Campaigns"
        description="Call a list within each prospect's local hours, with retries and do-not-call checks before every dial."
        actions={
          <>
            <Link className="btn" to="/do-not-call">
              Do-not-call list
            </Link>
            {isAdmin ? (
              <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
                New campaign
              </button>
            ) : null}
          </>
        }
      />
      <section aria-label="Campaign list">
        {error && !data ? (
          <ErrorState error={error} onRetry={reload} what="campaigns" />
        ) : !data ? (
          <Loading label="Loading campaigns…" />
        ) : data.items.length === 0 ? (
          <EmptyState title="No campaigns yet">Create one to call a list of prospects.</EmptyState>
        ) : (
          <Table
            head={
              <>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Calling now</th>
                <th scope="col">Skipped</th>
                <th scope="col">Created</th>
              </>
            }
          >
            {data.items.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                </td>
                <td>
                  <Badge value={c.status} />
                </td>
                <td>
                  <progress max={c.stats.total || 1} value={c.stats.done + c.stats.skipped} />{' '}
                  {c.stats.done + c.stats.skipped} / {c.stats.total}
                </td>
                <td>{c.stats.dialing}</td>
                <td>{c.stats.skipped}</td>
                <td className="nowrap">{formatRelative(c.createdAt)}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      <Dialog open={creating} title="New campaign" onClose={() => setCreating(false)} wide>
        <CampaignForm
          onCancel={() => setCreating(false)}
          onSaved={(c) => {
            setCreating(false);
            showToast('Campaign created');
            navigate(`/campaigns/${c.id}`);
          }}
        />
      </Dialog>
    </>
  );
}
