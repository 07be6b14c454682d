/**
 * What happens after an answered call (docs/post-call.md): a text model writes a summary, picks
 * the disposition and extracts the fields the agent defines in `postCall.extraction`.
 */
import { z } from 'zod';

export const EXTRACTION_FIELD_TYPES = ['string', 'number', 'boolean', 'enum'] as const;

/** One field the agent wants extracted from every answered call. */
export const extractionFieldSchema = z
  .strictObject({
    /** The key in `call.extraction` (snake_case or camelCase, ≤ 40 chars). */
    name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, 'letters, digits and _ (start with a letter)'),
    type: z.enum(EXTRACTION_FIELD_TYPES),
    description: z.string().max(500).default(''),
    /** The allowed values of an `enum` field. */
    options: z.array(z.string().min(1).max(100)).max(30).optional(),
  })
  .refine((f) => f.type !== 'enum' || (f.options?.length ?? 0) > 0, {
    message: 'an enum field needs options',
    path: ['options'],
  });
export type ExtractionField = z.infer<typeof extractionFieldSchema>;

export const postCallSchema = z.strictObject({
  /** Write a summary and a disposition after answered calls. */
  summary: z.boolean().default(true),
  extraction: z
    .array(extractionFieldSchema)
    .max(20)
    .refine((fields) => new Set(fields.map((f) => f.name)).size === fields.length, 'field names must differ')
    .default([]),
});
export type PostCall = z.infer<typeof postCallSchema>;
export const DEFAULT_POST_CALL: PostCall = postCallSchema.parse({});

/** Where a call's post-call analysis is: null for calls that get none (not answered). */
export const ANALYSIS_STATUSES = ['pending', 'done', 'failed'] as const;
export type AnalysisStatus = (typeof ANALYSIS_STATUSES)[number];

/** The call's cost in USD: model usage and telephony minutes (docs/post-call.md "Cost"). */
export const callCostSchema = z.object({ model: z.number(), telephony: z.number(), total: z.number() });
export type CallCost = z.infer<typeof callCostSchema>;
