/**
 * The person's privacy rights, for admins: download everything held about them (JSON), or
 * erase them from the organization. Erasing asks for their phone number to be typed, because
 * it cannot be undone.
 */
import type { EraseResult, PersonExport, Prospect } from '@switchboard/shared';
import { useState } from 'react';
import { api } from '../api.ts';
import { formatPhone } from '../lib/format.ts';
import { ConfirmDialog, TextField } from './form.tsx';
import { ActionError } from './page.tsx';

const digits = (value: string) => value.replace(/\D/g, '');

function download(name: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function PrivacyActions({
  prospect,
  onErased,
}: {
  prospect: Prospect;
  onErased: (r: EraseResult) => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [erasing, setErasing] = useState(false);
  const [typed, setTyped] = useState('');
  const matches = digits(typed).length >= 7 && digits(prospect.phone).endsWith(digits(typed));

  async function exportData() {
    setBusy(true);
    setError(null);
    try {
      download(
        `person-${prospect.id}.json`,
        await api.get<PersonExport>(`/api/prospects/${prospect.id}/export`),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  async function erase() {
    setBusy(true);
    setError(null);
    try {
      onErased(
        await api.post<EraseResult>('/api/privacy/erase', {
          phone: prospect.phone,
          ...(prospect.email ? { email: prospect.email } : {}),
        }),
      );
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <section className="privacy" aria-labelledby="privacy-title">
      <h3 id="privacy-title">Privacy</h3>
      <p className="muted small">What the person can ask for: a copy of their data, or to be forgotten.</p>
      <div className="form-actions form-actions--start">
        <button type="button" className="btn btn--small" onClick={exportData} disabled={busy}>
          Download their data
        </button>
        <button type="button" className="btn btn--small btn--danger-ghost" onClick={() => setErasing(true)}>
          Erase this person…
        </button>
      </div>
      {erasing ? null : <ActionError error={error} />}
      <ConfirmDialog
        open={erasing}
        title="Erase this person for good?"
        onClose={() => {
          setErasing(false);
          setTyped('');
        }}
        onConfirm={erase}
        confirmLabel={busy ? 'Erasing…' : 'Erase permanently'}
        busy={busy || !matches}
        error={error}
      >
        <p>
          Deletes this prospect, the transcripts of their calls, their texts, appointments (also in Google
          Calendar), recordings and do-not-call entry, and removes their number and email from everything
          else. Their calls stay as anonymous figures. This cannot be undone.
        </p>
        <TextField
          label={`Type their phone number (${formatPhone(prospect.phone)}) to confirm`}
          value={typed}
          onChange={setTyped}
          inputMode="tel"
          autoComplete="off"
        />
      </ConfirmDialog>
    </section>
  );
}
