/**
 * `npm run reset-password -- <email>`: for an owner locked out of the dashboard. Replaces the
 * account's password with a generated one-time password, prints it, and re-enables the account;
 * the next sign-in asks for a new password. Every session of the account is revoked. Uses the same DATABASE_URL / DATA_DIR as the server
 * (run it on the server's machine, with the server's environment).
 */
import { createDatabase, type DbOrTx, users } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { generatePassword, hashPassword } from '../auth/passwords.ts';
import { ConfigError, parseConfig } from '../config.ts';
import { revokedSessions } from '../services/principal.ts';
import { box } from '../terminal.ts';

/** Sets a generated one-time password for `email`; undefined when no such account exists. */
export async function resetPasswordByEmail(
  db: DbOrTx,
  email: string,
  now = new Date(),
): Promise<{ email: string; password: string } | undefined> {
  const address = email.trim().toLowerCase();
  const password = generatePassword();
  const [row] = await db
    .update(users)
    .set({
      passwordHash: await hashPassword(password),
      mustChangePassword: true,
      disabledAt: null,
      ...revokedSessions(),
      updatedAt: now,
    })
    .where(eq(users.email, address))
    .returning({ email: users.email });
  return row ? { email: row.email, password } : undefined;
}

async function main(argv: string[]): Promise<number> {
  const email = argv.find((a) => !a.startsWith('-'));
  if (!email) {
    process.stderr.write('Usage: npm run reset-password -- <email>\n');
    return 2;
  }
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const database = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const result = await resetPasswordByEmail(database.db, email);
    if (!result) {
      process.stderr.write(`No account with the email ${email.trim()} exists in this database.\n`);
      return 1;
    }
    process.stdout.write(
      `${box([
        `New one-time password for ${result.email}:`,
        '',
        `  ${result.password}`,
        '',
        'Sign in with it; the dashboard then asks for a new password.',
      ])}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `reset-password failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
