import { type ListResponse, ROLES, type Role, type User } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { ApiError, api, itemsOf } from '../../api.ts';
import { hasRole, useAuth } from '../../auth.tsx';
import { ConfirmDialog, SelectField, TextField } from '../../components/form.tsx';
import {
  ActionError,
  ActionsHeader,
  Badge,
  EmptyState,
  ErrorState,
  Loading,
  Table,
} from '../../components/page.tsx';
import type { FieldErrors } from '../../lib/error-details.ts';
import { formatRelative, humanize } from '../../lib/format.ts';
import { useApi, useRowAction } from '../../lib/use-api.ts';

const ROLE_HELP: Record<Role, string> = {
  owner: 'Everything, including other owners',
  admin: 'Settings, agents, numbers, keys and the team',
  agent: 'Prospects, calls and appointments',
  viewer: 'Read only',
};

function Invite({ onAdded }: { onAdded: () => void }) {
  const { user } = useAuth();
  const [values, setValues] = useState({ email: '', name: '', password: '', role: 'agent' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (k: keyof typeof values) => (v: string) => setValues((s) => ({ ...s, [k]: v }));
  const roles = ROLES.filter((r) => r !== 'owner' || user?.role === 'owner');

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const local: FieldErrors = {};
    if (!values.email.trim()) local.email = 'Enter their email address';
    if (values.password.length < 10) local.password = 'Use at least 10 characters';
    setErrors(local);
    setDone(null);
    if (Object.keys(local).length) return;
    setError(null);
    try {
      await api.post('/api/users', { ...values, email: values.email.trim(), name: values.name.trim() });
      setDone(`${values.email.trim()} can now sign in. Share the password with them privately.`);
      setValues({ email: '', name: '', password: '', role: values.role });
      onAdded();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors);
      setError(err);
    }
  }

  return (
    <form className="card form" onSubmit={onSubmit} noValidate aria-labelledby="invite-title">
      <h2 id="invite-title">Add a team member</h2>
      <div className="form-grid">
        <TextField
          label="Email"
          type="email"
          value={values.email}
          onChange={set('email')}
          error={errors.email}
          autoComplete="off"
        />
        <TextField
          label="Name"
          value={values.name}
          onChange={set('name')}
          error={errors.name}
          autoComplete="off"
        />
        <TextField
          label="Initial password"
          type="password"
          value={values.password}
          onChange={set('password')}
          error={errors.password}
          hint="At least 10 characters"
          autoComplete="new-password"
        />
        <SelectField
          label="Role"
          value={values.role}
          onChange={set('role')}
          options={roles.map((r) => ({ value: r, label: `${humanize(r)} — ${ROLE_HELP[r]}` }))}
          error={errors.role}
        />
      </div>
      <ActionError error={error} />
      {done ? (
        <p className="alert alert--success" role="status">
          {done}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn--primary">
          Add member
        </button>
      </div>
    </form>
  );
}

export function Team() {
  const { user: me, isAdmin } = useAuth();
  const { data, error, reload } = useApi<ListResponse<User> | User[]>('/api/users?limit=200');
  const row = useRowAction(reload);
  const [removing, setRemoving] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [oneTime, setOneTime] = useState<{ email: string; password: string } | null>(null);

  const update = (u: User, body: Partial<Pick<User, 'role' | 'disabled'>>) =>
    row.run(() => api.patch(`/api/users/${u.id}`, body));
  const remove = (u: User) =>
    row.run(
      () => api.del(`/api/users/${u.id}`),
      () => setRemoving(null),
    );

  const resetPassword = (u: User) =>
    row.run(
      async () => {
        const res = await api.post<{ user: User; password: string }>(`/api/users/${u.id}/reset-password`);
        setOneTime({ email: u.email, password: res.password });
      },
      () => setResetting(null),
    );

  const users = itemsOf(data);
  // Only owners may hand out or take away the owner role.
  const canManage = (u: User) => isAdmin && u.id !== me?.id && (u.role !== 'owner' || hasRole(me, 'owner'));
  return (
    <>
      <section className="card" aria-labelledby="team-title">
        <h2 id="team-title">Team members</h2>
        {error && !data ? (
          <ErrorState error={error} onRetry={reload} what="team members" />
        ) : !data ? (
          <Loading />
        ) : users.length === 0 ? (
          <EmptyState title="No team members" />
        ) : (
          <Table
            head={
              <>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Last sign-in</th>
                {isAdmin ? <ActionsHeader /> : null}
              </>
            }
          >
            {users.map((u) => (
              <tr key={u.id} className={u.disabled ? 'row--muted' : undefined}>
                <td>
                  {u.name || '—'} {u.id === me?.id ? <span className="muted small">(you)</span> : null}
                  {u.disabled ? <Badge value="canceled" label="Disabled" /> : null}
                </td>
                <td>{u.email}</td>
                <td>
                  {canManage(u) ? (
                    <select
                      aria-label={`Role of ${u.email}`}
                      value={u.role}
                      onChange={(e) => update(u, { role: e.target.value as Role })}
                    >
                      {ROLES.filter((r) => r !== 'owner' || hasRole(me, 'owner')).map((r) => (
                        <option key={r} value={r}>
                          {humanize(r)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    humanize(u.role)
                  )}
                </td>
                <td>{u.lastLoginAt ? formatRelative(u.lastLoginAt) : 'Never'}</td>
                {isAdmin ? (
                  <td className="actions">
                    {canManage(u) ? (
                      <>
                        <button
                          type="button"
                          className="btn btn--small"
                          onClick={() => update(u, { disabled: !u.disabled })}
                          aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.email}`}
                        >
                          {u.disabled ? 'Enable' : 'Disable'}
                        </button>
                        <button
                          type="button"
                          className="btn btn--small"
                          onClick={() => setResetting(u)}
                          aria-label={`Reset the password of ${u.email}`}
                        >
                          Reset password
                        </button>
                        <button
                          type="button"
                          className="btn btn--small btn--danger-ghost"
                          onClick={() => setRemoving(u)}
                          aria-label={`Remove ${u.email}`}
                        >
                          Remove
                        </button>
                      </>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </Table>
        )}
        <ActionError error={row.error} />
        {oneTime ? (
          <div className="alert alert--success" role="status">
            <p>
              One-time password for <strong>{oneTime.email}</strong> (shown only now; share it privately —
              they choose their own at the next sign-in):
            </p>
            <code className="one-time-secret">{oneTime.password}</code>
            <button type="button" className="btn btn--small" onClick={() => setOneTime(null)}>
              Done
            </button>
          </div>
        ) : null}
      </section>
      {isAdmin ? <Invite onAdded={reload} /> : null}
      <ConfirmDialog
        open={!!removing}
        title={`Remove ${removing?.email ?? ''}?`}
        onClose={() => setRemoving(null)}
        onConfirm={() => removing && remove(removing)}
        confirmLabel="Remove member"
      >
        <p>They can no longer sign in. Their past activity stays in the records.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={!!resetting}
        title={`Reset the password of ${resetting?.email ?? ''}?`}
        onClose={() => setResetting(null)}
        onConfirm={() => resetting && resetPassword(resetting)}
        confirmLabel="Reset password"
      >
        <p>
          Their current password stops working. You get a one-time password to give them; they choose a new
          one when they sign in with it.
        </p>
      </ConfirmDialog>
    </>
  );
}
