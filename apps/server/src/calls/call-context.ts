/**
 * What the database knows about a call's parties: its agent, and the other party as a
 * prospect with their last calls (given to the model as caller context). Queries are scoped by
 * the call's organization.
 */
import {
  agents,
  calls,
  type DbOrTx,
  organizations,
  preparedQuery,
  prospects,
  ReadCache,
} from '@switchboard/db';
import type { CallerContextMode } from '@switchboard/shared';
import type { CallerContext } from '@switchboard/voice';
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { AgentRow } from '../mappers/agents.ts';
import type { CallRow } from '../mappers/calls.ts';

const agentOfOrg = preparedQuery('agent_of_org', (db, name) =>
  db
    .select()
    .from(agents)
    .where(
      and(eq(agents.organizationId, sql.placeholder('organizationId')), eq(agents.id, sql.placeholder('id'))),
    )
    .limit(1)
    .prepare(name),
);

/**
 * A call reads its agent at its set-up, its end and its analysis, and its business once; on the
 * embedded database each is read once per change (@switchboard/db read-cache.ts). Frozen: shared.
 */
const agentRows = new ReadCache<AgentRow | null>(['agents', 'organizations']);
const businessRows = new ReadCache<{ timezone: string; name: string } | null>(['organizations']);

export async function loadAgent(
  db: DbOrTx,
  call: Pick<CallRow, 'organizationId' | 'agentId'>,
): Promise<AgentRow | null> {
  const { organizationId, agentId: id } = call;
  if (!id) return null;
  return agentRows.read(db, `${organizationId}/${id}`, async () => {
    const [agent] = await agentOfOrg(db).execute({ organizationId, id });
    return agent ?? null;
  });
}

const business = preparedQuery('business_name_and_zone', (db, name) =>
  db
    .select({ timezone: organizations.timezone, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, sql.placeholder('id')))
    .limit(1)
    .prepare(name),
);

/** The organization's name and time zone (the script's `{{business.name}}` and the agent's default zone). */
export async function loadBusiness(
  db: DbOrTx,
  organizationId: string,
): Promise<{ timezone: string; name: string } | null> {
  return businessRows.read(db, organizationId, async () => {
    const [row] = await business(db).execute({ id: organizationId });
    return row ?? null;
  });
}

const prospectOfOrg = preparedQuery('prospect_of_org', (db, name) =>
  db
    .select()
    .from(prospects)
    .where(
      and(
        eq(prospects.organizationId, sql.placeholder('organizationId')),
        eq(prospects.id, sql.placeholder('id')),
      ),
    )
    .limit(1)
    .prepare(name),
);

/**
 * A prospect's five latest calls other than this one: only what the caller context shows (a full
 * call row also carries its usage, latency and extraction).
 */
const previousCalls = preparedQuery('previous_calls_of_prospect', (db, name) =>
  db
    .select({
      createdAt: calls.createdAt,
      direction: calls.direction,
      disposition: calls.disposition,
      summary: calls.summary,
    })
    .from(calls)
    .where(
      and(
        eq(calls.organizationId, sql.placeholder('organizationId')),
        eq(calls.prospectId, sql.placeholder('prospectId')),
        ne(calls.id, sql.placeholder('callId')),
      ),
    )
    .orderBy(desc(calls.createdAt))
    .limit(5)
    .prepare(name),
);

/**
 * What the CRM knows about the other party: the prospect and their last calls. An inbound caller
 * is matched by caller ID alone, which can be spoofed: their context is marked unverified and,
 * with the agent's `callerContext: 'limited'` (the default), leaves out the email, the notes and
 * past call summaries (issue 11), so a spoofed number cannot have them read back. `full`
 * includes them, still marked unverified.
 */
export async function callerContext(
  db: DbOrTx,
  call: CallRow,
  mode: CallerContextMode = 'limited',
): Promise<CallerContext | null> {
  if (!call.prospectId) return null;
  const organizationId = call.organizationId;
  const [prospect] = await prospectOfOrg(db).execute({ organizationId, id: call.prospectId });
  if (!prospect) return null;
  const previous = await previousCalls(db).execute({
    organizationId,
    prospectId: prospect.id,
    callId: call.id,
  });
  const unverified = call.direction === 'inbound';
  const limited = unverified && mode === 'limited';
  return {
    name: prospect.contact,
    company: prospect.company,
    ...(prospect.email && !limited ? { email: prospect.email } : {}),
    status: prospect.status,
    ...(unverified ? { unverified: true } : {}),
    ...(limited ? {} : { notes: prospect.notes }),
    previousCalls: previous.map((c) => ({
      at: c.createdAt,
      direction: c.direction === 'outbound' ? ('outbound' as const) : ('inbound' as const),
      ...(c.disposition ? { disposition: c.disposition } : {}),
      ...(c.summary && !limited ? { summary: c.summary } : {}),
    })),
  };
}
