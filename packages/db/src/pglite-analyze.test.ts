/**
 * The embedded database's tables are analysed as Postgres' autovacuum would: after 50 changed rows
 * plus 10 % of the table, and a generic plan made while a table was empty is planned again.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AutoAnalyze, writtenTables } from './pglite-analyze.js';

describe('writtenTables', () => {
  it('names the tables a write changes, as Drizzle and pg-boss write them', () => {
    expect(writtenTables('insert into "calls" ("id") values ($1)')).toEqual(['"calls"']);
    expect(writtenTables('update "calls" set "status" = $1 where "id" = $2')).toEqual(['"calls"']);
    expect(writtenTables('DELETE FROM pgboss.job WHERE id = $1')).toEqual(['pgboss.job']);
    expect(
      writtenTables(
        'with seg as (insert into "transcript_segments" select * from x returning 1) insert into "call_events" select 1',
      ),
    ).toEqual(['"transcript_segments"', '"call_events"']);
    expect(writtenTables('insert into "t" values ($1) on conflict ("id") do update set "n" = 1')).toEqual([
      '"t"',
    ]);
    expect(writtenTables('select * from pgboss.job where id = $1 for update skip locked')).toEqual([]);
    expect(writtenTables('select "updated_at" from "calls"')).toEqual([]);
  });
});

describe('AutoAnalyze', () => {
  let db: PGlite;
  let auto: AutoAnalyze;
  beforeEach(async () => {
    db = await PGlite.create();
    await db.exec('create table p (id serial primary key, org int not null, phone text not null);');
    await db.exec('create unique index p_org_phone on p (org, phone);');
    auto = new AutoAnalyze((sql, params) => db.query(sql, params), { delayMs: 10 });
  });
  afterEach(async () => {
    auto.stop();
    await db.close();
  });

  const insert = async (from: number, to: number) => {
    const sql =
      'insert into "p" (org, phone) select 1, md5(g::text) from generate_series($1::int, $2::int) g';
    const result = await db.query(sql, [from, to]);
    auto.note(sql, result.affectedRows);
  };
  const reltuples = async () =>
    (await db.query<{ n: number }>(`select reltuples::int as n from pg_class where relname = 'p'`)).rows[0]
      ?.n;

  it('analyses a table once 50 rows plus 10 % of it changed, not before', async () => {
    await insert(1, 49);
    await auto.settle();
    expect(auto.analysed).toBe(0);
    expect(await reltuples()).toBe(-1); // never analysed
    await insert(50, 1000);
    await auto.settle();
    expect(auto.analysed).toBe(1);
    expect(await reltuples()).toBe(1000);
    // Now due after 50 + 100 changed rows.
    await insert(1001, 1140);
    await auto.settle();
    expect(auto.analysed).toBe(1);
    await insert(1141, 1150);
    await auto.settle();
    expect(auto.analysed).toBe(2);
    expect(await reltuples()).toBe(1150);
  });

  it('runs on its own a moment after the write that made a table due', async () => {
    await insert(1, 500);
    await expect.poll(reltuples, { timeout: 5_000, interval: 20 }).toBe(500);
    expect(auto.analysed).toBe(1);
  });

  it('has a generic plan made on the empty table planned again for the table as it is', async () => {
    const values = Array.from({ length: 250 }, (_, i) => `$${i + 2}`).join(', ');
    await db.exec(
      `prepare q (int, ${Array(250).fill('text').join(', ')}) as select id from p where org = $1 and phone in (${values})`,
    );
    const args = `1, ${Array.from({ length: 250 }, (_, i) => `'${i}'`).join(', ')}`;
    for (let i = 0; i < 6; i++) await db.exec(`execute q (${args})`);
    const estimate = async () => {
      const plan = await db.query<{ 'QUERY PLAN': string }>(`explain execute q (${args})`);
      return Number(/rows=(\d+)/.exec(plan.rows[0]?.['QUERY PLAN'] ?? '')?.[1]);
    };
    const empty = await estimate();
    expect(empty).toBeLessThan(10); // the generic plan of an empty table: a handful of rows
    await insert(1, 20_000);
    expect(await estimate()).toBe(empty); // kept as the table grew, until…
    await auto.settle();
    expect(await estimate()).toBe(250); // …the analysis: one row per number, from the unique index
  });

  it('ignores a name that is not a table after its one failed analysis', async () => {
    const sent: string[] = [];
    const counted = new AutoAnalyze((sql, params) => {
      sent.push(sql);
      return db.query(sql, params);
    });
    counted.note('insert into nowhere values (1)', 100);
    await counted.settle();
    counted.note('insert into nowhere values (1)', 100);
    await counted.settle();
    expect(sent).toEqual(['ANALYZE nowhere']);
    expect(counted.analysed).toBe(0);
  });
});
