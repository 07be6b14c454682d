import { calls, transcriptSegments } from '@switchboard/db';
import { FINAL_CALL_STATUSES, type ListResponse, type listCallsQuerySchema } from '@switchboard/shared';
import { and, desc, eq, exists, gte, inArray, lte, notInArray, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import type { CallRow } from '../mappers/calls.ts';
import { pageOf } from '../sql.ts';

export type ListCallsInput = { organizationId: string } & z.output<typeof listCallsQuerySchema>;

/**
 * `q` as tsquery terms: its words (letters and digits only, so no query syntax gets through),
 * each matching as a prefix. Every term must occur somewhere in the call's transcript.
 */
export function transcriptTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12).map((w) => `${w}:*`);
}

/**
 * The call log, newest first. `from`/`to` bound the creation time (inclusive); `live=true`
 * keeps calls whose status is not final yet; `q` keeps calls whose transcript matches (Postgres
 * full-text search, 'simple' configuration, served by the transcript_text_search_idx GIN index).
 */
export async function listCalls({ db }: ServiceDeps, input: ListCallsInput): Promise<ListResponse<CallRow>> {
  const conditions: SQL[] = [eq(calls.organizationId, input.organizationId)];
  if (input.direction) conditions.push(eq(calls.direction, input.direction));
  if (input.channel) conditions.push(eq(calls.channel, input.channel));
  if (input.status) conditions.push(eq(calls.status, input.status));
  if (input.agentId) conditions.push(eq(calls.agentId, input.agentId));
  if (input.disposition) conditions.push(eq(calls.disposition, input.disposition));
  if (input.prospectId) conditions.push(eq(calls.prospectId, input.prospectId));
  if (input.from) conditions.push(gte(calls.createdAt, new Date(input.from)));
  if (input.to) conditions.push(lte(calls.createdAt, new Date(input.to)));
  if (input.live === 'true') conditions.push(notInArray(calls.status, [...FINAL_CALL_STATUSES]));
  if (input.live === 'false') conditions.push(inArray(calls.status, [...FINAL_CALL_STATUSES]));
  for (const term of input.q ? transcriptTerms(input.q) : []) {
    conditions.push(
      exists(
        db
          .select({ one: sql`1` })
          .from(transcriptSegments)
          .where(
            and(
              eq(transcriptSegments.callId, calls.id),
              eq(transcriptSegments.organizationId, input.organizationId),
              sql`to_tsvector('simple', ${transcriptSegments.text}) @@ to_tsquery('simple', ${term})`,
            ),
          ),
      ),
    );
  }
  const where = and(...conditions);
  return pageOf(
    db
      .select()
      .from(calls)
      .where(where)
      .orderBy(desc(calls.createdAt), desc(calls.id))
      .limit(input.limit)
      .offset(input.offset),
    db.$count(calls, where),
    input,
  );
}
