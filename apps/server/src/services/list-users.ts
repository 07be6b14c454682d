import { users } from '@switchboard/db';
import type { ListResponse } from '@switchboard/shared';
import { asc, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import type { UserRow } from '../mappers/users.ts';
import { pageOf } from '../sql.ts';

export async function listUsers(
  { db }: ServiceDeps,
  input: { organizationId: string; limit: number; offset: number },
): Promise<ListResponse<UserRow>> {
  const where = eq(users.organizationId, input.organizationId);
  return pageOf(
    db
      .select()
      .from(users)
      .where(where)
      .orderBy(asc(users.createdAt), asc(users.id))
      .limit(input.limit)
      .offset(input.offset),
    db.$count(users, where),
    input,
  );
}
