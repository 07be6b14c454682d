import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { preparedQuery } from './prepared.ts';
import { organizations, prospects } from './schema/index.ts';
import { createTestDatabase, testDbKinds } from './testing.ts';

const kinds = await testDbKinds();

let built = 0;
const prospectByPhone = preparedQuery('test_prospect_by_phone', (db, name) => {
  built++;
  return db
    .select()
    .from(prospects)
    .where(
      and(
        eq(prospects.organizationId, sql.placeholder('organizationId')),
        eq(prospects.phone, sql.placeholder('phone')),
      ),
    )
    .limit(1)
    .prepare(name);
});

describe.each(kinds)('prepared queries on %s', (kind) => {
  it('builds once per handle and returns the same rows as the query built each time', async () => {
    const database = await createTestDatabase(kind);
    try {
      const { db } = database;
      const [acme] = await db.insert(organizations).values({ name: 'Acme' }).returning();
      const [other] = await db.insert(organizations).values({ name: 'Other' }).returning();
      await db.insert(prospects).values([
        { organizationId: acme!.id, phone: '+14155550100', contact: 'Ada' },
        { organizationId: other!.id, phone: '+14155550100', contact: 'Not Ada' },
      ]);
      const before = built;
      const [ada] = await prospectByPhone(db).execute({ organizationId: acme!.id, phone: '+14155550100' });
      const direct = await db.select().from(prospects).where(eq(prospects.contact, 'Ada'));
      expect(ada).toEqual(direct[0]);
      // Scoped by its placeholders, run again with other values, on the same built query.
      const [theirs] = await prospectByPhone(db).execute({
        organizationId: other!.id,
        phone: '+14155550100',
      });
      expect(theirs?.contact).toBe('Not Ada');
      expect(await prospectByPhone(db).execute({ organizationId: acme!.id, phone: '+10000000000' })).toEqual(
        [],
      );
      expect(built - before).toBe(1);
      // A transaction is a handle of its own.
      await db.transaction(async (tx) => {
        const [inTx] = await prospectByPhone(tx).execute({ organizationId: acme!.id, phone: '+14155550100' });
        expect(inTx?.contact).toBe('Ada');
      });
      expect(built - before).toBe(2);
    } finally {
      await database.close();
    }
  });
});

describe('preparedQuery', () => {
  it('refuses a name for a second, different query (two statements under one name collide on Postgres)', () => {
    expect(() => preparedQuery('test_prospect_by_phone', () => null)).toThrow(/used for two queries/);
    // The same query registered again (its module evaluated twice) is the same statement.
    const build = (db: unknown, name: string) => ({ db, name });
    preparedQuery('test_same_query', build);
    expect(() => preparedQuery('test_same_query', build)).not.toThrow();
  });
});
