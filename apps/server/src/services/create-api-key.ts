import { apiKeys } from '@switchboard/db';
import type { Role } from '@switchboard/shared';
import { generateApiKey } from '../auth/api-key-token.ts';
import { hasRole } from '../auth/roles.ts';
import type { ServiceDeps } from '../context.ts';
import { AppError } from '../errors.ts';
import type { ApiKeyRow } from '../mappers/users.ts';

/**
 * Creates an API key and returns it with the plaintext `key`, which is never stored (only its
 * SHA-256) and never shown again. A key cannot carry more rights than its creator.
 */
export async function createApiKey(
  { db }: ServiceDeps,
  input: {
    organizationId: string;
    actorRole: Role;
    actorUserId: string | undefined;
    name: string;
    role: Role;
  },
): Promise<{ row: ApiKeyRow; key: string }> {
  if (!hasRole(input.actorRole, input.role)) {
    throw new AppError('forbidden', `You cannot create a key with the ${input.role} role`);
  }
  const { key, prefix, hash } = generateApiKey();
  const [row] = await db
    .insert(apiKeys)
    .values({
      organizationId: input.organizationId,
      name: input.name,
      prefix,
      keyHash: hash,
      role: input.role,
      createdBy: input.actorUserId ?? null,
    })
    .returning();
  return { row: row!, key };
}
