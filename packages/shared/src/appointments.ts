import { z } from 'zod';
import { isoDateTimeSchema, paginationSchema, uuidSchema } from './common.ts';

export const appointmentSchema = z.object({
  id: z.string(),
  prospectId: z.string().nullable(),
  callId: z.string().nullable(),
  agentId: z.string().nullable(),
  start: z.string(),
  end: z.string(),
  timezone: z.string(),
  title: z.string(),
  status: z.enum(['confirmed', 'cancelled']),
  notes: z.string(),
  cancelReason: z.string().nullable(),
  /** Whether Google Calendar holds the event too. */
  synced: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Only in answers to a create/update that asked for a text (`notify`). */
  notification: z
    .object({ status: z.enum(['sent', 'failed', 'skipped']), message: z.string().optional() })
    .optional(),
});
export type Appointment = z.infer<typeof appointmentSchema>;

export const listAppointmentsQuerySchema = paginationSchema.extend({
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
  prospectId: uuidSchema.optional(),
  status: z.enum(['confirmed', 'cancelled']).optional(),
});

const durationSchema = z.number().int().min(5, 'at least 5 minutes').max(480, 'at most 8 hours');

/** `POST /api/appointments`: book by hand, under the same rules as the agent's tool. */
export const createAppointmentSchema = z.strictObject({
  start: isoDateTimeSchema,
  durationMinutes: durationSchema.default(30),
  title: z.string().trim().min(1).max(200),
  prospectId: uuidSchema.nullable().optional(),
  notes: z.string().max(5000).default(''),
  /** Text the prospect a confirmation (needs a prospect and Twilio). */
  notify: z.boolean().default(false),
});
export type CreateAppointment = z.input<typeof createAppointmentSchema>;

/**
 * `PATCH /api/appointments/:id`: reschedule (`start` and/or `durationMinutes`), cancel
 * (`status: "cancelled"` with an optional `cancelReason`), or edit `title`/`notes`.
 */
export const updateAppointmentSchema = z
  .strictObject({
    start: isoDateTimeSchema.optional(),
    durationMinutes: durationSchema.optional(),
    title: z.string().trim().min(1).max(200).optional(),
    notes: z.string().max(5000).optional(),
    status: z.literal('cancelled').optional(),
    cancelReason: z.string().trim().max(500).optional(),
    /** Text the prospect about the new time or the cancellation. */
    notify: z.boolean().default(false),
  })
  .refine((v) => v.cancelReason === undefined || v.status === 'cancelled', {
    message: 'cancelReason goes with status "cancelled"',
    path: ['cancelReason'],
  })
  .refine((v) => v.status !== 'cancelled' || (v.start === undefined && v.durationMinutes === undefined), {
    message: 'cancel or reschedule, not both',
    path: ['status'],
  });
export type UpdateAppointment = z.input<typeof updateAppointmentSchema>;
