/**
 * First start: with no organization yet, create one with an owner (ADMIN_EMAIL /
 * ADMIN_PASSWORD, or a generated password returned once so main.ts can print it) and the
 * default "Receptionist" agent. Every start: when TWILIO_PHONE_NUMBER is set but not routed,
 * route it to the default agent. Idempotent, and safe when several processes start at once.
 */
import { agents, type DbOrTx, organizations, phoneNumbers, users } from '@switchboard/db';
import { and, asc, eq, sql } from 'drizzle-orm';
import { generatePassword, hashPassword } from './auth/passwords.ts';
import { DEFAULT_AGENT } from './bootstrap-agent.ts';
import type { Config } from './config.ts';
import type { ServiceDeps } from './context.ts';
import { createAgent } from './services/create-agent.ts';

export interface BootstrapResult {
  organizationId: string;
  /** Set on the first start only: the owner account that was created. */
  createdOwner?: {
    email: string;
    /** Present when ADMIN_PASSWORD was unset: shown once, never stored in clear. */
    generatedPassword?: string;
  };
  /** The configured Twilio number, when this start routed it to the default agent. */
  boundPhoneNumber?: string;
}

async function firstOrganization(db: DbOrTx): Promise<string | undefined> {
  const [org] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .orderBy(asc(organizations.createdAt), asc(organizations.id))
    .limit(1);
  return org?.id;
}

/** Routes `e164` to the organization's default agent unless it is already registered with an agent. */
async function bindConfiguredNumber(tx: DbOrTx, organizationId: string, e164: string): Promise<boolean> {
  const [agent] = await tx
    .select({ id: agents.id })
    .from(agents)
    .where(and(eq(agents.organizationId, organizationId), eq(agents.isDefault, true)))
    .limit(1);
  if (!agent) return false;
  const [existing] = await tx.select().from(phoneNumbers).where(eq(phoneNumbers.e164, e164)).limit(1);
  if (!existing) {
    await tx.insert(phoneNumbers).values({ organizationId, e164, label: 'Twilio', agentId: agent.id });
    return true;
  }
  if (existing.agentId || existing.organizationId !== organizationId) return false;
  await tx.update(phoneNumbers).set({ agentId: agent.id }).where(eq(phoneNumbers.id, existing.id));
  return true;
}

export async function bootstrap(
  deps: ServiceDeps,
  config: Pick<Config, 'admin' | 'twilio'>,
): Promise<BootstrapResult> {
  const generatedPassword = config.admin.password ? undefined : generatePassword();
  // Hash before taking the lock (argon2 is slow); wasted only when another process won the race.
  const passwordHash = (await firstOrganization(deps.db))
    ? undefined
    : await hashPassword(config.admin.password ?? generatedPassword!);

  return deps.db.transaction(async (tx) => {
    // Serialise concurrent first starts (several processes on one Postgres).
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('switchboard_bootstrap'))`);
    let organizationId = await firstOrganization(tx);
    const result: Partial<BootstrapResult> = {};
    if (!organizationId) {
      const [org] = await tx.insert(organizations).values({ name: 'My Company' }).returning();
      organizationId = org!.id;
      await tx.insert(users).values({
        organizationId,
        email: config.admin.email,
        name: 'Owner',
        passwordHash: passwordHash ?? (await hashPassword(config.admin.password ?? generatedPassword!)),
        role: 'owner',
        mustChangePassword: generatedPassword !== undefined,
      });
      await createAgent({ ...deps, db: tx }, { organizationId, data: DEFAULT_AGENT });
      result.createdOwner = generatedPassword
        ? { email: config.admin.email, generatedPassword }
        : { email: config.admin.email };
      deps.log.info({ organizationId }, 'first start: organization, owner and default agent created');
    }
    const phone = config.twilio.phoneNumber;
    if (phone && (await bindConfiguredNumber(tx, organizationId, phone))) {
      result.boundPhoneNumber = phone;
      deps.log.info('TWILIO_PHONE_NUMBER routed to the default agent');
    }
    return { ...result, organizationId };
  });
}
