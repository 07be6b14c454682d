import { type FormEvent, useEffect, useState } from 'react';
import { Link, Navigate } from 'react-router';
import { ApiError, api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { TextField } from '../components/form.tsx';
import { ActionError } from '../components/page.tsx';
import type { FieldErrors } from '../lib/error-details.ts';

/** Sign-up for a new business, on servers that allow it (ALLOW_SIGNUP=true). */
export default function Signup() {
  const { user, signIn } = useAuth();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [values, setValues] = useState({ organizationName: '', name: '', email: '', password: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Create an account · Switchboard';
    api
      .get<{ enabled: boolean }>('/api/auth/register')
      .then((r) => setEnabled(r.enabled))
      .catch(() => setEnabled(false));
  }, []);
  if (user) return <Navigate to="/" replace />;
  const set = (key: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      await api.post('/api/auth/register', { ...values, email: values.email.trim() });
      await signIn(values.email.trim(), values.password);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <div className="login__card">
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true" />
          Switchboard
        </div>
        <h1>Create an account for your business</h1>
        {enabled === false ? (
          <p className="alert alert--info" role="status">
            Sign-up is turned off on this server. Ask its operator for an account.
          </p>
        ) : (
          <form onSubmit={onSubmit} noValidate>
            <TextField
              label="Business name"
              value={values.organizationName}
              onChange={set('organizationName')}
              error={errors.organizationName}
            />
            <TextField
              label="Your name"
              value={values.name}
              onChange={set('name')}
              error={errors.name}
              autoComplete="name"
            />
            <TextField
              label="Email"
              type="email"
              value={values.email}
              onChange={set('email')}
              error={errors.email}
              autoComplete="username"
            />
            <TextField
              label="Password"
              type="password"
              value={values.password}
              onChange={set('password')}
              error={errors.password}
              autoComplete="new-password"
              hint="At least 10 characters."
            />
            <ActionError error={error} />
            <button type="submit" className="btn btn--primary btn--block" disabled={busy || enabled === null}>
              {busy ? 'Creating…' : 'Create account'}
            </button>
          </form>
        )}
        <p className="login__hint">
          Already have an account? <Link to="/login">Sign in</Link>
        </p>
      </div>
    </main>
  );
}
