/**
 * book_appointment {start, durationMinutes?, name, phone?, email?, notes?}: books a meeting for
 * the person on the call (saving them as the call's prospect first). `start` is ISO 8601 with an
 * offset. Double bookings, past times and times outside business hours are refused with a reason
 * (and free alternatives for a double booking); the confirmation is read back to the caller.
 */
import { phoneSchema } from '@switchboard/shared';
import type { ToolDefinition } from '@switchboard/voice';
import { z } from 'zod';
import { toAppointmentJson } from '../mappers/appointments.ts';
import { bookAppointment, spell } from '../services/book-appointment.ts';
import { emitWebhookEvent } from '../webhooks/emit.ts';
import type { CallToolContext, ToolDeps } from './context.ts';
import { saveCallLead } from './create-lead.ts';
import { forModel, spoken } from './failures.ts';

export const bookAppointmentParameters = z.object({
  start: z.iso
    .datetime({ offset: true, message: 'must be ISO 8601 with an offset, e.g. 2026-03-10T14:00:00-04:00' })
    .describe('Start time, ISO 8601 with the UTC offset.'),
  durationMinutes: z.number().int().min(5).max(480).default(30).describe('Length in minutes (default 30).'),
  name: z.string().trim().min(1).max(200).describe("The person's full name."),
  phone: phoneSchema.optional().describe('Their phone number, if it differs from the number of this call.'),
  email: z.email().max(254).optional(),
  notes: z.string().trim().max(2000).optional().describe('What the meeting is about.'),
});

export function bookAppointmentTool(
  deps: ToolDeps,
): ToolDefinition<typeof bookAppointmentParameters, CallToolContext> {
  return {
    name: 'book_appointment',
    description:
      'Book an appointment once the caller confirmed a time (check availability first). Returns a confirmation to read back.',
    hint: 'Book only after the caller confirmed a slot; use ISO 8601 times with the offset shown under "Current date and time".',
    parameters: bookAppointmentParameters,
    timeoutMs: 20_000,
    handler: async (args, ctx) => {
      // A lead without a phone number (a browser call) is still booked, just without a prospect.
      const lead = await saveCallLead(deps, ctx, {
        name: args.name,
        phone: args.phone,
        email: args.email,
        notes: args.notes,
      }).catch((error: unknown) => {
        if ((error as { details?: { reason?: string } }).details?.reason === 'phone_required') return null;
        throw error;
      });
      ctx.signal.throwIfAborted();
      const { appointment, timeZone, provider } = await forModel(
        bookAppointment(deps, {
          organizationId: ctx.organizationId,
          agentId: ctx.agentId,
          callId: ctx.callId,
          prospectId: lead?.prospect.id ?? null,
          start: new Date(args.start),
          durationMinutes: args.durationMinutes,
          title: `Meeting with ${args.name}`,
          notes: args.notes ?? '',
          signal: ctx.signal,
        }),
      );
      await emitWebhookEvent(deps, ctx.organizationId, 'appointment.booked', {
        appointment: toAppointmentJson(appointment),
        callId: ctx.callId,
      });
      return {
        booked: true,
        confirmation: appointment.id.slice(0, 8).toUpperCase(),
        appointmentId: appointment.id,
        ...spell(appointment, timeZone),
        timeZone,
        spoken: spoken(appointment.start, timeZone),
        calendar: provider,
      };
    },
  };
}
