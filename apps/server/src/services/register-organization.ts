/**
 * Sign-up on an installation that hosts several businesses (ALLOW_SIGNUP=true): a new
 * organization with its owner and the default agent, in one transaction; the owner is signed in.
 * The email must be unused across the installation (409 otherwise).
 */
import { organizations, users } from '@switchboard/db';
import type { registerRequestSchema } from '@switchboard/shared';
import type { z } from 'zod';
import { hashPassword } from '../auth/passwords.ts';
import type { SessionTokens } from '../auth/session-token.ts';
import { DEFAULT_AGENT } from '../bootstrap-agent.ts';
import type { ServiceDeps } from '../context.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import type { UserRow } from '../mappers/users.ts';
import { createAgent } from './create-agent.ts';

export async function registerOrganization(
  deps: ServiceDeps & { sessions: SessionTokens },
  input: z.output<typeof registerRequestSchema>,
): Promise<{ user: UserRow; token: string; expiresAt: Date }> {
  const passwordHash = await hashPassword(input.password);
  const email = input.email.trim().toLowerCase();
  let user: UserRow;
  try {
    user = await deps.db.transaction(async (tx) => {
      const [org] = await tx.insert(organizations).values({ name: input.organizationName }).returning();
      const [owner] = await tx
        .insert(users)
        .values({ organizationId: org!.id, email, name: input.name, passwordHash, role: 'owner' })
        .returning();
      await createAgent({ ...deps, db: tx }, { organizationId: org!.id, data: DEFAULT_AGENT });
      return owner!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', 'An account with this email already exists.', { field: 'email' });
    }
    throw error;
  }
  const now = deps.clock();
  const { token, expiresAt } = await deps.sessions.sign(
    { userId: user.id, organizationId: user.organizationId, tokenVersion: user.tokenVersion },
    now,
  );
  return { user, token, expiresAt };
}
