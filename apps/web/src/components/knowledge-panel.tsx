/**
 * The agent studio's Knowledge tab: upload documents (with upload progress, then processing
 * progress), the list with status and passage counts, and a search box that shows what the
 * agent would retrieve during a call.
 */
import {
  KNOWLEDGE_MAX_UPLOAD_BYTES,
  KNOWLEDGE_MIME_TYPES,
  type KnowledgeDocument,
  type KnowledgeSearchResponse,
  type ListKnowledgeResponse,
} from '@switchboard/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, upload } from '../api.ts';
import { formatNumber, formatRelative } from '../lib/format.ts';
import { useApi, useRowAction } from '../lib/use-api.ts';
import { ConfirmDialog, TextField } from './form.tsx';
import { ActionError, ActionsHeader, Badge, EmptyState, ErrorState, Loading, Table } from './page.tsx';

const ACCEPT = Object.values(KNOWLEDGE_MIME_TYPES).flat().join(',');
const MB = 1024 * 1024;

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < MB) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / MB).toFixed(1)} MB`;
}

const plural = (n: number, word: string) => `${formatNumber(n)} ${word}${n === 1 ? '' : 's'}`;

function Uploader({ agentId, onAdded }: { agentId: string; onAdded: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function send(file: File) {
    setError(null);
    if (file.size > KNOWLEDGE_MAX_UPLOAD_BYTES) {
      setError(
        new Error(
          `${file.name} is ${formatBytes(file.size)}; files up to ${KNOWLEDGE_MAX_UPLOAD_BYTES / MB} MB can be added.`,
        ),
      );
      return;
    }
    const form = new FormData();
    form.append('title', file.name.replace(/\.[^.]+$/, ''));
    form.append('file', file);
    setProgress(0);
    try {
      await upload<KnowledgeDocument>(`/api/agents/${agentId}/knowledge`, form, setProgress);
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
    }
  }

  return (
    <div className="knowledge-upload">
      <label className="btn btn--primary" htmlFor="knowledge-file">
        {progress === null ? 'Upload a document' : `Uploading… ${Math.round(progress * 100)}%`}
      </label>
      <input
        id="knowledge-file"
        ref={input}
        type="file"
        accept={ACCEPT}
        className="visually-hidden"
        disabled={progress !== null}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void send(file);
        }}
      />
      {progress !== null ? <progress max={1} value={progress} aria-label="Upload progress" /> : null}
      <p className="field__hint">
        PDF, Word (.docx), text, Markdown or CSV, up to {KNOWLEDGE_MAX_UPLOAD_BYTES / MB} MB. Scanned PDFs
        without text cannot be read.
      </p>
      <ActionError error={error} />
    </div>
  );
}

function StatusCell({ doc }: { doc: KnowledgeDocument }) {
  if (doc.status === 'processing') {
    return (
      <span className="knowledge-status">
        <Badge value="processing" label={`Processing ${doc.progress}%`} />
        <progress max={100} value={doc.progress} aria-label={`Processing ${doc.title}`} />
      </span>
    );
  }
  return (
    <span className="knowledge-status">
      <Badge value={doc.status} label={doc.status === 'ready' ? 'Ready' : 'Failed'} />
      {doc.error ? (
        <span className={doc.status === 'failed' ? 'field__error' : 'muted small'}>{doc.error}</span>
      ) : null}
    </span>
  );
}

function SearchBox({ agentId }: { agentId: string }) {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<KnowledgeSearchResponse | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!query.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setResult(
        await api.post<KnowledgeSearchResponse>(`/api/agents/${agentId}/knowledge/search`, {
          query: query.trim(),
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="k-search">
      <h2 id="k-search">Try a question</h2>
      <form className="form knowledge-search" onSubmit={onSubmit} noValidate>
        <TextField
          label="What would a caller ask?"
          value={query}
          onChange={setQuery}
          placeholder="How long is the warranty on brakes?"
        />
        <button type="submit" className="btn" disabled={busy || !query.trim()}>
          {busy ? 'Searching…' : 'Search'}
        </button>
      </form>
      <ActionError error={error} />
      {result ? (
        result.passages.length === 0 ? (
          <p className="muted">
            Nothing matches; the agent would say it does not know and offer a follow-up.
          </p>
        ) : (
          <ol className="knowledge-passages" aria-label="Passages the agent would retrieve">
            {result.passages.map((p) => (
              <li key={`${p.documentId}-${p.score}-${p.text.slice(0, 20)}`}>
                <strong>{p.title}</strong>
                <p>{p.text}</p>
              </li>
            ))}
          </ol>
        )
      ) : null}
      {result ? (
        <p className="muted small">
          {result.retrieval === 'hybrid' ? 'Full-text and vector search' : 'Full-text search'},{' '}
          {result.tookMs} ms.
        </p>
      ) : null}
    </section>
  );
}

export function KnowledgePanel({
  agentId,
  canEdit,
  canSearch,
  toolEnabled,
}: {
  agentId: string;
  canEdit: boolean;
  /** Searching is a POST: agents and up (viewers only read). */
  canSearch: boolean;
  toolEnabled: boolean;
}) {
  // Poll while a document is being processed, so its progress and outcome show up.
  const [polling, setPolling] = useState(false);
  const { data, error, reload } = useApi<ListKnowledgeResponse>(
    `/api/agents/${agentId}/knowledge`,
    polling ? { pollMs: 1000 } : {},
  );
  const row = useRowAction(reload);
  const [removing, setRemoving] = useState<KnowledgeDocument | null>(null);
  const processing = data?.items.some((d) => d.status === 'processing') ?? false;
  useEffect(() => setPolling(processing), [processing]);

  if (error && !data) return <ErrorState error={error} onRetry={reload} what="the knowledge base" />;
  if (!data) return <Loading label="Loading documents…" />;
  const { status } = data;
  return (
    <div className="knowledge">
      <section className="card" aria-labelledby="k-docs">
        <h2 id="k-docs">Documents</h2>
        <p className="muted">
          The agent looks things up here during calls with the “Search the knowledge base” tool
          {toolEnabled ? '' : ' — enable it under Settings › Tools'}. {plural(status.documents, 'document')},{' '}
          {plural(status.chunks, 'passage')};{' '}
          {status.retrieval === 'hybrid' ? 'full-text and vector search' : 'full-text search'}.
        </p>
        {status.vectorNote ? <p className="muted small">{status.vectorNote}</p> : null}
        {status.briefTotal > status.briefInInstructions ? (
          <p className="alert alert--info">
            The company brief is {formatNumber(status.briefTotal)} characters: the first{' '}
            {formatNumber(status.briefInInstructions)} are in the agent's instructions, and the whole brief is
            searchable here as “Company brief”.
          </p>
        ) : null}
        {canEdit ? <Uploader agentId={agentId} onAdded={reload} /> : null}
        <ActionError error={row.error} />
        {data.items.length === 0 ? (
          <EmptyState title="No documents yet">
            Upload price lists, policies or FAQs the agent should answer from.
          </EmptyState>
        ) : (
          <Table
            head={
              <>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Passages
                </th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Added</th>
                {canEdit ? <ActionsHeader /> : null}
              </>
            }
          >
            {data.items.map((doc) => (
              <tr key={doc.id}>
                <td>{doc.title}</td>
                <td>
                  <StatusCell doc={doc} />
                </td>
                <td className="num">{doc.status === 'ready' ? formatNumber(doc.chunks) : '—'}</td>
                <td className="num">{formatBytes(doc.bytes)}</td>
                <td>{formatRelative(doc.createdAt)}</td>
                {canEdit ? (
                  <td className="actions">
                    <button
                      type="button"
                      className="btn btn--small btn--danger-ghost"
                      onClick={() => setRemoving(doc)}
                    >
                      Delete
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </Table>
        )}
      </section>
      {canSearch ? <SearchBox agentId={agentId} /> : null}
      <ConfirmDialog
        open={removing !== null}
        title={`Delete ${removing?.title ?? 'document'}?`}
        onClose={() => setRemoving(null)}
        onConfirm={() =>
          removing &&
          row.run(
            () => api.del(`/api/knowledge/${removing.id}`),
            () => setRemoving(null),
          )
        }
        confirmLabel="Delete document"
      >
        <p>The agent will no longer find its passages.</p>
      </ConfirmDialog>
    </div>
  );
}
