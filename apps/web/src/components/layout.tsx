import { Suspense, useEffect, useRef, useState } from 'react';
import { Link, Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { useAuth } from '../auth.tsx';
import { ForcedPasswordChange } from './change-password.tsx';
import { Loading, markNavigated } from './page.tsx';
import { Toaster } from './toast.tsx';

const NAV = [
  { to: '/', label: 'Overview', end: true },
  { to: '/live', label: 'Live calls' },
  { to: '/calls', label: 'Calls' },
  { to: '/prospects', label: 'Prospects' },
  { to: '/campaigns', label: 'Campaigns' },
  { to: '/appointments', label: 'Appointments' },
  { to: '/agents', label: 'Agents' },
  { to: '/settings', label: 'Settings' },
] as const;

/** Signed-in shell: navigation, user menu and the routed page (code-split, so suspended). */
export function Layout() {
  const { user, checking, signOut } = useAuth();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const first = useRef(true);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every route change by design.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    markNavigated();
    setMenuOpen(false);
  }, [location.pathname]);

  if (checking) return <Loading label="Checking your session…" />;
  if (!user) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (user.mustChangePassword) return <ForcedPasswordChange />;

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true" />
          Switchboard
        </Link>
        <button
          type="button"
          className="btn btn--ghost menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="primary-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
      </header>
      <nav id="primary-nav" className={`sidebar${menuOpen ? ' sidebar--open' : ''}`} aria-label="Main">
        <div className="sidebar__brand">
          <Link to="/" className="brand">
            <span className="brand__mark" aria-hidden="true" />
            Switchboard
          </Link>
        </div>
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={'end' in item ? item.end : false}>
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
        <div className="sidebar__user">
          <div className="sidebar__who">
            <Link to="/profile" className="sidebar__name">
              {user.name || user.email}
            </Link>
            <span className="muted small">
              {user.email} · <span className="role">{user.role}</span>
            </span>
          </div>
          <a className="small" href="/api/docs/" target="_blank" rel="noreferrer">
            API reference
          </a>
          <button type="button" className="btn btn--small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <Toaster />
    </div>
  );
}
