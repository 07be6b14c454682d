import { type Campaign, DEFAULT_CAMPAIGN_SETTINGS, PROSPECT_STATUSES } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useAgents } from '../lib/agents.ts';
import type { FieldErrors } from '../lib/error-details.ts';
import { humanize } from '../lib/format.ts';
import { SelectField, TextField } from './form.tsx';
import { ActionError } from './page.tsx';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const d = DEFAULT_CAMPAIGN_SETTINGS;
const minutes = (s: number) => String(Math.round(s / 60));

/** New campaign: agent, audience by filter, schedule, pacing and retries (delays in minutes). */
export function CampaignForm({
  onCancel,
  onSaved,
}: {
  onCancel: () => void;
  onSaved: (c: Campaign) => void;
}) {
  const { agents } = useAgents();
  const [v, setV] = useState({
    name: '',
    agentId: '',
    status: 'new',
    source: '',
    start: d.schedule.start,
    end: d.schedule.end,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    maxConcurrent: String(d.maxConcurrent),
    callsPerMinute: String(d.callsPerMinute),
    maxAttempts: String(d.retry.maxAttempts),
    noAnswer: minutes(d.retry.delayS.no_answer),
    busy: minutes(d.retry.delayS.busy),
    voicemail: minutes(d.retry.delayS.voicemail),
    failed: minutes(d.retry.delayS.failed),
    dailyCap: '',
  });
  const [days, setDays] = useState<number[]>([...d.schedule.days]);
  const [csvFile, setCsvFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const set = (k: keyof typeof v) => (value: string) => setV((o) => ({ ...o, [k]: value }));
  const sec = (m: string) => Math.max(1, Math.round(Number(m) * 60));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await api.post<Campaign>('/api/campaigns', {
        name: v.name.trim(),
        ...(v.agentId ? { agentId: v.agentId } : {}),
        schedule: { days: [...days].sort(), start: v.start, end: v.end },
        defaultTimezone: v.timezone,
        maxConcurrent: Number(v.maxConcurrent),
        callsPerMinute: Number(v.callsPerMinute),
        retry: {
          maxAttempts: Number(v.maxAttempts),
          delayS: {
            no_answer: sec(v.noAnswer),
            busy: sec(v.busy),
            voicemail: sec(v.voicemail),
            failed: sec(v.failed),
          },
        },
        dailyCap: v.dailyCap ? Number(v.dailyCap) : null,
      });
      await api.post(
        `/api/campaigns/${created.id}/prospects`,
        csvFile
          ? { csv: await csvFile.text() }
          : {
              filter: {
                ...(v.status ? { status: v.status } : {}),
                ...(v.source ? { source: v.source } : {}),
              },
            },
      );
      onSaved(created);
    } catch (err) {
      const f = err instanceof ApiError ? err.fieldErrors : {};
      setFields(f);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <ActionError error={error} />
      <div className="form-grid">
        <TextField label="Name" required value={v.name} onChange={set('name')} error={fields.name} />
        <SelectField
          label="Agent"
          value={v.agentId}
          onChange={set('agentId')}
          error={fields.agentId}
          options={[
            { value: '', label: 'Default outbound agent' },
            ...agents.map((a) => ({ value: a.id, label: a.name })),
          ]}
        />
        <SelectField
          label="Audience: prospects with status"
          value={v.status}
          onChange={set('status')}
          options={[
            { value: '', label: 'Any status' },
            ...PROSPECT_STATUSES.filter((s) => s !== 'do_not_call').map((s) => ({
              value: s,
              label: humanize(s),
            })),
          ]}
        />
        <TextField
          label="Audience: source"
          value={v.source}
          onChange={set('source')}
          hint="e.g. csv; empty: any"
        />
        <div className="field">
          <label htmlFor="campaign-csv">Or upload a CSV</label>
          <input
            id="campaign-csv"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => setCsvFile(e.target.files?.[0] ?? null)}
            aria-describedby="campaign-csv-hint"
          />
          <p id="campaign-csv-hint" className="field__hint">
            Creates or updates these prospects and calls exactly them (instead of the filter).
          </p>
        </div>
      </div>
      <fieldset className="tool-list weekdays">
        <legend>Calling days (in each prospect's own time zone)</legend>
        {DAYS.map((name, i) => (
          <span key={name} className="check check--inline">
            <input
              id={`day-${i + 1}`}
              type="checkbox"
              checked={days.includes(i + 1)}
              onChange={(e) =>
                setDays((ds) => (e.target.checked ? [...ds, i + 1] : ds.filter((x) => x !== i + 1)))
              }
            />
            <label htmlFor={`day-${i + 1}`}>{name}</label>
          </span>
        ))}
        {fields['schedule.days'] ? <p className="field__error">{fields['schedule.days']}</p> : null}
      </fieldset>
      <div className="form-grid">
        <TextField
          label="From"
          type="time"
          value={v.start}
          onChange={set('start')}
          error={fields['schedule.start']}
        />
        <TextField
          label="Until"
          type="time"
          value={v.end}
          onChange={set('end')}
          error={fields['schedule.end']}
        />
        <TextField
          label="Default time zone"
          value={v.timezone}
          onChange={set('timezone')}
          error={fields.defaultTimezone}
          hint="For prospects without a time zone"
        />
        <TextField
          label="Calls at once"
          type="number"
          min={1}
          value={v.maxConcurrent}
          onChange={set('maxConcurrent')}
          error={fields.maxConcurrent}
        />
        <TextField
          label="Calls per minute"
          type="number"
          min={1}
          value={v.callsPerMinute}
          onChange={set('callsPerMinute')}
          error={fields.callsPerMinute}
        />
        <TextField
          label="Daily cap"
          type="number"
          min={1}
          value={v.dailyCap}
          onChange={set('dailyCap')}
          error={fields.dailyCap}
          hint="Empty: no cap"
        />
        <TextField
          label="Attempts per prospect"
          type="number"
          min={1}
          value={v.maxAttempts}
          onChange={set('maxAttempts')}
          error={fields['retry.maxAttempts']}
        />
        <TextField
          label="Retry after no answer (min)"
          type="number"
          min={1}
          value={v.noAnswer}
          onChange={set('noAnswer')}
          error={fields['retry.delayS.no_answer']}
        />
        <TextField
          label="Retry after busy (min)"
          type="number"
          min={1}
          value={v.busy}
          onChange={set('busy')}
          error={fields['retry.delayS.busy']}
        />
        <TextField
          label="Retry after voicemail (min)"
          type="number"
          min={1}
          value={v.voicemail}
          onChange={set('voicemail')}
          error={fields['retry.delayS.voicemail']}
          hint={`${(Number(v.voicemail) / 60).toFixed(1)} h`}
        />
        <TextField
          label="Retry after a failure (min)"
          type="number"
          min={1}
          value={v.failed}
          onChange={set('failed')}
          error={fields['retry.delayS.failed']}
        />
      </div>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create campaign'}
        </button>
      </div>
    </form>
  );
}
