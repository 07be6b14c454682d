import { organizations, users } from '@switchboard/db';
import { createTestDatabase, type TestDatabase } from '@switchboard/db/testing';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../auth/passwords.ts';
import { box } from '../terminal.ts';
import { testDbKinds } from '../testing/test-app.ts';
import { resetPasswordByEmail } from './reset-password.ts';

const kinds = await testDbKinds();

describe.each(kinds)('reset-password on %s', (kind) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it('sets a one-time password that must be changed, re-enables the account and revokes its sessions', async () => {
    database = await createTestDatabase(kind);
    const { db } = database;
    const [org] = await db.insert(organizations).values({ name: 'Org' }).returning();
    await db.insert(users).values({
      organizationId: org!.id,
      email: 'owner@example.test',
      passwordHash: 'x',
      role: 'owner',
      disabledAt: new Date(),
    });
    expect(await resetPasswordByEmail(db, 'nobody@example.test')).toBeUndefined();
    const result = await resetPasswordByEmail(db, ' Owner@Example.test ');
    expect(result?.email).toBe('owner@example.test');
    const [row] = await db.select().from(users).where(eq(users.email, 'owner@example.test'));
    // token_version went from 0 to 1: every session token minted before is refused.
    expect(row).toMatchObject({ mustChangePassword: true, disabledAt: null, tokenVersion: 1 });
    expect(await verifyPassword(row!.passwordHash, result!.password)).toBe(true);
  });

  it('frames lines in a box', () => {
    expect(box(['ab', 'abcd'])).toBe('+------+\n| ab   |\n| abcd |\n+------+');
  });
});
