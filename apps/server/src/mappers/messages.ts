import type { messages } from '@switchboard/db';
import type { Message } from '@switchboard/shared';
import { iso } from './iso.ts';

export type MessageRow = typeof messages.$inferSelect;

export function toMessageJson(row: MessageRow): Message {
  return {
    id: row.id,
    callId: row.callId,
    prospectId: row.prospectId,
    direction: row.direction,
    from: row.from,
    to: row.to,
    body: row.body,
    status: row.status,
    providerSid: row.providerSid,
    error: row.error,
    createdAt: iso(row.createdAt),
  };
}
