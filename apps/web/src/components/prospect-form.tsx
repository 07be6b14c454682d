import { PHONE_MESSAGE, PROSPECT_STATUSES, type Prospect } from '@switchboard/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { type FieldErrors, unshownFieldErrors } from '../lib/error-details.ts';
import { humanize } from '../lib/format.ts';
import { SelectField, TextArea, TextField } from './form.tsx';
import { ActionError } from './page.tsx';

const FIELDS = ['company', 'contact', 'phone', 'email', 'timezone', 'status', 'notes'] as const;
type Values = Record<(typeof FIELDS)[number], string>;

function initialValues(p?: Prospect): Values {
  return {
    company: p?.company ?? '',
    contact: p?.contact ?? '',
    phone: p?.phone ?? '',
    email: p?.email ?? '',
    timezone: p?.timezone ?? '',
    status: p?.status ?? 'new',
    notes: p?.notes ?? '',
  };
}

/**
 * Create or edit a prospect. Validation happens on the server; its per-field messages from
 * the error `details` are shown beside the fields.
 */
export function ProspectForm({
  prospect,
  onSaved,
  onCancel,
}: {
  prospect?: Prospect;
  onSaved: (p: Prospect) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<Values>(() => initialValues(prospect));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // After a failed save, take the keyboard user to the first field that needs attention.
    if (Object.keys(fieldErrors).length)
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [fieldErrors]);
  const set = (k: keyof Values) => (v: string) => setValues((prev) => ({ ...prev, [k]: v }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!values.phone.trim()) local.phone = PHONE_MESSAGE;
    setFieldErrors(local);
    if (Object.keys(local).length) return;
    const body = {
      company: values.company.trim(),
      contact: values.contact.trim(),
      phone: values.phone.trim(),
      email: values.email.trim() || null,
      timezone: values.timezone.trim() || null,
      status: values.status,
      notes: values.notes,
    };
    setBusy(true);
    setError(null);
    try {
      const saved = prospect
        ? await api.patch<Prospect>(`/api/prospects/${prospect.id}`, body)
        : await api.post<Prospect>('/api/prospects', body);
      onSaved(saved);
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors : {};
      setFieldErrors(fields);
      const other = unshownFieldErrors(fields, FIELDS);
      // Field messages are shown beside the fields; the summary says what happened.
      setError(
        Object.keys(fields).length && err instanceof ApiError
          ? new Error(`Please correct the highlighted fields.${other.length ? ` ${other.join('; ')}` : ''}`)
          : err,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="form">
      <ActionError error={error} />
      <div className="form-grid">
        <TextField
          label="Company"
          value={values.company}
          onChange={set('company')}
          error={fieldErrors.company}
        />
        <TextField
          label="Contact name"
          value={values.contact}
          onChange={set('contact')}
          error={fieldErrors.contact}
        />
        <TextField
          label="Phone"
          type="tel"
          required
          value={values.phone}
          onChange={set('phone')}
          error={fieldErrors.phone}
          hint="Include the country code, like +1 415 555 0100 or +44 20 7946 0958"
        />
        <TextField
          label="Email"
          type="email"
          value={values.email}
          onChange={set('email')}
          error={fieldErrors.email}
        />
        <TextField
          label="Time zone"
          value={values.timezone}
          onChange={set('timezone')}
          error={fieldErrors.timezone}
          placeholder="America/New_York"
          hint="IANA name; the dialer calls within their business hours"
          list="timezones"
        />
        <SelectField
          label="Status"
          value={values.status}
          onChange={set('status')}
          error={fieldErrors.status}
          options={PROSPECT_STATUSES.map((s) => ({ value: s, label: humanize(s) }))}
        />
      </div>
      <datalist id="timezones">
        {Intl.supportedValuesOf('timeZone').map((tz) => (
          <option key={tz} value={tz} />
        ))}
      </datalist>
      <TextArea
        label="Notes"
        rows={4}
        value={values.notes}
        onChange={set('notes')}
        error={fieldErrors.notes}
      />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Saving…' : prospect ? 'Save changes' : 'Create prospect'}
        </button>
      </div>
    </form>
  );
}
