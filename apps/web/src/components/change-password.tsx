import type { User } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import type { FieldErrors } from '../lib/error-details.ts';
import { TextField } from './form.tsx';
import { ActionError } from './page.tsx';

/** Current password + new password twice; on success the signed-in user is updated in place. */
export function ChangePasswordForm({
  onDone,
  submitLabel = 'Change password',
}: {
  onDone?: () => void;
  submitLabel?: string;
}) {
  const { updateUser } = useAuth();
  const [values, setValues] = useState({ current: '', next: '', repeat: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const set = (k: keyof typeof values) => (v: string) => setValues((s) => ({ ...s, [k]: v }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!values.current) local.currentPassword = 'Enter your current password';
    if (values.next.length < 10) local.newPassword = 'Use at least 10 characters';
    else if (values.next !== values.repeat) local.repeat = 'The two new passwords do not match';
    setErrors(local);
    setDone(false);
    setError(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const user = await api.post<User>('/api/auth/password', {
        currentPassword: values.current,
        newPassword: values.next,
      });
      setValues({ current: '', next: '', repeat: '' });
      setDone(true);
      updateUser(user);
      onDone?.();
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors).length) {
        const fe = err.fieldErrors;
        setErrors({
          ...fe,
          ...(fe.currentPassword === 'is not your current password'
            ? { currentPassword: 'This is not your current password' }
            : {}),
          ...(fe.newPassword === 'must differ from the current password'
            ? { newPassword: 'Choose a password different from the current one' }
            : {}),
        });
      } else setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <div className="form-grid">
        <TextField
          label="Current password"
          type="password"
          value={values.current}
          onChange={set('current')}
          error={errors.currentPassword}
          autoComplete="current-password"
        />
        <TextField
          label="New password"
          type="password"
          value={values.next}
          onChange={set('next')}
          error={errors.newPassword}
          hint="At least 10 characters"
          autoComplete="new-password"
        />
        <TextField
          label="Repeat the new password"
          type="password"
          value={values.repeat}
          onChange={set('repeat')}
          error={errors.repeat}
          autoComplete="new-password"
        />
      </div>
      <ActionError error={error} />
      {done ? (
        <p className="alert alert--success" role="status">
          Your password was changed.
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

/** Shown instead of the dashboard while the signed-in user still has a generated or reset password. */
export function ForcedPasswordChange() {
  const { user, signOut } = useAuth();
  return (
    <main className="login">
      <div className="login__card">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true" />
          Switchboard
        </div>
        <h1>Choose your password</h1>
        <p className="muted">
          You signed in as <strong>{user?.email}</strong> with a one-time password. Choose your own password
          before you continue; the one-time password stops working.
        </p>
        <ChangePasswordForm submitLabel="Save and continue" />
        <p className="login__hint">
          <button type="button" className="btn btn--ghost btn--small" onClick={signOut}>
            Sign out
          </button>
        </p>
      </div>
    </main>
  );
}
