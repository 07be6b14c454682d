import { type ReactNode, useEffect, useRef } from 'react';
import { ApiError, errorMessage } from '../api.ts';
import { humanize } from '../lib/format.ts';

let focusOnNextHeading = false;
/** The layout calls this on client-side navigation so the new page's heading takes focus. */
export function markNavigated(): void {
  focusOnNextHeading = true;
}

export function PageHeader({
  title,
  description,
  actions,
  back,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  back?: ReactNode;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Switchboard`;
  }, [title]);
  useEffect(() => {
    if (focusOnNextHeading) {
      focusOnNextHeading = false;
      ref.current?.focus();
    }
  }, []);
  return (
    <header className="page-header">
      <div className="page-header__text">
        {back}
        <h1 ref={ref} tabIndex={-1}>
          {title}
        </h1>
        {description ? <p className="muted">{description}</p> : null}
      </div>
      {actions ? <div className="page-header__actions">{actions}</div> : null}
    </header>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state--loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** Error panel for a failed load; explains endpoints that the server does not provide yet. */
export function ErrorState({
  error,
  onRetry,
  what,
}: {
  error: unknown;
  onRetry?: () => void;
  what?: string;
}) {
  const missing = error instanceof ApiError && error.endpointMissing ? error : null;
  const subject = what ?? 'this page';
  return (
    <div className={`state ${missing ? 'state--unavailable' : 'state--error'}`} role="alert">
      <strong>
        {missing
          ? `${subject.charAt(0).toUpperCase()}${subject.slice(1)}: not available yet`
          : `Could not load ${subject}`}
      </strong>
      <p>
        {missing
          ? `This server does not provide ${missing.method} ${missing.path} yet (it answered ${missing.status}). Update the server, then reload.`
          : errorMessage(error)}
      </p>
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state--empty">
      <strong>{title}</strong>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

/** Inline alert for a failed action (save, delete…). */
export function ActionError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="alert alert--error" role="alert">
      {errorMessage(error)}
    </p>
  );
}

const STATUS_TONE: Record<string, string> = {
  'in-progress': 'live',
  ringing: 'info',
  initiated: 'info',
  queued: 'neutral',
  completed: 'success',
  confirmed: 'success',
  won: 'success',
  qualified: 'info',
  meeting_scheduled: 'success',
  contacted: 'info',
  new: 'neutral',
  busy: 'warn',
  'no-answer': 'warn',
  canceled: 'neutral',
  cancelled: 'neutral',
  failed: 'danger',
  not_placed: 'warn',
  lost: 'danger',
  do_not_call: 'danger',
  ok: 'success',
  error: 'danger',
  untested: 'neutral',
  processing: 'info',
  ready: 'success',
  running: 'live',
  paused: 'warn',
  draft: 'neutral',
  stopped: 'neutral',
  scheduled: 'info',
  dialing: 'live',
  done: 'success',
  skipped: 'warn',
  dial: 'success',
  skip: 'danger',
  defer: 'info',
  opt_out: 'danger',
};

export function Badge({ value, label }: { value: string | null | undefined; label?: string }) {
  if (!value) return <span className="muted">—</span>;
  const tone = STATUS_TONE[value] ?? 'neutral';
  return <span className={`badge badge--${tone}`}>{label ?? humanize(value)}</span>;
}

export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>
        <span className="stat__value">{value}</span>
        {hint ? <span className="stat__hint">{hint}</span> : null}
      </dd>
    </div>
  );
}

export function Pagination({
  total,
  limit,
  offset,
  onChange,
  label = 'Pagination',
}: {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
  label?: string;
}) {
  if (total <= limit && offset === 0) return null;
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pagination" aria-label={label}>
      <span aria-live="polite">
        {from}–{to} of {total}
      </span>
      <button
        type="button"
        className="btn btn--small"
        disabled={offset === 0}
        onClick={() => onChange(Math.max(0, offset - limit))}
      >
        Previous
      </button>
      <button
        type="button"
        className="btn btn--small"
        disabled={offset + limit >= total}
        onClick={() => onChange(offset + limit)}
      >
        Next
      </button>
    </nav>
  );
}

/** A data table in its scroll container: `head` holds the header cells, `children` the body rows. */
export function Table({ head, dense, children }: { head: ReactNode; dense?: boolean; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className={`table${dense ? ' table--dense' : ''}`}>
        <thead>
          <tr>{head}</tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** Header of the row-actions column: empty to the eye, named for screen readers. */
export function ActionsHeader() {
  return (
    <th scope="col">
      <span className="visually-hidden">Actions</span>
    </th>
  );
}
