import { z } from 'zod';
import { isoDateTimeSchema, paginationSchema, uuidSchema } from './common.ts';

/** One audit-log row: who did what to which record, from where. Details never hold personal data. */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  action: z.string(),
  actor: z.object({
    type: z.enum(['user', 'api_key', 'system']),
    id: z.string().nullable(),
    /** The user's email or the API key's name (null for the system or a deleted actor). */
    label: z.string().nullable(),
  }),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/**
 * `GET /api/audit` filters: `actor` (a user or API key id), `action` (exact, or a prefix ending
 * in `.` such as `appointment.`), `from`/`to` (creation time, inclusive).
 */
export const listAuditQuerySchema = paginationSchema.extend({
  actor: uuidSchema.optional(),
  action: z
    .string()
    .trim()
    .max(100)
    .regex(
      /^[a-z_]+(\.[a-z_]*)?$/,
      'must be an action such as prospect.create, or a prefix such as prospect.',
    )
    .optional(),
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
});
export type ListAuditQuery = z.input<typeof listAuditQuerySchema>;
