import type { SetupItem, SetupResponse } from '@switchboard/shared';
import { Link } from 'react-router';
import { useApi } from '../lib/use-api.ts';

/** The items as a list: ✓ / ✗, the step, what is the matter in plain words, and where to fix it. */
export function ChecklistItems({ items }: { items: SetupItem[] }) {
  return (
    <ul className="checklist">
      {items.map((item) => (
        <li
          key={item.id}
          className={`checklist__item${item.ok ? ' checklist__item--ok' : item.optional ? ' checklist__item--optional' : ''}`}
        >
          <span className="checklist__mark" aria-hidden="true">
            {item.ok ? '✓' : item.optional ? '–' : '✗'}
          </span>
          <div className="checklist__text">
            <strong>{item.title}</strong>
            <span className="visually-hidden">
              {item.ok ? ' (done)' : item.optional ? ' (optional)' : ' (to do)'}
            </span>
            <p className="muted">
              {item.message} {!item.ok && item.action ? <Link to={item.action}>Fix this</Link> : null}
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The overview's setup checklist, shown until every required step is done. */
export function SetupChecklist({ always = false }: { always?: boolean }) {
  const { data } = useApi<SetupResponse>('/api/setup');
  if (!data || (data.done && !always)) return null;
  const missing = data.items.filter((i) => !i.ok && !i.optional).length;
  return (
    <section className="card" aria-labelledby="setup-title">
      <h2 id="setup-title">{data.done ? 'Setup' : `Finish setting up (${missing} to do)`}</h2>
      <ChecklistItems items={data.items} />
    </section>
  );
}

/** Required steps still missing for a kind of call (for Call now / Test), or [] when ready. */
export function useMissingSteps(ids: SetupItem['id'][], enabled = true): SetupItem[] {
  const { data } = useApi<SetupResponse>(enabled ? '/api/setup' : null);
  return data ? data.items.filter((i) => ids.includes(i.id) && !i.ok) : [];
}
