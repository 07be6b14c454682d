import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { IMPORT_MAX_ROWS, importProspectsSchema, importRowSchema } from '@switchboard/shared';
import { z } from 'zod';
import { parse } from '../validation.ts';

type ImportBody = z.output<typeof importProspectsSchema>;

/** Rows checked between two yields to the event loop (a row's check costs ≈ 1–3 µs). */
const ROWS_PER_SLICE = 500;

/** The body with its rows unchecked (each is checked on its own below). */
const envelopeSchema = importProspectsSchema.extend({
  rows: z.array(z.unknown()).min(1).max(IMPORT_MAX_ROWS),
});

/**
 * `POST /api/prospects/import`'s body, validated like `parse(importProspectsSchema, raw)` without
 * holding the event loop for the whole of it: the envelope (onDuplicate, source, unknown keys,
 * the number of rows) first, then the rows ROWS_PER_SLICE at a time with a yield between two.
 * The answer is the same as the one-go parse: the same output, and on any problem the one-go
 * parse is run to throw exactly its 400 (all issues, in its order), which only a malformed
 * request pays for.
 */
export async function parseImportBody(raw: unknown): Promise<ImportBody> {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return parse(importProspectsSchema, raw);
  const input = envelope.data.rows;
  const rows: ImportBody['rows'] = [];
  for (let i = 0; i < input.length; i++) {
    if (i > 0 && i % ROWS_PER_SLICE === 0) await yieldToEventLoop();
    const row = importRowSchema.safeParse(input[i]);
    if (!row.success) return parse(importProspectsSchema, raw);
    rows.push(row.data);
  }
  return { ...envelope.data, rows };
}
