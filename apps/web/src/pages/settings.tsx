import { useEffect, useRef } from 'react';
import { Navigate, NavLink, useParams } from 'react-router';
import { useAuth } from '../auth.tsx';
import { EmptyState, PageHeader } from '../components/page.tsx';
import { ApiKeys } from './settings/api-keys.tsx';
import { AuditLog } from './settings/audit-log.tsx';
import { Business } from './settings/business.tsx';
import { Integrations } from './settings/integrations.tsx';
import { McpServers } from './settings/mcp-servers.tsx';
import { PhoneNumbers } from './settings/phone-numbers.tsx';
import { Team } from './settings/team.tsx';
import { Webhooks } from './settings/webhooks.tsx';

const TABS = [
  { id: 'business', label: 'Business', Component: Business, adminOnly: false },
  { id: 'numbers', label: 'Phone numbers', Component: PhoneNumbers, adminOnly: false },
  { id: 'integrations', label: 'Credentials', Component: Integrations, adminOnly: false },
  { id: 'mcp', label: 'MCP servers', Component: McpServers, adminOnly: false },
  { id: 'api-keys', label: 'API keys', Component: ApiKeys, adminOnly: true },
  { id: 'team', label: 'Team', Component: Team, adminOnly: true },
  { id: 'webhooks', label: 'Webhooks', Component: Webhooks, adminOnly: true },
  { id: 'audit', label: 'Audit log', Component: AuditLog, adminOnly: true },
] as const;

export default function Settings() {
  const { tab } = useParams();
  const { isAdmin } = useAuth();
  const current = TABS.find((t) => t.id === tab);
  const nav = useRef<HTMLElement>(null);
  // On a phone the tabs scroll sideways: bring the open one into view (the nav only, not the page).
  useEffect(() => {
    const bar = nav.current;
    const el = bar?.querySelector<HTMLElement>('[aria-current="page"]');
    if (bar && el && tab)
      bar.scrollLeft += el.getBoundingClientRect().left - bar.getBoundingClientRect().left - 16;
  }, [tab]);
  if (!current) return <Navigate to="/settings/business" replace />;
  const { Component } = current;
  return (
    <>
      <PageHeader title={`Settings · ${current.label}`} />
      <nav ref={nav} className="tabs" aria-label="Settings sections">
        {TABS.map((t) => (
          <NavLink key={t.id} to={`/settings/${t.id}`} className="tabs__tab">
            {t.label}
          </NavLink>
        ))}
      </nav>
      {current.adminOnly && !isAdmin ? (
        <EmptyState title={`Only admins and owners can see ${current.label.toLowerCase()}`}>
          Ask an admin of your organization if something here needs to change.
        </EmptyState>
      ) : (
        <Component />
      )}
    </>
  );
}
