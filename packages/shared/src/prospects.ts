import { z } from 'zod';
import { isoDateTimeSchema, paginationSchema, phoneInputSchema, timezoneSchema } from './common.ts';

export const PROSPECT_STATUSES = [
  'new',
  'contacted',
  'qualified',
  'meeting_scheduled',
  'won',
  'lost',
  'do_not_call',
] as const;
export type ProspectStatus = (typeof PROSPECT_STATUSES)[number];
/** The basis on which the prospect may be called (docs/campaigns.md). */
export const CONSENT_BASES = ['none', 'express', 'written'] as const;
export type ConsentBasis = (typeof CONSENT_BASES)[number];

export const prospectSchema = z.object({
  id: z.string(),
  company: z.string(),
  contact: z.string(),
  phone: z.string(),
  email: z.string().nullable(),
  timezone: z.string().nullable(),
  status: z.enum(PROSPECT_STATUSES),
  notes: z.string(),
  source: z.string(),
  consent: z.enum(CONSENT_BASES),
  consentAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Prospect = z.infer<typeof prospectSchema>;

const fields = {
  company: z.string().trim().max(200),
  contact: z.string().trim().max(200),
  phone: phoneInputSchema,
  email: z.email('must be a valid email address').max(254).nullable(),
  timezone: timezoneSchema.nullable(),
  status: z.enum(PROSPECT_STATUSES),
  notes: z.string().max(10_000),
  source: z.string().trim().max(100),
  consent: z.enum(CONSENT_BASES),
  consentAt: isoDateTimeSchema.nullable().transform((v) => (v === null ? null : new Date(v))),
};

export const createProspectSchema = z.strictObject({
  company: fields.company.default(''),
  contact: fields.contact.default(''),
  phone: fields.phone,
  email: fields.email.optional(),
  timezone: fields.timezone.optional(),
  status: fields.status.default('new'),
  notes: fields.notes.default(''),
  source: fields.source.default('manual'),
  consent: fields.consent.default('none'),
  consentAt: fields.consentAt.optional(),
});
export type CreateProspect = z.input<typeof createProspectSchema>;

export const updateProspectSchema = z.strictObject(fields).partial();
export type UpdateProspect = z.input<typeof updateProspectSchema>;

export const PROSPECT_SORTS = ['createdAt', 'updatedAt', 'company', 'contact', 'status'] as const;

export const listProspectsQuerySchema = paginationSchema.extend({
  q: z.string().trim().max(200).optional(),
  status: z.enum(PROSPECT_STATUSES).optional(),
  source: z.string().max(100).optional(),
  consent: z.enum(CONSENT_BASES).optional(),
  sort: z.enum(PROSPECT_SORTS).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type ListProspectsQuery = z.input<typeof listProspectsQuerySchema>;

/** Rows one import may hold. */
export const IMPORT_MAX_ROWS = 5000;
/** One row of an import: header → cell (its fields are validated by the server, row by row). */
export const importRowSchema = z.record(z.string(), z.unknown());
/** Bulk import (the dashboard parses CSV and sends rows); each row is validated on its own. */
export const importProspectsSchema = z.strictObject({
  rows: z.array(importRowSchema).min(1).max(IMPORT_MAX_ROWS),
  /** What to do when a phone number already exists: skip the row or update the existing prospect. */
  onDuplicate: z.enum(['skip', 'update']).default('skip'),
  source: z.string().trim().max(100).default('csv'),
});
/** `POST /api/prospects/import?dryRun=true`: validate and predict, write nothing. */
export const importQuerySchema = z.strictObject({
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});
/** A row whose phone the organization already has (`exists`) or an earlier row of the file had (`repeated`). */
export const importDuplicateSchema = z.object({
  row: z.number().int(),
  phone: z.string(),
  reason: z.enum(['exists', 'repeated']),
  existingId: z.string().optional(),
  firstRow: z.number().int().optional(),
});
export type ImportDuplicate = z.infer<typeof importDuplicateSchema>;
export const importResultSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), field: z.string().optional(), message: z.string() })),
  duplicates: z.array(importDuplicateSchema).optional(),
  /** True when nothing was written (the counts are a prediction). */
  dryRun: z.boolean().optional(),
});
export type ImportResult = z.infer<typeof importResultSchema>;
