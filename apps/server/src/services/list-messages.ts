import { messages } from '@switchboard/db';
import type { ListResponse, listMessagesQuerySchema } from '@switchboard/shared';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { ServiceDeps } from '../context.ts';
import type { MessageRow } from '../mappers/messages.ts';
import { pageOf } from '../sql.ts';

export type ListMessagesInput = { organizationId: string } & z.output<typeof listMessagesQuerySchema>;

/** Text messages, newest first, optionally for one prospect or one call. */
export async function listMessages(
  { db }: ServiceDeps,
  input: ListMessagesInput,
): Promise<ListResponse<MessageRow>> {
  const conditions: SQL[] = [eq(messages.organizationId, input.organizationId)];
  if (input.prospectId) conditions.push(eq(messages.prospectId, input.prospectId));
  if (input.callId) conditions.push(eq(messages.callId, input.callId));
  const where = and(...conditions);
  return pageOf(
    db
      .select()
      .from(messages)
      .where(where)
      .orderBy(desc(messages.createdAt), desc(messages.id))
      .limit(input.limit)
      .offset(input.offset),
    db.$count(messages, where),
    input,
  );
}
