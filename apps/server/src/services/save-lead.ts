/**
 * Creates or updates the prospect a call is about (create_lead, book_appointment). The call's
 * prospect is updated when it has one; otherwise the organization's prospect with that phone
 * number; otherwise a new prospect is created (a phone number is required for that). Notes are
 * appended, never overwritten; an existing prospect's phone and email are never replaced (a
 * different value goes into the notes for review).
 */
import { prospects } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import type { ProspectRow } from '../mappers/prospects.ts';

export interface LeadInput {
  organizationId: string;
  /** The call's current prospect, if any. */
  prospectId: string | null;
  /** E.164, already normalised. */
  phone: string | null;
  name?: string | undefined;
  email?: string | undefined;
  company?: string | undefined;
  notes?: string | undefined;
  /** `source` of a new prospect. */
  source: string;
}

const MAX_NOTES = 10_000;

export async function saveLead(
  deps: ServiceDeps,
  input: LeadInput,
): Promise<{ prospect: ProspectRow; created: boolean }> {
  const { db } = deps;
  const byId = input.prospectId
    ? await find(deps, input.organizationId, eq(prospects.id, input.prospectId))
    : null;
  const existing =
    byId ?? (input.phone ? await find(deps, input.organizationId, eq(prospects.phone, input.phone)) : null);
  if (!existing) {
    if (!input.phone) {
      throw new AppError('validation_failed', 'A phone number is needed to save a new lead.', {
        reason: 'phone_required',
      });
    }
    try {
      const [row] = await db
        .insert(prospects)
        .values({
          organizationId: input.organizationId,
          phone: input.phone,
          contact: input.name ?? '',
          company: input.company ?? '',
          email: input.email ?? null,
          notes: (input.notes ?? '').slice(0, MAX_NOTES),
          source: input.source,
        })
        .returning();
      return { prospect: row!, created: true };
    } catch (error) {
      // A concurrent call saved the same number first: update that one.
      if (!isUniqueViolation(error)) throw error;
      return saveLead(deps, input);
    }
  }
  const patch: Partial<typeof prospects.$inferInsert> = { updatedAt: deps.clock() };
  if (input.name) patch.contact = input.name;
  if (input.company) patch.company = input.company;
  // The caller is not verified (caller ID can be spoofed, the model can be talked into anything):
  // contact details on file are never replaced by a tool, only filled in when empty; a different
  // value is left in the notes for a person to review.
  const review: string[] = [];
  if (input.email && !existing.email) patch.email = input.email;
  else if (input.email && input.email !== existing.email)
    review.push(`Caller gave another email: ${input.email} (not applied; please review).`);
  if (input.phone && input.phone !== existing.phone)
    review.push(`Caller gave another phone number: ${input.phone} (not applied; please review).`);
  const notes = [input.notes?.trim(), ...review].filter(
    (n): n is string => Boolean(n) && !existing.notes.includes(n!),
  );
  if (notes.length > 0) {
    patch.notes = [existing.notes, ...notes].filter(Boolean).join('\n').slice(0, MAX_NOTES);
  }
  const [row] = await db
    .update(prospects)
    .set(patch)
    .where(and(eq(prospects.organizationId, input.organizationId), eq(prospects.id, existing.id)))
    .returning();
  return { prospect: row ?? existing, created: false };
}

async function find(
  { db }: ServiceDeps,
  organizationId: string,
  condition: ReturnType<typeof eq>,
): Promise<ProspectRow | null> {
  const [row] = await db
    .select()
    .from(prospects)
    .where(and(eq(prospects.organizationId, organizationId), condition))
    .limit(1);
  return row ?? null;
}
