/**
 * The voice webhook of an inbound call (or of an outbound call being answered): find which
 * organization and agent the call belongs to and make sure a call row exists. Idempotent on the
 * Twilio CallSid, because Twilio may retry a webhook.
 */
import {
  agents,
  calls,
  type DbOrTx,
  phoneNumbers,
  preparedQuery,
  prospects,
  ReadCache,
} from '@switchboard/db';
import type { CallStatus } from '@switchboard/shared';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { createCall, type RecordDeps } from '../call-record/update-call.ts';
import type { CallRow } from '../mappers/calls.ts';

export interface InboundWebhook {
  callSid: string;
  from: string;
  to: string;
  callStatus: CallStatus;
}

const numberOwner = preparedQuery('number_owner', (db, name) =>
  db
    .select({ organizationId: phoneNumbers.organizationId, agentId: phoneNumbers.agentId })
    .from(phoneNumbers)
    .where(eq(phoneNumbers.e164, sql.placeholder('e164')))
    .limit(1)
    .prepare(name),
);

/**
 * Read once per change on the embedded database (@switchboard/db read-cache.ts). Frozen: shared.
 * `agents` too: deleting a number's agent clears its `agent_id` (the foreign key's ON DELETE).
 */
const numberOwners = new ReadCache<{ organizationId: string; agentId: string | null } | null>([
  'phone_numbers',
  'agents',
  'organizations',
]);

/** The organization that owns the dialled number, or null when no organization does. */
export async function findNumberOwner(
  { db }: { db: DbOrTx },
  e164: string,
): Promise<{ organizationId: string; agentId: string | null } | null> {
  return numberOwners.read(db, e164, async () => {
    const [row] = await numberOwner(db).execute({ e164 });
    return row ?? null;
  });
}

const callBySid = preparedQuery('call_by_sid', (db, name) =>
  db
    .select()
    .from(calls)
    .where(eq(calls.providerCallSid, sql.placeholder('sid')))
    .limit(1)
    .prepare(name),
);

export async function findCallBySid({ db }: { db: DbOrTx }, callSid: string): Promise<CallRow | null> {
  const [row] = await callBySid(db).execute({ sid: callSid });
  return row ?? null;
}

const prospectByPhone = preparedQuery('prospect_by_phone', (db, name) =>
  db
    .select({ id: prospects.id })
    .from(prospects)
    .where(
      and(
        eq(prospects.organizationId, sql.placeholder('organizationId')),
        eq(prospects.phone, sql.placeholder('phone')),
      ),
    )
    .limit(1)
    .prepare(name),
);

/**
 * Creates the inbound call row (or returns the existing one for a retried webhook).
 * `unknownSid`: the caller has just looked the CallSid up and found no call (saves the lookup;
 * a concurrent retry that wins the insert is still handled).
 */
export async function startInboundCall(
  deps: RecordDeps,
  input: InboundWebhook & { organizationId: string; agentId: string | null },
  options: { unknownSid?: boolean } = {},
): Promise<CallRow> {
  const existing = options.unknownSid ? null : await findCallBySid(deps, input.callSid);
  if (existing) return existing;
  const { db } = deps;
  const agentId = input.agentId ?? (await defaultAgentId(db, input.organizationId));
  const [prospect] = await prospectByPhone(db).execute({
    organizationId: input.organizationId,
    phone: input.from,
  });
  const row = await createCall(deps, {
    organizationId: input.organizationId,
    direction: 'inbound',
    from: input.from,
    to: input.to,
    status: input.callStatus,
    providerCallSid: input.callSid,
    agentId,
    prospectId: prospect?.id ?? null,
    startedAt: deps.clock(),
  });
  // A concurrent retry of the same webhook won the insert: use its row.
  return row ?? (await findCallBySid(deps, input.callSid))!;
}

const defaultAgent = preparedQuery('default_agent_of_org', (db, name) =>
  db
    .select({ id: agents.id })
    .from(agents)
    .where(eq(agents.organizationId, sql.placeholder('organizationId')))
    .orderBy(desc(agents.isDefault), asc(agents.createdAt))
    .limit(1)
    .prepare(name),
);

async function defaultAgentId(db: DbOrTx, organizationId: string): Promise<string | null> {
  const [agent] = await defaultAgent(db).execute({ organizationId });
  return agent?.id ?? null;
}
