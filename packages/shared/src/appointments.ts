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
  createdAt: z.string(),
});
export type Appointment = z.infer<typeof appointmentSchema>;

export const listAppointmentsQuerySchema = paginationSchema.extend({
  from: isoDateTimeSchema.optional(),
  to: isoDateTimeSchema.optional(),
  prospectId: uuidSchema.optional(),
  status: z.enum(['confirmed', 'cancelled']).optional(),
});

export const createAppointmentSchema = z.strictObject({
  start: isoDateTimeSchema,
  durationMinutes: z.number().int().min(5).max(480).default(30),
  title: z.string().trim().min(1).max(200),
  prospectId: uuidSchema.nullable().optional(),
  notes: z.string().max(5000).default(''),
});
