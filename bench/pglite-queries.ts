/**
 * A fixed workload on the embedded database in its thread (`ThreadedPGlite`, production's PGlite
 * settings), to compare Node flags and allocator settings by query time (docs/PERFORMANCE.md,
 * issue 19 item 4): three 5,000-row imports (one transaction each, one INSERT per row, as the
 * prospect import), then 2,000 lookups and updates by id with a GROUP BY every 20 and an ILIKE
 * search every 50, then one 100,000-row SELECT. Prints the time of each part and the process's
 * CPU time.
 *
 *   node bench/pglite-queries.ts
 *   GLIBC_TUNABLES=glibc.malloc.mmap_threshold=8192 node --max-semi-space-size=4 bench/pglite-queries.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGLITE_OPTIONS } from '../packages/db/src/pglite-settings.ts';
import { ThreadedPGlite } from '../packages/db/src/pglite-thread.ts';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-pglite-queries-'));
const db = await ThreadedPGlite.create(dir, PGLITE_OPTIONS);
try {
  await db.exec(`create table prospects (id serial primary key, contact text, phone text unique,
    company text, notes text, created_at timestamptz default now());
    create index on prospects (company);`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let round = 0; round < 3; round++) {
    await db.transaction(async (tx) => {
      for (let i = 0; i < 5000; i++)
        await tx.query('insert into prospects (contact, phone, company) values ($1, $2, $3)', [
          `Caller ${round}-${i}`,
          `+1555${round}${String(i).padStart(6, '0')}`,
          `Co ${i % 50}`,
        ]);
    });
  }
  const t1 = performance.now();
  for (let i = 0; i < 2000; i++) {
    const id = 1 + ((i * 7919) % 15000);
    await db.query('select * from prospects where id = $1', [id]);
    await db.query('update prospects set notes = $1 where id = $2', [`note ${i}`, id]);
    if (i % 20 === 0)
      await db.query('select company, count(*) from prospects group by company order by 2 desc');
    if (i % 50 === 0)
      await db.query('select * from prospects where contact ilike $1 order by created_at desc limit 50', [
        `%${i % 100}%`,
      ]);
  }
  const t2 = performance.now();
  const big = await db.query("select g as n, repeat('x', 40) || g as s from generate_series(1, 100000) g");
  const t3 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  console.log(
    `import ${ms(t1 - t0)}, queries ${ms(t2 - t1)}, ${big.rows.length}-row select ${ms(t3 - t2)}, ` +
      `total ${ms(t3 - t0)}, process CPU ${ms((cpu.user + cpu.system) / 1000)}, ` +
      `RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB`,
  );
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
