import { type Call, isNotPlaced } from '@switchboard/shared';
import { Link } from 'react-router';
import { agentName, useAgents } from '../lib/agents.ts';
import { formatDateTime, formatDuration, formatPhone, humanize } from '../lib/format.ts';
import { endReasonText, outcomeLabel } from '../lib/outcome.ts';
import { Badge, Table } from './page.tsx';

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The caller-side number: who we called, or who called us. */
export function counterpart(
  call: Pick<Call, 'direction' | 'from' | 'to'> & { channel?: Call['channel'] },
): string {
  // The dashboard's own tests (microphone test call, text test chat) come from `browser`.
  if (call.direction === 'web' && call.from === 'browser') return 'Browser test';
  if (call.channel === 'web_chat' || call.channel === 'web_voice') return 'Website visitor';
  if (call.direction === 'web') return 'Browser test';
  return formatPhone(call.direction === 'outbound' ? call.to : call.from);
}

export const CHANNEL_LABELS: Record<string, string> = {
  phone: 'Phone',
  web_voice: 'Website voice',
  web_chat: 'Website chat',
};

export function CallsTable({ calls, compact }: { calls: readonly Call[]; compact?: boolean }) {
  const { agents } = useAgents();
  return (
    <Table
      head={
        <>
          <th scope="col">When</th>
          <th scope="col" className="col--optional">
            Direction
          </th>
          <th scope="col" className="col--optional">
            Channel
          </th>
          <th scope="col">Number</th>
          {compact ? null : (
            <th scope="col" className="col--optional">
              Agent
            </th>
          )}
          <th scope="col">Status</th>
          <th scope="col" className="num">
            Duration
          </th>
          {compact ? null : <th scope="col">Outcome</th>}
          {compact ? null : <th scope="col">Summary</th>}
        </>
      }
    >
      {calls.map((c) => (
        <tr key={c.id}>
          <td>
            <Link to={`/calls/${c.id}`}>{formatDateTime(c.startedAt ?? c.createdAt)}</Link>
          </td>
          <td className="col--optional">{humanize(c.direction)}</td>
          <td className="col--optional">{CHANNEL_LABELS[c.channel] ?? c.channel}</td>
          <td className="nowrap">
            {c.prospectId ? <Link to={`/prospects/${c.prospectId}`}>{counterpart(c)}</Link> : counterpart(c)}
          </td>
          {compact ? null : <td className="col--optional">{agentName(agents, c.agentId)}</td>}
          <td>
            {isNotPlaced(c) ? (
              <span title={c.error ?? undefined}>
                <Badge value="not_placed" label="Not placed" />
              </span>
            ) : (
              <Badge value={c.status} />
            )}
          </td>
          <td className="num" data-label="Duration">
            {formatDuration(c.durationS)}
          </td>
          {compact ? null : (
            <td data-label="Outcome">
              {outcomeLabel(c.disposition)}
              {endReasonText(c.endReason) ? (
                <div className="muted small">Ended because {endReasonText(c.endReason)}</div>
              ) : null}
            </td>
          )}
          {compact ? null : (
            <td className="calls-table__summary" title={c.summary ?? undefined}>
              {c.summary ? truncate(c.summary, 90) : c.analysisStatus === 'pending' ? 'Analysing…' : '—'}
            </td>
          )}
        </tr>
      ))}
    </Table>
  );
}
