import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase } from './client.ts';
import { PGLITE_POSTGRES_SETTINGS, pgliteStartParams } from './pglite-settings.ts';

describe('PGlite memory settings', () => {
  it('adds -c pairs after PGlite own start parameters', () => {
    const params = pgliteStartParams({ shared_buffers: '8MB' });
    expect(params.slice(-2)).toEqual(['-c', 'shared_buffers=8MB']);
    expect(params[0]).toBe('--single');
  });

  it.each(['main', 'worker'] as const)(
    'are in effect on a data directory, which keeps its initdb settings across restarts (thread %s)',
    async (thread) => {
      const dir = mkdtempSync(join(tmpdir(), 'switchboard-pglite-settings-'));
      try {
        for (let start = 0; start < 2; start++) {
          const database = await createDatabase({ dataDir: dir, pgliteThread: thread });
          try {
            const { rows } = await database.pglite!.query<{ name: string; value: string }>(
              `select name, current_setting(name) as value from pg_settings
             where name in ('shared_buffers', 'wal_buffers', 'temp_buffers', 'maintenance_work_mem',
                            'default_text_search_config', 'search_path')`,
            );
            const settings = Object.fromEntries(rows.map((row) => [row.name, row.value]));
            for (const [name, value] of Object.entries(PGLITE_POSTGRES_SETTINGS)) {
              expect(settings[name]).toBe(value);
            }
            // From initdb's postgresql.conf (transcript search) and PGlite's defaults: still there.
            expect(settings.default_text_search_config).toBe('pg_catalog.english');
            expect(settings.search_path).toBe('public');
          } finally {
            await database.close();
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
