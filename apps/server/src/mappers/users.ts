import type { apiKeys, organizations, users } from '@switchboard/db';
import type { ApiKey, User } from '@switchboard/shared';
import { iso, isoOrNull } from './iso.ts';

export type UserRow = typeof users.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type OrganizationRow = typeof organizations.$inferSelect;

/** The API shape of a user; never includes the password hash. */
export function toUserJson(row: UserRow): User {
  return {
    id: row.id,
    organizationId: row.organizationId,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: iso(row.createdAt),
    lastLoginAt: isoOrNull(row.lastLoginAt),
    disabled: row.disabledAt !== null,
    mustChangePassword: row.mustChangePassword,
  };
}

/** The API shape of an API key; never includes the key or its hash. */
export function toApiKeyJson(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdAt: iso(row.createdAt),
    lastUsedAt: isoOrNull(row.lastUsedAt),
    revokedAt: isoOrNull(row.revokedAt),
  };
}

export function toOrganizationJson(row: OrganizationRow): { id: string; name: string; timezone: string } {
  return { id: row.id, name: row.name, timezone: row.timezone };
}
