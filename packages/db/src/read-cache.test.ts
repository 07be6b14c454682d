import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './client.ts';
import { ReadCache, TableWrites, writesOf } from './read-cache.ts';
import { organizations, webhooks } from './schema/index.ts';
import { createTestDatabase, testDbKinds } from './testing.ts';

const kinds = await testDbKinds();

describe('TableWrites', () => {
  it('counts the statements that may write a watched table, not selects or other tables', () => {
    const writes = new TableWrites();
    const gen = () => writes.generation(['webhooks']);
    writes.logQuery('select "id", "events" from "webhooks" where "webhooks"."organization_id" = $1');
    writes.logQuery('insert into "webhook_deliveries" ("id", "organization_id") values ($1, $2)');
    writes.logQuery('update "calls" set "status" = $1 where "calls"."organization_id" = $2');
    expect(gen()).toBe(0);
    writes.logQuery('insert into "webhooks" ("id") values ($1)');
    expect(gen()).toBe(1);
    writes.logQuery('UPDATE webhooks SET active = false'); // raw SQL, any case
    writes.logQuery('with gone as (delete from "webhooks" returning 1) select count(*) from gone');
    expect(gen()).toBe(3);
    // A cascade: deleting an organization deletes its webhooks.
    writes.logQuery('delete from "organizations" where "organizations"."id" = $1');
    expect(writes.generation(['webhooks', 'organizations'])).toBe(4);
    expect(writes.generation(['integrations'])).toBe(0);
  });
});

describe.each(kinds)('ReadCache on %s', (kind) => {
  let database: Database;
  let orgId: string;
  let loads = 0;
  const cache = new ReadCache<{ id: string; url: string }[]>(['webhooks', 'organizations']);
  const read = (db: Database['db'] = database.db) =>
    cache.read(db, orgId, async () => {
      loads++;
      return db
        .select({ id: webhooks.id, url: webhooks.url })
        .from(webhooks)
        .where(eq(webhooks.organizationId, orgId));
    });
  const addWebhook = (url: string, db: Database['db'] = database.db) =>
    db.insert(webhooks).values({ organizationId: orgId, url, events: ['call.ended'] });

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    const [org] = await database.db.insert(organizations).values({ name: 'Acme' }).returning();
    orgId = org!.id;
    loads = 0;
  });
  afterEach(() => database.close());

  if (kind === 'postgres') {
    it('reads every time: other processes write the same database', async () => {
      expect(writesOf(database.db)).toBeUndefined();
      await read();
      await read();
      expect(loads).toBe(2);
    });
    return;
  }

  it('reads once until a write to its tables is sent, then sees that write', async () => {
    await addWebhook('https://a.example/hook');
    expect((await read()).map((w) => w.url)).toEqual(['https://a.example/hook']);
    await read();
    expect(loads).toBe(1);
    await addWebhook('https://b.example/hook');
    expect((await read()).map((w) => w.url).sort()).toEqual([
      'https://a.example/hook',
      'https://b.example/hook',
    ]);
    expect(loads).toBe(2);
    await database.db
      .update(webhooks)
      .set({ url: 'https://c.example/hook' })
      .where(eq(webhooks.url, 'https://a.example/hook'));
    expect((await read()).map((w) => w.url).sort()).toEqual([
      'https://b.example/hook',
      'https://c.example/hook',
    ]);
    await database.db.execute(sql`delete from webhooks`);
    expect(await read()).toEqual([]);
    expect(loads).toBe(4);
  });

  it('does not keep a read that a write was sent after', async () => {
    const inFlight = read();
    const write = addWebhook('https://late.example/hook');
    await Promise.all([inFlight, write]);
    expect((await read()).map((w) => w.url)).toEqual(['https://late.example/hook']);
    expect(loads).toBe(2);
  });

  it('shares one read between callers that ask before it resolves', async () => {
    await addWebhook('https://a.example/hook');
    const [a, b, c] = await Promise.all([read(), read(), read()]);
    expect(loads).toBe(1);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('never caches on a transaction handle, nor a failed read', async () => {
    await database.db.transaction(async (tx) => {
      await addWebhook('https://tx.example/hook', tx as unknown as Database['db']);
      expect(await read(tx as unknown as Database['db'])).toHaveLength(1);
      expect(await read(tx as unknown as Database['db'])).toHaveLength(1);
    });
    expect(loads).toBe(2);
    const failing = () => cache.read(database.db, orgId, () => Promise.reject(new Error('down')));
    await expect(failing()).rejects.toThrow('down');
    expect(await read()).toHaveLength(1);
    expect(loads).toBe(3);
  });
});
