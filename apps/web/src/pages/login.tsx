import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../api.ts';
import { useAuth } from '../auth.tsx';

function loginErrorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401)
      return 'That email and password do not match an account. Check them and try again.';
    if (err.status === 400) return 'Enter a valid email address and your password.';
    if (err.status === 403) return 'This account is disabled. Ask an owner or admin to re-enable it.';
    if (err.status === 429) return 'Too many sign-in attempts. Wait a minute, then try again.';
    if (err.status === 0) return err.message;
    return `Sign-in failed: ${err.message}`;
  }
  return 'Sign-in failed. Try again.';
}

/** A `next` parameter only ever points inside the dashboard. */
function safeNext(value: string | null): string {
  return value?.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export default function Login() {
  const { user, signIn, notice } = useAuth();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);
  const [signup, setSignup] = useState(false);
  useEffect(() => {
    api
      .get<{ enabled: boolean }>('/api/auth/register')
      .then((r) => setSignup(r.enabled))
      .catch(() => {});
  }, []);

  useEffect(() => {
    document.title = 'Sign in · Switchboard';
  }, []);
  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  if (user) return <Navigate to={safeNext(params.get('next'))} replace />;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError('Enter your email and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (err) {
      setError(loginErrorMessage(err));
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
        <h1>Sign in</h1>
        {notice && !error ? (
          <p className="alert alert--info" role="status">
            {notice}
          </p>
        ) : null}
        {error ? (
          <p className="alert alert--error" role="alert" tabIndex={-1} ref={errorRef}>
            {error}
          </p>
        ) : null}
        <form onSubmit={onSubmit} noValidate>
          <div className="field">
            <label htmlFor="login-email">Email</label>
            <input
              id="login-email"
              type="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              required
              // biome-ignore lint/a11y/noAutofocus: the only task on this page is signing in.
              autoFocus
            />
          </div>
          <div className="field">
            <label htmlFor="login-password">Password</label>
            <input
              id="login-password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </div>
          <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <div className="login__hint">
          <p>
            <strong>First time here?</strong> The first owner account's email and password were printed in the
            terminal by <code>npm start</code> when the server started for the first time (or set with{' '}
            <code>ADMIN_EMAIL</code> and <code>ADMIN_PASSWORD</code>). Sign in with those, then invite your
            team under Settings → Team.
          </p>
          {signup ? (
            <p>
              New business? <Link to="/signup">Create an account</Link>.
            </p>
          ) : null}
        </div>
      </div>
    </main>
  );
}
