import { agents, organizations, phoneNumbers, users } from '@switchboard/db';
import { createTestDatabase, type TestDatabase } from '@switchboard/db/testing';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionTokens } from './auth/session-token.ts';
import { bootstrap } from './bootstrap.ts';
import { parseConfig } from './config.ts';
import { loginUser } from './services/login-user.ts';
import { TEST_APP_SECRET, testDbKinds } from './testing/test-app.ts';

const kinds = await testDbKinds();
const log = pino({ level: 'silent' });

describe.each(kinds)('bootstrap on %s', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  const run = (db: TestDatabase, env: Record<string, string> = {}) =>
    bootstrap(
      { db: db.db, log, clock: () => new Date() },
      parseConfig({ APP_SECRET: TEST_APP_SECRET, ...env }),
    );

  it('creates organization, owner with a generated password and the default agent once', async () => {
    database = await createTestDatabase(kind);
    const first = await run(database);
    const password = first.createdOwner?.generatedPassword;
    expect(first.createdOwner?.email).toBe('admin@example.com');
    expect(password).toMatch(/^[\w-]{24}$/);

    const sessions = createSessionTokens(TEST_APP_SECRET);
    const login = await loginUser(
      { db: database.db, sessions },
      { email: 'admin@example.com', password: password! },
      new Date(),
    );
    expect(login.ok).toBe(true);
    const [owner] = await database.db.select().from(users);
    expect(owner?.role).toBe('owner');
    expect(owner?.mustChangePassword).toBe(true);
    expect(owner?.passwordHash).toMatch(/^\$argon2id\$/);

    const [agent] = await database.db.select().from(agents);
    expect(agent).toMatchObject({
      name: 'Receptionist',
      isDefault: true,
      isDefaultOutbound: false,
      provider: 'openai',
      model: 'gpt-realtime',
    });
    // A neutral receptionist in the business's own name, not a fictional business.
    expect(agent?.greeting).toContain('{{business.name}}');
    expect(agent?.instructions).toContain('{{business.name}}');
    expect(`${agent?.greeting} ${agent?.instructions} ${agent?.companyBrief}`).not.toMatch(/Maple|Dental/);
    expect(agent?.tools).toEqual([
      'create_lead',
      'check_availability',
      'book_appointment',
      'send_sms',
      'transfer_call',
      'end_call',
    ]);

    const second = await run(database);
    expect(second).toEqual({ organizationId: first.organizationId });
    expect(await database.db.$count(organizations)).toBe(1);
    expect(await database.db.$count(users)).toBe(1);
    expect(await database.db.$count(agents)).toBe(1);
  });

  it('uses ADMIN_EMAIL and ADMIN_PASSWORD and never reports a password it did not generate', async () => {
    database = await createTestDatabase(kind);
    const result = await run(database, {
      ADMIN_EMAIL: 'Boss@Example.com',
      ADMIN_PASSWORD: 'my chosen password',
    });
    expect(result.createdOwner).toEqual({ email: 'boss@example.com' });
    const sessions = createSessionTokens(TEST_APP_SECRET);
    const login = await loginUser(
      { db: database.db, sessions },
      { email: 'boss@example.com', password: 'my chosen password' },
      new Date(),
    );
    expect(login.ok).toBe(true);
  });

  it('routes TWILIO_PHONE_NUMBER to the default agent on first and later starts', async () => {
    database = await createTestDatabase(kind);
    const first = await run(database, { TWILIO_PHONE_NUMBER: '+14155550500' });
    expect(first.boundPhoneNumber).toBe('+14155550500');
    const [agent] = await database.db.select().from(agents);
    expect(await database.db.select().from(phoneNumbers)).toMatchObject([
      { e164: '+14155550500', agentId: agent!.id },
    ]);
    // Already routed: nothing to do.
    expect((await run(database, { TWILIO_PHONE_NUMBER: '+14155550500' })).boundPhoneNumber).toBeUndefined();
    // A number configured later is routed on the next start.
    expect((await run(database, { TWILIO_PHONE_NUMBER: '(415) 555-0501' })).boundPhoneNumber).toBe(
      '+14155550501',
    );
    // An unrouted registered number gets routed; a number routed elsewhere is left alone.
    await database.db
      .update(phoneNumbers)
      .set({ agentId: null })
      .where(eq(phoneNumbers.e164, '+14155550501'));
    expect((await run(database, { TWILIO_PHONE_NUMBER: '+14155550501' })).boundPhoneNumber).toBe(
      '+14155550501',
    );
    expect(await database.db.$count(phoneNumbers)).toBe(2);
  });

  it('creates one organization when several processes start at once', async () => {
    database = await createTestDatabase(kind);
    const results = await Promise.all([run(database), run(database), run(database)]);
    expect(new Set(results.map((r) => r.organizationId)).size).toBe(1);
    expect(results.filter((r) => r.createdOwner).length).toBe(1);
    expect(await database.db.$count(organizations)).toBe(1);
  });
});
