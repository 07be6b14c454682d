/** A webhook's delivery log: newest deliveries, each with every attempt; refreshed every 3 s. */
import type { ListResponse, WebhookDelivery } from '@switchboard/shared';
import { Badge, EmptyState, ErrorState, Loading, Table } from '../../components/page.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useApi } from '../../lib/use-api.ts';

const STATUS_BADGE = { pending: 'queued', delivered: 'completed', failed: 'failed' } as const;

export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const { data, error, reload } = useApi<ListResponse<WebhookDelivery>>(
    `/api/webhooks/${webhookId}/deliveries?limit=50`,
    { pollMs: 3_000 },
  );
  if (error && !data) return <ErrorState error={error} onRetry={reload} what="deliveries" />;
  if (!data) return <Loading label="Loading deliveries…" />;
  if (data.items.length === 0) {
    return <EmptyState title="No deliveries yet">Send a test event, or wait for the next call.</EmptyState>;
  }
  return (
    <Table
      dense
      head={
        <>
          <th scope="col">When</th>
          <th scope="col">Event</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Attempts
          </th>
          <th scope="col">Attempt log</th>
        </>
      }
    >
      {data.items.map((d) => (
        <tr key={d.id}>
          <td className="nowrap">{formatDateTime(d.createdAt)}</td>
          <td className="mono">{d.event}</td>
          <td>
            <Badge value={STATUS_BADGE[d.status]} label={d.status} />
          </td>
          <td className="num">{d.attempts}</td>
          <td>
            <ol className="attempt-log">
              {d.attemptLog.map((a) => (
                <li key={a.attempt}>
                  #{a.attempt} {formatDateTime(a.at)} · {a.responseStatus ?? 'no answer'} · {a.durationMs} ms
                  {a.error ? <span className="muted"> — {a.error}</span> : null}
                </li>
              ))}
            </ol>
          </td>
        </tr>
      ))}
    </Table>
  );
}
