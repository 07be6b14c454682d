import type { BusinessProfile, WeeklyHours } from '@switchboard/shared';
import { PHONE_COUNTRIES } from '@switchboard/shared';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { ApiError, api } from '../../api.ts';
import { useAuth } from '../../auth.tsx';
import { SelectField, TextField } from '../../components/form.tsx';
import { HoursEditor } from '../../components/hours-editor.tsx';
import { ListSelect, timeZoneGroups } from '../../components/list-select.tsx';
import { ActionError, ErrorState, Loading } from '../../components/page.tsx';
import { showToast } from '../../components/toast.tsx';
import { useAgentOptions } from '../../lib/agent-options.ts';
import type { FieldErrors } from '../../lib/error-details.ts';
import { completeWeek, dayErrors, weekProblems } from '../../lib/hours.ts';
import { useApi } from '../../lib/use-api.ts';
import { Holidays } from './holidays.tsx';
import { Retention } from './retention.tsx';

const BROWSER_TZ = Intl.DateTimeFormat().resolvedOptions().timeZone;
const REGION = new Intl.DisplayNames(['en'], { type: 'region' });

interface Draft {
  name: string;
  timezone: string;
  defaultCountry: string;
  businessHours: WeeklyHours;
  holidays: string[];
  recordingsDays: string;
  transcriptsDays: string;
}

function toDraft(p: BusinessProfile): Draft {
  return {
    name: p.name,
    timezone: p.timezone,
    defaultCountry: p.defaultCountry,
    businessHours: completeWeek(p.businessHours),
    holidays: p.holidays,
    recordingsDays: p.retention.recordingsDays?.toString() ?? '',
    transcriptsDays: p.retention.transcriptsDays?.toString() ?? '',
  };
}

const days = (value: string) => (value.trim() === '' ? null : Number(value));

export function Business() {
  const { isAdmin } = useAuth();
  const { timezones } = useAgentOptions();
  const { data, error, reload, setData } = useApi<BusinessProfile>('/api/organization');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (data) setDraft(toDraft(data));
  }, [data]);
  const countries = useMemo(
    () =>
      PHONE_COUNTRIES.map((c) => ({ value: c, label: `${REGION.of(c) ?? c} (${c})` })).sort((a, b) =>
        a.label.localeCompare(b.label),
      ),
    [],
  );

  if (error && !data) return <ErrorState error={error} onRetry={reload} what="the business profile" />;
  if (!draft) return <Loading label="Loading the business profile…" />;
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) => {
      setSaved(false);
      setDraft((d) => (d ? { ...d, [key]: value } : d));
    };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!draft || weekProblems(draft.businessHours)) return;
    setBusy(true);
    setSaveError(null);
    setErrors({});
    try {
      const next = await api.patch<BusinessProfile>('/api/organization', {
        name: draft.name.trim(),
        timezone: draft.timezone.trim(),
        defaultCountry: draft.defaultCountry,
        businessHours: draft.businessHours,
        holidays: draft.holidays,
        retention: {
          recordingsDays: days(draft.recordingsDays),
          transcriptsDays: days(draft.transcriptsDays),
        },
      });
      setData(next);
      setSaved(true);
      showToast('Business settings saved');
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setSaveError(err);
    } finally {
      setBusy(false);
    }
  }

  const readOnly = !isAdmin;
  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-label="Business profile">
      <section className="card form" aria-labelledby="profile-title">
        <h2 id="profile-title">Business</h2>
        {readOnly ? <p className="muted">Only admins and owners can change these settings.</p> : null}
        <div className="form-grid">
          <TextField
            label="Business name"
            value={draft.name}
            onChange={set('name')}
            error={errors.name}
            disabled={readOnly}
          />
          <ListSelect
            label="Time zone"
            value={draft.timezone}
            onChange={set('timezone')}
            groups={timeZoneGroups(timezones)}
            error={errors.timezone}
            disabled={readOnly}
            hint={
              draft.timezone === 'UTC' && BROWSER_TZ !== 'UTC' ? (
                <>
                  Your browser is in {BROWSER_TZ}.{' '}
                  {readOnly ? null : (
                    <button type="button" className="link-button" onClick={() => set('timezone')(BROWSER_TZ)}>
                      Use it
                    </button>
                  )}
                </>
              ) : (
                'Hours, holidays and "today" on the overview follow this zone.'
              )
            }
          />
          <SelectField
            label="Country for local phone numbers"
            value={draft.defaultCountry}
            onChange={set('defaultCountry')}
            options={countries}
            error={errors.defaultCountry}
            disabled={readOnly}
            hint="Numbers typed without +country code are read as this country's."
          />
        </div>
      </section>
      <section className="card" aria-labelledby="hours-title">
        <h2 id="hours-title">Business hours</h2>
        <p className="muted small">
          When your agents offer and book appointments (in {draft.timezone}). An agent can have its own hours
          in the agent studio.
        </p>
        <HoursEditor
          value={draft.businessHours}
          onChange={set('businessHours')}
          readOnly={readOnly}
          errors={dayErrors(errors)}
        />
      </section>
      <Holidays
        value={draft.holidays}
        onChange={set('holidays')}
        readOnly={readOnly}
        error={errors.holidays}
      />
      <Retention
        recordingsDays={draft.recordingsDays}
        transcriptsDays={draft.transcriptsDays}
        onChange={(key, value) => set(key)(value)}
        readOnly={readOnly}
        errors={errors}
      />
      {readOnly ? null : (
        <div className="form-actions form-actions--sticky">
          <ActionError error={saveError} />
          {saved ? (
            <span className="muted" role="status">
              Saved.
            </span>
          ) : null}
          <button
            type="submit"
            className="btn btn--primary"
            disabled={busy || weekProblems(draft.businessHours)}
          >
            {busy ? 'Saving…' : 'Save changes'}
          </button>
        </div>
      )}
    </form>
  );
}
