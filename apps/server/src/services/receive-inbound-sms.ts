/**
 * A text to one of the organization's numbers (Twilio's messaging webhook). The message is stored
 * inbound and threaded on the prospect with that number (a new prospect, source `sms`, when there
 * is none). Opt-out keywords (Twilio's standard set: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT,
 * OPTOUT, REVOKE; the whole message, any case) put the number on the do-not-call list (source
 * `opt_out`) and mark the prospect do_not_call; START or UNSTOP lifts that opt-out again (only an
 * opt-out: numbers staff listed stay listed). Twilio retries a webhook: one row per MessageSid.
 */
import { messages, phoneNumbers, prospects } from '@switchboard/db';
import { and, eq } from 'drizzle-orm';
import type { ServiceDeps } from '../context.ts';
import { isUniqueViolation } from '../errors.ts';
import { addDoNotCall, removeDoNotCall } from './do-not-call.ts';
import { recordAudit } from './record-audit.ts';

export const OPT_OUT_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE'];
export const OPT_IN_WORDS = ['START', 'UNSTOP'];

export interface InboundSms {
  messageSid: string;
  /** E.164 of the sender and of our number. */
  from: string;
  to: string;
  body: string;
}

export type InboundSmsOutcome = 'stored' | 'opted_out' | 'opted_in' | 'duplicate' | 'unknown_number';

export function keywordOf(body: string): 'opt_out' | 'opt_in' | null {
  const word = body
    .trim()
    .replace(/[.!]+$/, '')
    .toUpperCase();
  if (OPT_OUT_WORDS.includes(word)) return 'opt_out';
  if (OPT_IN_WORDS.includes(word)) return 'opt_in';
  return null;
}

/** The organization that owns our number, or null when no organization registered it. */
export async function organizationOfNumber(deps: ServiceDeps, e164: string): Promise<string | null> {
  const [row] = await deps.db
    .select({ organizationId: phoneNumbers.organizationId })
    .from(phoneNumbers)
    .where(eq(phoneNumbers.e164, e164))
    .limit(1);
  return row?.organizationId ?? null;
}

export async function receiveInboundSms(
  deps: ServiceDeps,
  organizationId: string,
  sms: InboundSms,
): Promise<InboundSmsOutcome> {
  const keyword = keywordOf(sms.body);
  const now = deps.clock();
  const prospect = await deps.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: prospects.id, status: prospects.status })
      .from(prospects)
      .where(and(eq(prospects.organizationId, organizationId), eq(prospects.phone, sms.from)))
      .limit(1);
    if (existing) return existing;
    const [created] = await tx
      .insert(prospects)
      .values({
        organizationId,
        phone: sms.from,
        source: 'sms',
        status: keyword === 'opt_out' ? 'do_not_call' : 'new',
      })
      .onConflictDoNothing()
      .returning({ id: prospects.id, status: prospects.status });
    return created ?? null;
  });
  try {
    await deps.db.insert(messages).values({
      organizationId,
      prospectId: prospect?.id ?? null,
      direction: 'inbound',
      from: sms.from,
      to: sms.to,
      body: sms.body,
      status: 'received',
      providerSid: sms.messageSid,
    });
  } catch (error) {
    if (isUniqueViolation(error)) return 'duplicate';
    throw error;
  }
  if (keyword === null) return 'stored';

  const target = prospect ? { targetType: 'prospect', targetId: prospect.id } : {};
  if (keyword === 'opt_out') {
    const added = await addDoNotCall(deps.db, {
      organizationId,
      phone: sms.from,
      reason: 'Replied STOP to a text',
      source: 'opt_out',
    });
    if (prospect) await setStatus(deps, organizationId, prospect.id, 'do_not_call', now);
    if (added) await recordAudit(deps, { organizationId, action: 'do_not_call.opt_out', ...target });
    return 'opted_out';
  }
  const lifted = await removeDoNotCall(deps.db, { organizationId, phone: sms.from, source: 'opt_out' });
  if (lifted && prospect?.status === 'do_not_call')
    await setStatus(deps, organizationId, prospect.id, 'contacted', now);
  if (lifted) await recordAudit(deps, { organizationId, action: 'do_not_call.opt_in', ...target });
  return 'opted_in';
}

async function setStatus(
  deps: ServiceDeps,
  organizationId: string,
  id: string,
  status: 'do_not_call' | 'contacted',
  now: Date,
): Promise<void> {
  await deps.db
    .update(prospects)
    .set({ status, updatedAt: now })
    .where(and(eq(prospects.organizationId, organizationId), eq(prospects.id, id)));
}
