/**
 * The embedded database in its worker thread (`pgliteThread: 'worker'`) behaves as the in-thread
 * PGlite does: the same scenarios run on both.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDatabase, type Database, type PgliteThread } from './client.ts';
import { organizations, prospects } from './schema/index.ts';

async function open(thread: PgliteThread, dataDir?: string): Promise<Database> {
  const database = await createDatabase({ pgliteThread: thread, ...(dataDir ? { dataDir } : {}) });
  await database.migrate();
  return database;
}

function cause(error: unknown): Record<string, unknown> {
  const e = error as { cause?: unknown };
  return (e.cause ?? e) as Record<string, unknown>;
}

describe.each(['main', 'worker'] as const)('embedded database, thread %s', (thread) => {
  it('reads back what it wrote, timestamps and JSON included', async () => {
    const database = await open(thread);
    try {
      const [org] = await database.db.insert(organizations).values({ name: 'Acme' }).returning();
      expect(org?.createdAt).toBeInstanceOf(Date);
      await database.db
        .insert(prospects)
        .values({ organizationId: org!.id, phone: '+14155550100', contact: 'Ada' });
      const rows = await database.db.select().from(prospects).where(eq(prospects.organizationId, org!.id));
      expect(rows.map((r) => [r.phone, r.contact, r.status])).toEqual([['+14155550100', 'Ada', 'new']]);
      const raw = await database.db.execute(sql`select ${'x'}::text as v, 2::int as n`);
      expect((raw as unknown as { rows: unknown[] }).rows).toEqual([{ v: 'x', n: 2 }]);
    } finally {
      await database.close();
    }
  });

  it('reports a constraint violation with its Postgres code', async () => {
    const database = await open(thread);
    try {
      const [org] = await database.db.insert(organizations).values({ name: 'Acme' }).returning();
      await database.db.insert(prospects).values({ organizationId: org!.id, phone: '+14155550100' });
      const error = await database.db
        .insert(prospects)
        .values({ organizationId: org!.id, phone: '+14155550100' })
        .catch((e: unknown) => e);
      expect(cause(error).code).toBe('23505');
      expect(String(cause(error).constraint)).toMatch(/phone/);
      // The session is usable afterwards.
      expect(await database.db.select().from(prospects)).toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it('commits, rolls back, and keeps a savepoint apart', async () => {
    const database = await open(thread);
    try {
      await database.db.transaction(async (tx) => {
        await tx.insert(organizations).values({ name: 'kept' });
        await tx
          .transaction(async (inner) => {
            await inner.insert(organizations).values({ name: 'inner, rolled back' });
            inner.rollback();
          })
          .catch(() => {});
      });
      await database.db
        .transaction(async (tx) => {
          await tx.insert(organizations).values({ name: 'thrown away' });
          throw new Error('boom');
        })
        .catch(() => {});
      await database.db
        .transaction(async (tx) => {
          await tx.insert(organizations).values({ name: 'rolled back' });
          tx.rollback();
        })
        .catch(() => {});
      const names = (await database.db.select().from(organizations)).map((o) => o.name);
      expect(names).toEqual(['kept']);
    } finally {
      await database.close();
    }
  });

  it('makes a statement outside an open transaction wait for its end', async () => {
    const database = await open(thread);
    try {
      const order: string[] = [];
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const tx = database.db.transaction(async (t) => {
        await t.insert(organizations).values({ name: 'in tx' });
        order.push('tx wrote');
        await held;
        order.push('tx ends');
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const outside = database.db
        .select()
        .from(organizations)
        .then((rows) => {
          order.push(`outside saw ${rows.length}`);
        });
      await new Promise((resolve) => setTimeout(resolve, 20));
      release();
      await Promise.all([tx, outside]);
      expect(order).toEqual(['tx wrote', 'tx ends', 'outside saw 1']);
    } finally {
      await database.close();
    }
  });

  it('delivers NOTIFY to a listener until it stops', async () => {
    const database = await open(thread);
    try {
      const client = database.pglite!;
      const got: string[] = [];
      const stop = await client.listen('news', (payload) => got.push(payload));
      await client.query(`select pg_notify('news', 'one')`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      await stop();
      await client.query(`select pg_notify('news', 'two')`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(got).toEqual(['one']);
    } finally {
      await database.close();
    }
  });

  it('keeps its data on disk across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-pglite-thread-'));
    try {
      const first = await open(thread, dir);
      await first.db.insert(organizations).values({ name: 'Persisted' });
      await first.close();
      const second = await open(thread, dir);
      expect((await second.db.select().from(organizations)).map((o) => o.name)).toEqual(['Persisted']);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects statements once closed', async () => {
    const database = await open(thread);
    await database.close();
    await expect(database.ping()).rejects.toThrow();
  });
});

describe('embedded database in its worker thread', () => {
  it('leaves the event loop free while a long statement runs', async () => {
    const database = await open('worker');
    try {
      let turns = 0;
      let running = true;
      const spin = () => {
        if (!running) return;
        turns += 1;
        setImmediate(spin);
      };
      setImmediate(spin);
      await database.db.execute(sql`select count(*) from generate_series(1, 3000000)`);
      running = false;
      // In the thread, the loop kept turning while Postgres counted; in-thread it could not.
      expect(turns).toBeGreaterThan(10);
    } finally {
      await database.close();
    }
  });

  it('runs a query text it sees again as a named prepared statement, with the same rows', async () => {
    const database = await open('worker');
    try {
      const [org] = await database.db.insert(organizations).values({ name: 'Acme' }).returning();
      const read = () => database.db.select().from(organizations).where(eq(organizations.id, org!.id));
      const runs = [await read(), await read(), await read()];
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[2]).toEqual(runs[0]);
      const held = await database.db.execute(
        sql`select count(*)::int as n from pg_prepared_statements where statement like '%from "organizations"%'`,
      );
      expect((held as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(1);
      // The thread analyses a table once enough of its rows changed (pglite-analyze.js): 50 rows here.
      await database.db
        .insert(organizations)
        .values(Array.from({ length: 60 }, (_, i) => ({ name: `Org ${i}` })));
      const rows = async () => {
        const r = await database.db.execute(
          sql`select reltuples::int as n from pg_class where relname = 'organizations'`,
        );
        return (r as unknown as { rows: { n: number }[] }).rows[0]?.n;
      };
      await expect.poll(rows, { timeout: 10_000, interval: 100 }).toBe(61);
    } finally {
      await database.close();
    }
  });
});
