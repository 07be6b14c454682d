import { organizations, users } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import type { AuthContext } from '../auth/roles.ts';
import type { ServiceDeps } from '../context.ts';
import { notFound } from '../errors.ts';
import type { OrganizationRow, UserRow } from '../mappers/users.ts';

/** The organization and (for sessions) the user behind an authenticated request. */
export async function getPrincipal(
  { db }: ServiceDeps,
  auth: AuthContext,
): Promise<{ organization: OrganizationRow; user: UserRow | null }> {
  const [organization] = await db
    .select()
    .from(organizations)
    .where(eq(organizations.id, auth.organizationId))
    .limit(1);
  if (!organization) throw notFound('Organization');
  if (!auth.userId) return { organization, user: null };
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, auth.userId), eq(users.organizationId, auth.organizationId)))
    .limit(1);
  return { organization, user: user ?? null };
}
