import { z } from 'zod';
import { paginationSchema } from './common.ts';

export const ROLES = ['owner', 'admin', 'agent', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** What each role may do; enforced on every route by the server. */
export const ROLE_RANK: Record<Role, number> = { viewer: 0, agent: 1, admin: 2, owner: 3 };

export const loginRequestSchema = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(256),
});

export const userSchema = z.object({
  id: z.string(),
  organizationId: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
  disabled: z.boolean(),
  /** The password was generated or reset by someone else: the dashboard asks for a new one first. */
  mustChangePassword: z.boolean(),
});
export type User = z.infer<typeof userSchema>;

/** `POST /api/auth/register` (only with ALLOW_SIGNUP=true): a new organization and its owner. */
export const registerRequestSchema = z.strictObject({
  organizationName: z.string().trim().min(1, 'is required').max(200),
  name: z.string().trim().min(1, 'is required').max(200),
  email: z.email('must be a valid email address').max(254),
  password: z.string().min(10, 'must be at least 10 characters').max(256),
});
export type RegisterRequest = z.input<typeof registerRequestSchema>;

export const loginResponseSchema = z.object({ token: z.string(), user: userSchema, expiresAt: z.string() });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** `POST /api/auth/ticket`: a single-use ticket (60 s) for `?ticket=` on /api/events and /api/browser-call. */
export const ticketResponseSchema = z.object({
  ticket: z.string().describe('Single-use, valid 60 s; pass as `?ticket=`'),
  expiresAt: z.string(),
});
export type TicketResponse = z.infer<typeof ticketResponseSchema>;

export const createUserSchema = z.strictObject({
  email: z.email().max(254),
  name: z.string().max(200).default(''),
  password: z.string().min(10, 'must be at least 10 characters').max(256),
  role: roleSchema,
});
export const updateUserSchema = z.strictObject({
  name: z.string().max(200).optional(),
  role: roleSchema.optional(),
  password: z.string().min(10).max(256).optional(),
  disabled: z.boolean().optional(),
});

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;
export const createApiKeySchema = z.strictObject({
  name: z.string().min(1).max(100),
  role: roleSchema.exclude(['owner']).default('viewer'),
});
/** Returned once at creation: `key` is never shown again. */
export const createdApiKeySchema = apiKeySchema.extend({ key: z.string() });

export const organizationSchema = z.object({ id: z.string(), name: z.string(), timezone: z.string() });
export type Organization = z.infer<typeof organizationSchema>;

/** `GET /api/auth/me`: who the bearer token belongs to (`user` is null for an API key). */
export const meResponseSchema = z.object({
  user: userSchema.nullable(),
  organization: organizationSchema,
  role: roleSchema,
  via: z.enum(['session', 'api_key']),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

export const listUsersQuerySchema = paginationSchema;
export const listApiKeysQuerySchema = paginationSchema;

/** `POST /api/auth/password`: the signed-in user changes their own password. */
export const changePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1, 'is required').max(256),
  newPassword: z.string().min(10, 'must be at least 10 characters').max(256),
});
export type ChangePasswordRequest = z.input<typeof changePasswordSchema>;

/** `PATCH /api/auth/me`: the signed-in user's own profile. */
export const updateProfileSchema = z.strictObject({
  name: z.string().trim().max(200),
});

/** `POST /api/users/:id/reset-password`: a one-time password, shown once; the next sign-in must change it. */
export const resetPasswordResponseSchema = z.object({ user: userSchema, password: z.string() });
