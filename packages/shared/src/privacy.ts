import { z } from 'zod';
import { appointmentSchema } from './appointments.ts';
import { callDetailSchema } from './calls.ts';
import { phoneInputSchema } from './common.ts';
import { messageSchema } from './messages.ts';
import { prospectSchema } from './prospects.ts';

/** `GET /api/prospects/:id/export`: everything held about the person, as one JSON document. */
export const personExportSchema = z.object({
  exportedAt: z.string(),
  organization: z.object({ id: z.string(), name: z.string() }),
  prospect: prospectSchema,
  /** Calls with their transcripts, timeline events (tool calls, extracted data) and summaries. */
  calls: z.array(callDetailSchema),
  messages: z.array(messageSchema),
  appointments: z.array(appointmentSchema),
  /** Links to call recordings (Twilio's, or the server's own). */
  recordings: z.array(z.object({ callId: z.string(), url: z.string() })),
  doNotCall: z.object({ listed: z.boolean(), since: z.string().nullable(), source: z.string().nullable() }),
});
export type PersonExport = z.infer<typeof personExportSchema>;

/** `POST /api/privacy/erase`: a phone number, an email, or both (the same person). */
export const eraseRequestSchema = z
  .strictObject({
    phone: phoneInputSchema.optional(),
    email: z.email('must be a valid email address').max(254).optional(),
  })
  .refine((v) => v.phone !== undefined || v.email !== undefined, {
    message: 'give a phone number or an email',
  });
export type EraseRequest = z.input<typeof eraseRequestSchema>;

export const eraseResultSchema = z.object({
  erased: z.object({
    prospects: z.number().int(),
    calls: z.number().int(),
    transcriptSegments: z.number().int(),
    callEvents: z.number().int(),
    messages: z.number().int(),
    appointments: z.number().int(),
    doNotCall: z.number().int(),
    recordingFiles: z.number().int(),
    scrubbedRows: z.number().int(),
    calendarEventsCancelled: z.number().int(),
    calendarEventsFailed: z.number().int(),
  }),
});
export type EraseResult = z.infer<typeof eraseResultSchema>;

/** `GET /api/organization/retention` (optionally with unsaved day counts): what the daily job removes. */
export const retentionPreviewQuerySchema = z.object({
  recordingsDays: z.coerce.number().int().min(1).max(3650).optional(),
  transcriptsDays: z.coerce.number().int().min(1).max(3650).optional(),
});
export const retentionReportSchema = z.object({
  dryRun: z.boolean(),
  recordingsDays: z.number().nullable(),
  transcriptsDays: z.number().nullable(),
  /** Calls whose transcript is (or would be) removed, and the segments. */
  transcripts: z.object({
    calls: z.number().int(),
    segments: z.number().int(),
    before: z.string().nullable(),
  }),
  /** Calls whose recording is (or would be) removed. */
  recordings: z.object({ calls: z.number().int(), files: z.number().int(), before: z.string().nullable() }),
});
export type RetentionReport = z.infer<typeof retentionReportSchema>;
