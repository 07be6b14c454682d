import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';
import { startServer, startupBanner } from './server.ts';

const log = pino({ level: 'silent' });
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The fields these tests read from the few responses they make. */
interface Body {
  token: string;
  status: string;
  items: unknown[];
}

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: Body }> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  return { status: res.status, body: (await res.json()) as Body };
}

describe('the server on the embedded database', () => {
  it('prints the generated password once and keeps data, secret and sessions across a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-server-'));
    const config = { ...parseConfig({ DATA_DIR: dir, HOST: '127.0.0.1', NODE_ENV: 'test' }), port: 0 };

    const first = await startServer(config, log);
    let token: string;
    try {
      const banner = startupBanner(first);
      const password = first.firstStart.createdOwner?.generatedPassword;
      expect(password).toBeDefined();
      expect(banner).toContain(`password: ${password}`);
      expect(banner).toContain('admin@example.com');
      const login = await json(`${first.url}/api/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ email: 'admin@example.com', password }),
      });
      expect(login.status).toBe(200);
      token = login.body.token;
      const created = await json(`${first.url}/api/prospects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ phone: '+14155550600', company: 'Persisted Inc' }),
      });
      expect(created.status).toBe(201);
    } finally {
      await first.close();
    }

    // Restart on the same data directory: APP_SECRET comes from the file written by the first start.
    const second = await startServer(
      { ...parseConfig({ DATA_DIR: dir, HOST: '127.0.0.1', NODE_ENV: 'test' }), port: 0 },
      log,
    );
    try {
      expect(second.ctx.config.appSecretSource).toBe('file');
      expect(second.firstStart.createdOwner).toBeUndefined();
      expect(startupBanner(second)).not.toMatch(/password/);
      const list = await json(`${second.url}/api/prospects`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(list.status).toBe(200);
      expect(list.body.items).toMatchObject([{ company: 'Persisted Inc', phone: '+14155550600' }]);
      expect((await json(`${second.url}/health`)).body.status).toBe('ok');
    } finally {
      await second.close();
    }
  });
});
