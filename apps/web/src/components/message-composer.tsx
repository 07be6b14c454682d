import type { Message } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { TextArea } from './form.tsx';
import { ActionError } from './page.tsx';

const MAX = 1600;

/** Text the prospect from the organization's number; refusals (do-not-call, Twilio) are shown as sent back. */
export function MessageComposer({
  prospectId,
  onSent,
}: {
  prospectId: string;
  onSent: (m: Message) => void;
}) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const segments = Math.max(1, Math.ceil(body.length / 153));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const sent = await api.post<Message>('/api/messages', { prospectId, body: body.trim() });
      setBody('');
      onSent(sent);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Send a text">
      <TextArea
        label="Text message"
        value={body}
        onChange={(v) => setBody(v.slice(0, MAX))}
        rows={2}
        placeholder="Hi! Just confirming your appointment tomorrow at 10."
        hint={
          body.length > 160
            ? `${body.length}/${MAX} characters · ${segments} SMS`
            : `${body.length}/160 characters`
        }
      />
      <ActionError error={error} />
      <div className="form-actions">
        <button type="submit" className="btn btn--primary btn--small" disabled={busy || !body.trim()}>
          {busy ? 'Sending…' : 'Send text'}
        </button>
      </div>
    </form>
  );
}
