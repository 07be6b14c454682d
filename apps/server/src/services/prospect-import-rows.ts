import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { createProspectSchema, type ImportField, type ImportResult, toE164 } from '@switchboard/shared';
import type { ServiceDeps } from '../context.ts';
import { isSafeString } from '../http/safe-strings.ts';
import { toIssues } from '../validation.ts';
import type { CreateProspectData } from './create-prospect.ts';
import { phoneCountryOf } from './get-business-profile.ts';
import { phoneMessage } from './normalize-phone.ts';
import { mapImportRow } from './prospect-import-columns.ts';

export interface ImportCandidate {
  /** 1-based position in `rows`. */
  row: number;
  data: CreateProspectData;
  /** Fields the row actually had: an update touches only these. */
  present: ImportField[];
}

/** Validation work between two yields to the event loop, ms (live calls' audio must not wait). */
const VALIDATE_SLICE_MS = 2;

/** A function that yields to the event loop once `sliceMs` of work has run since its last yield. */
export function timeSlicer(sliceMs: number): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < sliceMs) return;
    await yieldToEventLoop();
    since = performance.now();
  };
}

/**
 * Validates every row on its own: the valid ones become candidates (phone as E.164, read in the
 * organization's country), the others errors naming the 1-based row and the field. Yields to the
 * event loop after every VALIDATE_SLICE_MS of work; a cell with a NUL byte or an unpaired surrogate fails its
 * row only.
 */
export async function validateImportRows(
  deps: ServiceDeps,
  organizationId: string,
  rows: Record<string, unknown>[],
  source: string,
): Promise<{ candidates: ImportCandidate[]; errors: ImportResult['errors'] }> {
  const candidates: ImportCandidate[] = [];
  const errors: ImportResult['errors'] = [];
  const country = await phoneCountryOf(deps.db, organizationId);
  const slice = timeSlicer(VALIDATE_SLICE_MS);
  for (const [index, raw] of rows.entries()) {
    await slice();
    const row = index + 1;
    const unsafe = Object.entries(raw ?? {}).find(([, v]) => typeof v === 'string' && !isSafeString(v));
    if (unsafe) {
      errors.push({ row, field: unsafe[0], message: 'must not contain NUL bytes or unpaired surrogates' });
      continue;
    }
    const { values, invalid } = mapImportRow(raw);
    for (const problem of invalid) errors.push({ row, ...problem });
    if (invalid.length) continue;
    if (values.phone === undefined) {
      errors.push({ row, field: 'phone', message: 'is required (no phone column or empty cell)' });
      continue;
    }
    const parsed = createProspectSchema.safeParse({ source, ...values });
    if (!parsed.success) {
      for (const issue of toIssues(parsed.error))
        errors.push({ row, field: issue.path, message: issue.message });
      continue;
    }
    const phone = toE164(parsed.data.phone, country);
    if (!phone) {
      errors.push({ row, field: 'phone', message: phoneMessage(country) });
      continue;
    }
    candidates.push({ row, data: { ...parsed.data, phone }, present: Object.keys(values) as ImportField[] });
  }
  return { candidates, errors };
}
