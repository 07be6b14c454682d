import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDatabase } from './client.ts';
import { organizations, prospects } from './schema/index.ts';
import { createTestDatabase, testDbKinds } from './testing.ts';

const kinds = await testDbKinds();

describe.each(kinds)('database on %s', (kind) => {
  it('migrates, writes and reads scoped rows', async () => {
    const database = await createTestDatabase(kind);
    try {
      await database.ping();
      const [org] = await database.db.insert(organizations).values({ name: 'Acme' }).returning();
      expect(org?.id).toMatch(/[0-9a-f-]{36}/);
      await database.db
        .insert(prospects)
        .values({ organizationId: org!.id, phone: '+14155550100', contact: 'Ada' });
      const rows = await database.db.select().from(prospects).where(eq(prospects.organizationId, org!.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]?.status).toBe('new');
      // Migrations are idempotent (every start runs them).
      await database.migrate();
    } finally {
      await database.close();
    }
  });

  it('enforces one prospect per phone per organization', async () => {
    const database = await createTestDatabase(kind);
    try {
      const [org] = await database.db.insert(organizations).values({ name: 'Acme' }).returning();
      await database.db.insert(prospects).values({ organizationId: org!.id, phone: '+14155550100' });
      await expect(
        database.db.insert(prospects).values({ organizationId: org!.id, phone: '+14155550100' }),
      ).rejects.toThrow();
    } finally {
      await database.close();
    }
  });
});

describe('embedded PGlite on disk', () => {
  it('keeps data across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-pglite-'));
    try {
      const first = await createDatabase({ dataDir: dir });
      await first.migrate();
      await first.db.insert(organizations).values({ name: 'Persisted' });
      await first.close();
      const second = await createDatabase({ dataDir: dir });
      await second.migrate();
      const rows = await second.db.select().from(organizations);
      expect(rows.map((r) => r.name)).toEqual(['Persisted']);
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
