/**
 * The deployment files (Dockerfile, compose.yaml, deploy/Caddyfile, deploy/compose.env.example)
 * cannot be built or started here (no image pulls), so this keeps them honest against the code:
 * ports, volumes, the health check path and every environment variable the compose file sets
 * must be ones the server actually reads (config.ts) and serves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from './config.ts';
import { VARIABLES } from './config-variables.ts';
import { SERVER_PROCESS_ENV } from './runtime-settings.ts';

const ROOT = join(import.meta.dirname, '../../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const dockerfile = read('Dockerfile');
const compose = parse(read('compose.yaml')) as {
  services: Record<string, Record<string, unknown>>;
  volumes: Record<string, unknown>;
};
const server = compose.services.server as {
  environment: Record<string, string>;
  volumes: string[];
  expose: string[];
  deploy: { replicas: number };
  depends_on: Record<string, { condition: string }>;
};
const envExample = read('.env.example');

/** Names the config schema reads (the VARIABLES table's keys). */
function configVariables(): Set<string> {
  return new Set(Object.keys(VARIABLES));
}

/** ENV lines of the runtime stage (after the last FROM). */
function runtimeStage(): string {
  return dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
}

describe('Dockerfile', () => {
  const runtime = runtimeStage();
  const env = Object.fromEntries(
    [...runtime.matchAll(/\b([A-Z_]+)=(\S+)/g)].map((m) => [
      m[1] as string,
      (m[2] as string).replace(/\\$/, ''),
    ]),
  );

  it('is multi-stage on Node 24, builds the dashboard and runs as a non-root user', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const image of froms) expect(image).toMatch(/^node:24\b/);
    expect(dockerfile).toMatch(/npm run build -w @switchboard\/web/);
    expect(runtime).toMatch(/COPY --from=build \/app\/apps\/web\/dist apps\/web\/dist/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/^USER root$/m);
  });

  it('serves on the configured port with a health check on /health', () => {
    expect(env.PORT).toBe('3000');
    expect(runtime).toMatch(/^EXPOSE 3000$/m);
    const health = /^HEALTHCHECK .*\\\n\s+CMD (.+)$/m.exec(runtime)?.[1] ?? '';
    expect(health).toContain('/health');
    expect(health).toContain('process.env.PORT');
  });

  it('keeps DATA_DIR in a volume and hands signals to the server through an init', () => {
    expect(env.DATA_DIR).toBe('/data');
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(runtime).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(runtime).toMatch(/^CMD \["node", (?:"--[\w=-]+", )*"apps\/server\/src\/main.ts"\]$/m);
  });

  it('sets only environment variables the config reads (and the allocator setting of runtime-settings.ts)', () => {
    const known = configVariables();
    for (const name of Object.keys(env))
      if (!(name in SERVER_PROCESS_ENV)) expect(known, name).toContain(name);
  });
});

describe('compose.yaml', () => {
  it('runs two server replicas on Postgres 17 and Redis 7 behind Caddy', () => {
    expect(server.deploy.replicas).toBe(2);
    expect(compose.services.postgres?.image).toBe('postgres:17');
    expect(compose.services.redis?.image).toBe('redis:7');
    expect(compose.services.caddy?.image).toBe('caddy:2');
    expect(server.depends_on.postgres?.condition).toBe('service_healthy');
    expect(server.depends_on.redis?.condition).toBe('service_healthy');
  });

  it('sets only variables the config schema knows, and the ones several processes need', () => {
    const known = configVariables();
    for (const name of Object.keys(server.environment)) {
      expect(known, `${name} in compose.yaml`).toContain(name);
      expect(envExample, `${name} documented in .env.example`).toMatch(new RegExp(`^${name}=`, 'm'));
    }
    for (const needed of ['DATABASE_URL', 'REDIS_URL', 'APP_SECRET', 'PUBLIC_URL', 'TRUST_PROXY', 'DATA_DIR'])
      expect(Object.keys(server.environment)).toContain(needed);
    expect(server.environment.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(server.environment.REDIS_URL).toBe('redis://redis:6379');
  });

  it('produces a configuration the server accepts', () => {
    const env = Object.fromEntries(
      Object.entries(server.environment).map(([k, v]) => [
        k,
        String(v)
          .replace(/\$\{DOMAIN[^}]*\}/, 'calls.example.com')
          .replace(/\$\{POSTGRES_PASSWORD[^}]*\}/, 'pw')
          .replace(/\$\{APP_SECRET[^}]*\}/, 'x'.repeat(64))
          .replace(/\$\{LOG_LEVEL:-([^}]*)\}/, '$1')
          .replace(/\$\{ALLOW_SIGNUP:-([^}]*)\}/, '$1')
          .replace(/\$\{[A-Z_]+:-\}/, ''),
      ]),
    );
    const config = parseConfig(env);
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe('/data');
    expect(config.publicUrl).toBe('https://calls.example.com');
    expect(config.databaseUrl).toBe('postgres://switchboard:pw@postgres:5432/switchboard');
    expect(config.trustProxy).toBe(true);
  });

  it('keeps DATA_DIR on a named volume shared by the replicas, and publishes only Caddy', () => {
    expect(server.volumes).toContain(`data:${server.environment.DATA_DIR}`);
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['data', 'pgdata']));
    expect(server.expose).toEqual([server.environment.PORT]);
    expect(server).not.toHaveProperty('ports');
    expect(compose.services.caddy?.ports).toEqual(expect.arrayContaining(['80:80', '443:443']));
    expect(compose.services.caddy?.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
  });

  it('gives the drain on SIGTERM more time than the server takes', () => {
    const mainSource = read('apps/server/src/main.ts');
    const timeoutMs = Number(/SHUTDOWN_TIMEOUT_MS = ([\d_]+)/.exec(mainSource)?.[1]?.replace(/_/g, ''));
    const grace = Number(/^(\d+)s$/.exec(String((server as Record<string, unknown>).stop_grace_period))?.[1]);
    expect(grace * 1000).toBeGreaterThan(timeoutMs);
  });

  it('names every variable it substitutes in deploy/compose.env.example', () => {
    const example = read('deploy/compose.env.example');
    const vars = new Set([...read('compose.yaml').matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1] as string));
    for (const name of vars) expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
  });
});

describe('deploy/Caddyfile', () => {
  const caddyfile = read('deploy/Caddyfile');

  it('proxies the domain to every server replica on its port, streaming events unbuffered', () => {
    expect(caddyfile).toMatch(/^\{\$DOMAIN\} \{/m);
    expect(caddyfile).toMatch(new RegExp(`dynamic a server ${server.environment.PORT}\\b`));
    expect(caddyfile).toMatch(/flush_interval -1/);
    expect(caddyfile).toMatch(/not path \/api\/events/);
  });
});
