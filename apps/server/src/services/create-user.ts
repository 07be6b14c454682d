import { users } from '@switchboard/db';
import type { Role } from '@switchboard/shared';
import { hashPassword } from '../auth/passwords.ts';
import type { ServiceDeps } from '../context.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import type { UserRow } from '../mappers/users.ts';

export interface CreateUserInput {
  organizationId: string;
  actorRole: Role;
  email: string;
  name: string;
  password: string;
  role: Role;
}

/** Adds a user to the organization. Only an owner may create another owner. Emails are unique installation-wide. */
export async function createUser({ db }: ServiceDeps, input: CreateUserInput): Promise<UserRow> {
  if (input.role === 'owner' && input.actorRole !== 'owner') {
    throw new AppError('forbidden', 'Only an owner can create owners');
  }
  const passwordHash = await hashPassword(input.password);
  try {
    const [row] = await db
      .insert(users)
      .values({
        organizationId: input.organizationId,
        email: input.email.trim().toLowerCase(),
        name: input.name,
        passwordHash,
        mustChangePassword: true,
        role: input.role,
      })
      .returning();
    return row!;
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', 'A user with this email already exists');
    throw error;
  }
}
