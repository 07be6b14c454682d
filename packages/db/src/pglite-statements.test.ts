/**
 * The prepared-statement cache of the database's thread answers exactly as `PGlite.query()` does:
 * same rows, same types, same errors, same transaction behaviour, whether a text is new, prepared
 * or evicted.
 */
import { PGlite, types } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PREPARED, PreparedStatements } from './pglite-statements.js';

let db: PGlite;
let statements: PreparedStatements;

beforeEach(async () => {
  db = await PGlite.create();
  await db.exec(`
    create table t (
      id int primary key, name text, at timestamptz, data jsonb, tags text[], flag boolean,
      amount numeric, blob bytea, big bigint
    );`);
  statements = new PreparedStatements(db);
});
afterEach(async () => {
  await db.close();
});

const ROW = [
  1,
  'Ada',
  new Date('2026-12-07T10:00:00.123Z'),
  { a: [1, 2], b: 'x' },
  ['one', 'two, three', 'fo"ur'],
  true,
  '12.50',
  new Uint8Array([0, 255, 16]),
  9007199254740993n,
];
const INSERT = 'insert into t values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning *';
const SELECT = 'select * from t where id = $1';

/** Runs `sql` through the cache three times (new, prepared, reused) and once through PGlite. */
async function same(sql: string, params: unknown[], options = {}, inTransaction = false) {
  const direct = await db.query(sql, params, options);
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await statements.query(db, inTransaction, sql, params, options));
  for (const run of runs) {
    expect(run.rows).toEqual(direct.rows);
    expect(run.fields).toEqual(direct.fields);
    expect(run.affectedRows).toEqual(direct.affectedRows);
  }
  return runs[2]!;
}

describe('PreparedStatements', () => {
  it('serializes parameters and parses rows as query() does, every type the schema uses', async () => {
    const first = await statements.query(db, false, INSERT, ROW, {});
    expect(statements.size).toBe(0); // seen once: not prepared yet
    await db.query('delete from t');
    const second = await statements.query(db, false, INSERT, ROW, {});
    expect(statements.size).toBe(1);
    expect(second.rows).toEqual(first.rows);
    expect(second.affectedRows).toBe(1);
    const row = (await same(SELECT, [1])).rows[0] as Record<string, unknown>;
    expect(row).toMatchObject({ id: 1, name: 'Ada', data: { a: [1, 2], b: 'x' }, flag: true });
    expect(row.tags).toEqual(['one', 'two, three', 'fo"ur']);
    expect(row.at).toEqual(new Date('2026-12-07T10:00:00.123Z'));
    expect(row.blob).toEqual(new Uint8Array([0, 255, 16]));
    // Nulls, array rows and raw (unparsed) types as Drizzle asks for them.
    await same('select $1::text as a, $2::int as b', [null, undefined]);
    await same(SELECT, [1], { rowMode: 'array' });
    await same(SELECT, [1], { parsers: { [types.TIMESTAMPTZ]: (value: string) => value } });
    await same('update t set name = $1 where id > $2', ['Grace', 0]);
    await same('select count(*)::int as n from t', []);
  });

  it("leaves the plan to Postgres' own choice: custom for five runs, then generic", async () => {
    for (let i = 0; i < 10; i++) await statements.query(db, false, SELECT, [i], {});
    const plans = await db.query<{ generic: number; custom: number }>(
      'select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements',
    );
    expect(plans.rows).toEqual([{ generic: 4, custom: 5 }]);
  });

  it('reports errors with their Postgres fields, and the session goes on', async () => {
    await statements.query(db, false, INSERT, ROW, {});
    for (let i = 0; i < 2; i++) {
      const error = await statements.query(db, false, INSERT, ROW, {}).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: '23505', constraint: 't_pkey' });
    }
    expect(statements.size).toBe(1);
    await same(SELECT, [1]);
  });

  it('inside a transaction: sees its writes, and a rollback undoes them', async () => {
    await statements.query(db, false, SELECT, [1], {}); // seen once
    await db.transaction(async (tx) => {
      await tx.query(INSERT, ROW);
      const inside = await statements.query(tx, true, SELECT, [1], {});
      expect(inside.rows).toHaveLength(1);
      await tx.rollback();
    });
    expect(statements.size).toBe(1); // prepared inside, kept after the rollback
    expect((await statements.query(db, false, SELECT, [1], {})).rows).toHaveLength(0);
  });

  it('a statement outside a transaction waits for the open one, as query() does', async () => {
    await statements.query(db, false, SELECT, [1], {});
    await statements.query(db, false, SELECT, [1], {});
    let release!: () => void;
    const open = db.transaction(async (tx) => {
      await tx.query(INSERT, ROW);
      await new Promise<void>((resolve) => (release = resolve));
      await tx.rollback();
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = statements.query(db, false, SELECT, [1], {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await open;
    expect((await outside).rows).toHaveLength(0); // ran after the rollback, not inside the transaction
  });

  it('keeps at most MAX_PREPARED statements, closing the least recently used', async () => {
    const text = (i: number) => `select ${i}::int as n, $1::text as s`;
    for (let i = 0; i <= MAX_PREPARED; i++) {
      await statements.query(db, false, text(i), ['x'], {});
      await statements.query(db, false, text(i), ['x'], {});
    }
    expect(statements.size).toBe(MAX_PREPARED);
    const held = await db.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements');
    expect(held.rows[0]!.n).toBe(MAX_PREPARED);
    // The evicted first text still answers (seen again, then prepared again).
    expect((await statements.query(db, false, text(0), ['y'], {})).rows).toEqual([{ n: 0, s: 'y' }]);
  });

  it('a table whose columns changed under a prepared statement: runs it unprepared, then prepares again', async () => {
    await statements.query(db, false, INSERT, ROW, {});
    await same(SELECT, [1]);
    await db.exec('alter table t add column extra text default $$e$$');
    const after = await statements.query(db, false, SELECT, [1], {});
    expect(after.rows[0]).toMatchObject({ id: 1, extra: 'e' });
    await same(SELECT, [1]);
    const held = await db.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements');
    expect(held.rows[0]!.n).toBe(statements.size);
  });

  it('the same inside a transaction: its own error is passed on (the transaction is aborted), and the statement is prepared again after', async () => {
    await statements.query(db, false, INSERT, ROW, {});
    await same(SELECT, [1]);
    const error = await db
      .transaction(async (tx) => {
        await tx.exec('alter table t add column extra text');
        await statements.query(tx, true, SELECT, [1], {});
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '0A000' });
    await same(SELECT, [1]);
  });
});
