/**
 * Test harness: a real app (buildApp) on a fresh test database of the given kind, driven with
 * `app.inject`. Build one per describe block (`beforeAll`) and give each test its own
 * organization with `seedOrg()`; organizations are isolated, so tests do not see each other.
 *
 *   const kinds = await testDbKinds();
 *   describe.each(kinds)('prospects on %s', (kind) => {
 *     let t: TestApp;
 *     beforeAll(async () => { t = await buildTestApp(kind); });
 *     afterAll(() => t.close());
 *     it('…', async () => {
 *       const org = await t.seedOrg();
 *       const res = await t.as(org.tokens.agent).post('/api/prospects', { phone: '+14155550100' });
 *     });
 *   });
 */
import { randomBytes } from 'node:crypto';
import { createDatabase, organizations, users } from '@switchboard/db';
import {
  createTestDatabase,
  TEST_PGLITE_THREAD,
  type TestDatabase,
  type TestDbKind,
  testDbKinds,
} from '@switchboard/db/testing';
import { ROLES, type Role } from '@switchboard/shared';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { buildApp } from '../app.ts';
import { hashPassword } from '../auth/passwords.ts';
import { DEFAULT_AGENT } from '../bootstrap-agent.ts';
import { parseConfig } from '../config.ts';
import { type AppContext, createContext, type Logger } from '../context.ts';
import { startWorkers } from '../jobs/workers.ts';
import type { AgentRow } from '../mappers/agents.ts';
import { createAgent } from '../services/create-agent.ts';

export { type TestDbKind, testDbKinds };

/** The password of every seeded user. */
export const TEST_PASSWORD = 'correct horse battery staple';
export const TEST_APP_SECRET = 'test-app-secret-0123456789abcdef0123456789abcdef';

export interface SeededUser {
  id: string;
  email: string;
  role: Role;
}

export interface SeededOrg {
  id: string;
  name: string;
  /** One user per role (owner, admin, agent, viewer), all with TEST_PASSWORD. */
  users: Record<Role, SeededUser>;
  /** A session token per role. */
  tokens: Record<Role, string>;
  /** The organization's default agent. */
  agent: AgentRow;
}

export interface Client {
  get(url: string): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

export interface TestApp {
  kind: TestDbKind;
  app: FastifyInstance;
  ctx: AppContext;
  database: TestDatabase;
  /** Creates an organization with one user per role and a default agent. */
  seedOrg(options?: { name?: string }): Promise<SeededOrg>;
  /** POST /api/auth/login. */
  login(email: string, password: string): Promise<LightMyRequestResponse>;
  /** Requests with `Authorization: Bearer <token>` (no header when token is undefined). */
  as(token: string | undefined): Client;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment for parseConfig (APP_SECRET and NODE_ENV=test are preset). */
  env?: Record<string, string>;
  log?: Logger;
  clock?: () => Date;
  /** Dashboard build to serve (default none, so tests do not depend on a web build). */
  dashboardDir?: string;
  /**
   * DATA_DIR for this app; with PGlite the database files live there too (`<dir>/pglite`) instead
   * of in memory, so a test can inspect them.
   */
  dataDir?: string;
  /** Runs after buildApp and before ready: add test-only routes here. */
  extend?: (app: FastifyInstance) => void | Promise<void>;
  /**
   * Start the job queue and this process's workers, as the server does (default false: the
   * queue then starts on first use, and jobs wait in the database with nothing running them).
   */
  jobs?: boolean;
}

let passwordHash: Promise<string> | undefined;

export async function buildTestApp(kind: TestDbKind, options: TestAppOptions = {}): Promise<TestApp> {
  const database =
    options.dataDir && kind === 'pglite'
      ? await createDatabase({ dataDir: options.dataDir, pgliteThread: TEST_PGLITE_THREAD })
      : await createTestDatabase(kind);
  if (options.dataDir && kind === 'pglite') await database.migrate();
  // Every test organization may use the fakes configured through the environment.
  const config = parseConfig({
    NODE_ENV: 'test',
    APP_SECRET: TEST_APP_SECRET,
    SHARE_ENV_CREDENTIALS: 'true',
    ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
    ...options.env,
  });
  const log = options.log ?? pino({ level: 'silent' });
  const ctx = createContext({ config, database, log, ...(options.clock ? { clock: options.clock } : {}) });
  const app = await buildApp(ctx, { dashboardDir: options.dashboardDir ?? null });
  try {
    await options.extend?.(app);
    await app.ready();
    if (options.jobs) {
      await ctx.jobs.start();
      await startWorkers(ctx);
    }
  } catch (error) {
    await app.close().catch(() => {});
    await ctx.jobs.stop({ timeoutMs: 1_000 }).catch(() => {});
    await database.close();
    throw error;
  }

  const as = (token: string | undefined): Client => {
    const send = (method: InjectOptions['method'], url: string, body?: unknown) =>
      app.inject({
        method,
        url,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
      });
    return {
      get: (url) => send('GET', url),
      delete: (url) => send('DELETE', url),
      post: (url, body) => send('POST', url, body),
      patch: (url, body) => send('PATCH', url, body),
      put: (url, body) => send('PUT', url, body),
    };
  };

  const seedOrg = async ({ name = 'Org' }: { name?: string } = {}): Promise<SeededOrg> => {
    passwordHash ??= hashPassword(TEST_PASSWORD);
    const hash = await passwordHash;
    const [org] = await ctx.db.insert(organizations).values({ name }).returning();
    const suffix = randomBytes(4).toString('hex');
    const seeded = {} as Record<Role, SeededUser>;
    const tokens = {} as Record<Role, string>;
    for (const role of ROLES) {
      const email = `${role}-${suffix}@example.test`;
      const [user] = await ctx.db
        .insert(users)
        .values({ organizationId: org!.id, email, name: `${role} ${suffix}`, passwordHash: hash, role })
        .returning();
      seeded[role] = { id: user!.id, email, role };
      tokens[role] = (
        await ctx.sessions.sign({ userId: user!.id, organizationId: org!.id, tokenVersion: 0 }, ctx.clock())
      ).token;
    }
    const agent = await createAgent(
      { db: ctx.db, log, clock: ctx.clock },
      // Tests were written with an agent booking in New York time; the shipped agent follows the organization.
      { organizationId: org!.id, data: { ...DEFAULT_AGENT, timezone: 'America/New_York' } },
    );
    return { id: org!.id, name, users: seeded, tokens, agent };
  };

  return {
    kind,
    app,
    ctx,
    database,
    seedOrg,
    login: (email, password) => as(undefined).post('/api/auth/login', { email, password }),
    as,
    close: async () => {
      await app.close();
      await ctx.jobs.stop({ timeoutMs: 1_000 });
      await database.close();
    },
  };
}
