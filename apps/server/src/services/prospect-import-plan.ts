import type { ImportDuplicate, ImportResult } from '@switchboard/shared';
import type { CreateProspectData } from './create-prospect.ts';
import type { ImportCandidate } from './prospect-import-rows.ts';

export interface ImportPlan {
  /** New prospects by phone (E.164). */
  toCreate: Map<string, CreateProspectData>;
  /** Patches of existing prospects by id. */
  toUpdate: Map<string, Partial<CreateProspectData>>;
  counts: Pick<ImportResult, 'created' | 'updated' | 'skipped'>;
  /** Every row whose phone the organization already has, or that an earlier row of the file had. */
  duplicates: ImportDuplicate[];
}

function pick(data: CreateProspectData, fields: ImportCandidate['present']): Partial<CreateProspectData> {
  return Object.fromEntries(fields.map((field) => [field, data[field]]));
}

/**
 * Decides what an import does, without writing: a phone number the organization already has
 * (`existingIds`, phone → prospect id) or that appeared earlier in the file is skipped or
 * updated per `onDuplicate`; an update changes only the columns the row filled in. Pure.
 */
export function planImport(
  candidates: ImportCandidate[],
  existingIds: Map<string, string>,
  onDuplicate: 'skip' | 'update',
): ImportPlan {
  const planner = createPlanner(existingIds, onDuplicate);
  for (const candidate of candidates) planner.add(candidate);
  return planner.plan();
}

/** `planImport` with `slice()` awaited before every row (it yields to the event loop now and then). */
export async function planImportInSlices(
  candidates: ImportCandidate[],
  existingIds: Map<string, string>,
  onDuplicate: 'skip' | 'update',
  slice: () => Promise<void>,
): Promise<ImportPlan> {
  const planner = createPlanner(existingIds, onDuplicate);
  for (const candidate of candidates) {
    await slice();
    planner.add(candidate);
  }
  return planner.plan();
}

function createPlanner(existingIds: Map<string, string>, onDuplicate: 'skip' | 'update') {
  const toCreate = new Map<string, CreateProspectData>();
  const firstRow = new Map<string, number>();
  const toUpdate = new Map<string, Partial<CreateProspectData>>();
  const counts = { created: 0, updated: 0, skipped: 0 };
  const duplicates: ImportDuplicate[] = [];
  const add = ({ row, data, present }: ImportCandidate): void => {
    const existingId = existingIds.get(data.phone);
    const pending = toCreate.get(data.phone);
    if (existingId !== undefined) {
      duplicates.push({ row, phone: data.phone, reason: 'exists', existingId });
    } else if (pending !== undefined) {
      duplicates.push({ row, phone: data.phone, reason: 'repeated', firstRow: firstRow.get(data.phone) });
    }
    if (existingId === undefined && pending === undefined) {
      toCreate.set(data.phone, data);
      firstRow.set(data.phone, row);
    } else if (onDuplicate === 'skip') {
      counts.skipped++;
    } else if (pending) {
      Object.assign(pending, pick(data, present));
      counts.updated++;
    } else {
      toUpdate.set(existingId!, { ...toUpdate.get(existingId!), ...pick(data, present) });
      counts.updated++;
    }
  };
  const plan = (): ImportPlan => {
    counts.created = toCreate.size;
    return { toCreate, toUpdate, counts, duplicates };
  };
  return { add, plan };
}
