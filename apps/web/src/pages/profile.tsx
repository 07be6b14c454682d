import type { User } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { ChangePasswordForm } from '../components/change-password.tsx';
import { TextField } from '../components/form.tsx';
import { ActionError, PageHeader } from '../components/page.tsx';
import { humanize } from '../lib/format.ts';

function ProfileForm() {
  const { user, updateUser } = useAuth();
  const [name, setName] = useState(user?.name ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      updateUser(await api.patch<User>('/api/auth/me', { name: name.trim() }));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <div className="form-grid">
        <TextField label="Name" value={name} onChange={setName} autoComplete="name" />
        <TextField
          label="Email"
          value={user?.email ?? ''}
          onChange={() => {}}
          readOnly
          hint="Your sign-in name. An owner or admin can add you again under another email."
        />
      </div>
      <p className="muted small">
        Role: <strong>{humanize(user?.role ?? '')}</strong>
      </p>
      <ActionError error={error} />
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          Save
        </button>
        {saved ? (
          <span className="save-note" role="status">
            Saved
          </span>
        ) : null}
      </div>
    </form>
  );
}

export default function Profile() {
  return (
    <>
      <PageHeader title="Your profile" description="Your name and password." />
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        <ProfileForm />
      </section>
      <section className="card" aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <ChangePasswordForm />
      </section>
    </>
  );
}
