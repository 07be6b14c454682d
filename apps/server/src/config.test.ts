import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_SECRET_FILE } from './app-secret.ts';
import { ConfigError, parseConfig } from './config.ts';

const SECRET = 'x'.repeat(40);
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-config-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('parseConfig', () => {
  it('applies laptop-friendly defaults', () => {
    const config = parseConfig({ APP_SECRET: SECRET });
    expect(config).toMatchObject({
      // Production unless NODE_ENV says otherwise (a forgotten variable must not loosen anything).
      env: 'production',
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      admin: { email: 'admin@example.com', password: undefined },
      twilio: { apiBaseUrl: 'https://api.twilio.com' },
      openai: { realtimeUrl: 'wss://api.openai.com/v1/realtime' },
    });
    expect(config.dataDir).toMatch(/data$/);
  });

  it('reads the multi-business switches, off by default', () => {
    expect(parseConfig({ APP_SECRET: SECRET })).toMatchObject({
      allowSignup: false,
      shareEnvCredentials: false,
    });
    expect(
      parseConfig({ APP_SECRET: SECRET, ALLOW_SIGNUP: 'TRUE', SHARE_ENV_CREDENTIALS: '1' }),
    ).toMatchObject({
      allowSignup: true,
      shareEnvCredentials: true,
    });
    expect(() => parseConfig({ APP_SECRET: SECRET, ALLOW_SIGNUP: 'sure' })).toThrow(
      'ALLOW_SIGNUP must be true or false, got "sure"',
    );
  });

  it('masks credentials of a malformed DATABASE_URL or REDIS_URL in the error', () => {
    for (const [name, value] of [
      ['DATABASE_URL', 'mysql://admin:hunter2secret@db.internal:3306/x'],
      ['DATABASE_URL', 'postgres//admin:hunter2secret@db.internal/x'],
      ['REDIS_URL', 'http://:hunter2secret@cache:6379'],
      ['REDIS_URL', 'redis//x?password=hunter2secret'],
    ] as const) {
      let message = '';
      try {
        parseConfig({ APP_SECRET: SECRET, [name]: value });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, value).toMatch(new RegExp(`^${name} must be`));
      expect(message, value).not.toContain('hunter2secret');
    }
  });

  it('reads TRUST_PROXY as off, on, a hop count or proxy addresses', () => {
    expect(parseConfig({ APP_SECRET: SECRET }).trustProxy).toBe(false);
    expect(parseConfig({ APP_SECRET: SECRET, TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(parseConfig({ APP_SECRET: SECRET, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(parseConfig({ APP_SECRET: SECRET, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(() => parseConfig({ APP_SECRET: SECRET, TRUST_PROXY: 'caddy' })).toThrow(/^TRUST_PROXY must be/);
  });

  it('reads SMS_ALLOWED_COUNTRIES as the organization default, a country list or any', () => {
    expect(parseConfig({ APP_SECRET: SECRET }).limits.smsAllowedCountries).toBe('org');
    expect(parseConfig({ APP_SECRET: SECRET, SMS_ALLOWED_COUNTRIES: '*' }).limits.smsAllowedCountries).toBe(
      'any',
    );
    expect(
      parseConfig({ APP_SECRET: SECRET, SMS_ALLOWED_COUNTRIES: 'us, ca,GB,US' }).limits.smsAllowedCountries,
    ).toEqual(['US', 'CA', 'GB']);
    expect(() => parseConfig({ APP_SECRET: SECRET, SMS_ALLOWED_COUNTRIES: 'US,XX' })).toThrow(
      /^SMS_ALLOWED_COUNTRIES must be/,
    );
  });

  it('names the variable and the bad value in the error', () => {
    expect(() => parseConfig({ APP_SECRET: SECRET, PORT: 'abc' })).toThrow(
      new ConfigError('PORT must be an integer 1-65535, got "abc"'),
    );
    const cases: Record<string, RegExp> = {
      PORT: /^PORT must be an integer 1-65535, got "70000"$/,
      DATABASE_URL: /^DATABASE_URL must be a postgres:\/\/ connection URL/,
      PUBLIC_URL: /^PUBLIC_URL must be an http\(s\) URL/,
      TWILIO_PHONE_NUMBER: /^TWILIO_PHONE_NUMBER must be a phone number in E\.164/,
      TWILIO_ACCOUNT_SID: /^TWILIO_ACCOUNT_SID must be a Twilio Account SID/,
      LOG_LEVEL: /^LOG_LEVEL must be one of fatal, error/,
      NODE_ENV: /^NODE_ENV must be one of development, production, test/,
      ADMIN_EMAIL: /^ADMIN_EMAIL must be an email address/,
      OPENAI_REALTIME_URL: /^OPENAI_REALTIME_URL must be a ws\(s\):\/\/ URL/,
      REDIS_URL: /^REDIS_URL must be a redis:\/\//,
    };
    const bad: Record<string, string> = {
      PORT: '70000',
      DATABASE_URL: 'mysql://x',
      PUBLIC_URL: 'not a url',
      TWILIO_PHONE_NUMBER: '12',
      TWILIO_ACCOUNT_SID: 'AC123',
      LOG_LEVEL: 'loud',
      NODE_ENV: 'staging',
      ADMIN_EMAIL: 'nobody',
      OPENAI_REALTIME_URL: 'https://api.openai.com',
      REDIS_URL: 'http://x',
    };
    for (const [name, pattern] of Object.entries(cases)) {
      expect(() => parseConfig({ APP_SECRET: SECRET, [name]: bad[name] }), name).toThrow(pattern);
    }
  });

  it('reads WORKERS: default 1, a count, or auto (one per core); anything else is a boot error', () => {
    expect(parseConfig({ APP_SECRET: SECRET }).workers).toBe(1);
    expect(parseConfig({ APP_SECRET: SECRET, WORKERS: '4' }).workers).toBe(4);
    expect(parseConfig({ APP_SECRET: SECRET, WORKERS: 'AUTO' }).workers).toBe(availableParallelism());
    expect(() =>
      parseConfig({ APP_SECRET: SECRET, WORKERS: '2', DATABASE_URL: 'postgres://db/x', SIP_PORT: '5060' }),
    ).toThrow(/^SIP_PORT needs one server process: set WORKERS=1/);
    // The embedded database keeps one process anyway (cluster.ts), so SIP goes on there.
    expect(parseConfig({ APP_SECRET: SECRET, WORKERS: '2', SIP_PORT: '5060' }).workers).toBe(2);
    for (const bad of ['0', '-1', 'many', '2.5', '257']) {
      expect(() => parseConfig({ APP_SECRET: SECRET, WORKERS: bad }), bad).toThrow(
        new ConfigError(`WORKERS must be auto or an integer 1-256 (default 1), got "${bad}"`),
      );
    }
  });

  it('reads the SIP listener settings (off unless SIP_PORT is set)', () => {
    expect(parseConfig({ APP_SECRET: SECRET }).sip).toEqual({
      port: undefined,
      rtpPorts: { min: 10_000, max: 10_999 },
      publicAddress: undefined,
    });
    expect(
      parseConfig({
        APP_SECRET: SECRET,
        SIP_PORT: '5060',
        RTP_PORTS: '20000-20099',
        SIP_PUBLIC_ADDRESS: '203.0.113.7',
      }).sip,
    ).toEqual({ port: 5060, rtpPorts: { min: 20_000, max: 20_099 }, publicAddress: '203.0.113.7' });
    expect(() => parseConfig({ APP_SECRET: SECRET, RTP_PORTS: '10000' })).toThrow(
      /^RTP_PORTS must be a port range/,
    );
    expect(() => parseConfig({ APP_SECRET: SECRET, RTP_PORTS: '500-600' })).toThrow(/^RTP_PORTS must be/);
    expect(() => parseConfig({ APP_SECRET: SECRET, SIP_PUBLIC_ADDRESS: 'sip.example.com' })).toThrow(
      /^SIP_PUBLIC_ADDRESS must be the IPv4 address/,
    );
  });

  it('does not echo secrets in errors', () => {
    expect(() => parseConfig({ APP_SECRET: 'short-secret' })).toThrow(
      /^APP_SECRET must be at least 32 characters.*, got "…"$/,
    );
    expect(() => parseConfig({ APP_SECRET: SECRET, TWILIO_AUTH_TOKEN: 'abc' })).toThrow(/got "…"/);
    expect(() => parseConfig({ APP_SECRET: SECRET, ADMIN_PASSWORD: 'short' })).toThrow(
      'ADMIN_PASSWORD must be 10-256 characters, got "…"',
    );
  });

  it('treats empty strings as unset and normalises values', () => {
    const config = parseConfig({
      APP_SECRET: SECRET,
      PORT: '',
      DATABASE_URL: '  ',
      PUBLIC_URL: 'https://calls.example.com/',
      TWILIO_PHONE_NUMBER: '(415) 555-0100',
      ADMIN_EMAIL: 'Boss@Example.com',
    });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicUrl).toBe('https://calls.example.com');
    expect(config.twilio.phoneNumber).toBe('+14155550100');
    expect(config.admin.email).toBe('boss@example.com');
  });
});

describe('APP_SECRET file', () => {
  it('is generated with mode 0600 when unset and reused on the next start', () => {
    const dir = tempDir();
    const first = parseConfig({ DATA_DIR: dir });
    expect(first.appSecretSource).toBe('generated');
    expect(first.appSecret).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dir, APP_SECRET_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = parseConfig({ DATA_DIR: dir });
    expect(second.appSecretSource).toBe('file');
    expect(second.appSecret).toBe(first.appSecret);
  });

  it('prefers the variable and never writes the file then', () => {
    const dir = tempDir();
    expect(parseConfig({ DATA_DIR: dir, APP_SECRET: SECRET }).appSecret).toBe(SECRET);
    expect(() => readFileSync(join(dir, APP_SECRET_FILE))).toThrow();
  });

  it('rejects a truncated secret file instead of silently weakening it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, APP_SECRET_FILE), 'short\n', { mode: 0o600 });
    expect(() => parseConfig({ DATA_DIR: dir })).toThrow(ConfigError);
  });
});
