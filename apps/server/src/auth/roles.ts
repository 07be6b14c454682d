import { ROLE_RANK, type Role } from '@switchboard/shared';

/** Who is calling: set on `request.auth` for every authenticated route. */
export interface AuthContext {
  organizationId: string;
  role: Role;
  /** Set when the caller signed in (JWT session). */
  userId?: string;
  /** Set when the caller used an API key. */
  apiKeyId?: string;
  /** The session's token version and id, when the caller signed in (to re-check it later). */
  session?: { tokenVersion: number; sessionId?: string | undefined };
}

/** True when `role` is at least `minimum` (viewer < agent < admin < owner). */
export function hasRole(role: Role, minimum: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}
