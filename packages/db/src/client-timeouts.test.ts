/** The Postgres pool's timeouts hold (statement, idle transaction); skipped without Postgres. */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDatabase } from './client.ts';
import { testDbKinds } from './testing.ts';

const kinds = await testDbKinds();
const url = process.env.SWITCHBOARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe.skipIf(!kinds.includes('postgres'))('postgres pool timeouts', () => {
  it('cancels a statement that runs too long and sets the idle-transaction timeout', async () => {
    const database = await createDatabase({
      databaseUrl: url.replace(/\/[^/]*$/, '/postgres'),
      timeouts: { statementMs: 200, idleInTransactionMs: 200 },
    });
    try {
      await expect(database.db.execute(sql`select pg_sleep(2)`)).rejects.toThrow();
      const result = (await database.db.execute(
        sql`show idle_in_transaction_session_timeout`,
      )) as unknown as {
        rows: Array<Record<string, string>>;
      };
      expect(Object.values(result.rows[0] ?? {})[0]).toBe('200ms');
    } finally {
      await database.close();
    }
  });
});
