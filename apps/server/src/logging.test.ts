import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions, REDACTED, requestLogLine } from './logging.ts';

function capture(env: 'production' | 'development'): {
  log: pino.Logger;
  lines: () => Record<string, unknown>[];
} {
  const out: string[] = [];
  const log = pino(loggerOptions({ env, logLevel: 'info' }, false), {
    write: (line: string) => out.push(line),
  });
  return { log, lines: () => out.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const entry = {
  password: 'hunter2',
  call: { from: '+14155550100', To: '+14155550101', digits: '1234' },
  prospect: { email: 'a@example.com', phone: '+14155550102' },
  pii: { anything: 'x' },
  transcript: 'hello',
  twilio: { authToken: 'tok' },
  req: { headers: { authorization: 'Bearer abc', cookie: 'c=1' } },
};

describe('log redaction', () => {
  it('redacts secrets and personal data in production', () => {
    const { log, lines } = capture('production');
    log.info(entry, 'x');
    const line = lines()[0]!;
    expect(line).toMatchObject({
      password: REDACTED,
      call: { from: REDACTED, To: REDACTED, digits: REDACTED },
      prospect: { email: REDACTED, phone: REDACTED },
      pii: REDACTED,
      transcript: REDACTED,
      twilio: { authToken: REDACTED },
      req: { headers: { authorization: REDACTED, cookie: REDACTED } },
    });
    expect(JSON.stringify(line)).not.toMatch(/hunter2|4155550|a@example|Bearer abc|hello/);
  });

  it('keeps personal data for local debugging but still hides secrets outside production', () => {
    const { log, lines } = capture('development');
    log.info(entry, 'x');
    const line = lines()[0]!;
    expect(line).toMatchObject({
      password: REDACTED,
      call: { from: '+14155550100' },
      twilio: { authToken: REDACTED },
    });
  });
});

describe('query-string credentials', () => {
  it('are redacted from logged URLs', async () => {
    const { redactQueryTokens } = await import('./logging.ts');
    expect(redactQueryTokens('/api/events?token=eyJabc.def&x=1')).toBe('/api/events?token=[redacted]&x=1');
    expect(redactQueryTokens('/api/browser-call?agentId=a&token=sk_123')).toBe(
      '/api/browser-call?agentId=a&token=[redacted]',
    );
    expect(redactQueryTokens('/api/calls?limit=5')).toBe('/api/calls?limit=5');
  });
});

describe('request log line', () => {
  const request = { method: 'GET', url: '/api/calls?token=abc&q=x', id: '1', headers: {} };
  it('is one short line, with query tokens hidden outside production and no query in production', () => {
    expect(requestLogLine(request, 200, 12.4, 'development')).toEqual({
      level: 'info',
      message: 'GET /api/calls?token=[redacted]&q=x 200 12ms',
      fields: { method: 'GET', url: '/api/calls?token=[redacted]&q=x', statusCode: 200, ms: 12 },
    });
    expect(requestLogLine(request, 503, 1, 'production')).toMatchObject({
      level: 'error',
      message: 'GET /api/calls 503 1ms',
    });
  });
  it('keeps health checks out of the info log', () => {
    expect(requestLogLine({ ...request, url: '/health' }, 200, 1, 'production').level).toBe('debug');
  });
});

describe('database errors in the log', () => {
  it('never carry the query parameters', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino(loggerOptions({ env: 'production', logLevel: 'info' }, false), sink);
    const cause = Object.assign(new Error('duplicate key value violates unique constraint'), {
      detail: 'Key (email)=(ada@example.com) already exists.',
    });
    const failed = Object.assign(
      new Error(
        'Failed query: insert into "prospects" ("name", "phone") values ($1, $2)\nparams: Ada Lovelace,+14155550123',
      ),
      { params: ['Ada Lovelace', '+14155550123'], cause },
    );
    log.error({ err: failed }, 'request failed');
    const line = lines.join('');
    expect(line).toContain('Failed query: insert into');
    for (const value of ['Ada Lovelace', '+14155550123', 'ada@example.com'])
      expect(line).not.toContain(value);
  });
});

describe('log format', () => {
  it('is pretty on a terminal unless NODE_ENV=production was set, and JSON off a terminal', () => {
    const defaulted = { env: 'production' as const, logLevel: 'info' as const, prettyLogsOnTty: true };
    expect(loggerOptions(defaulted, true).transport).toMatchObject({ target: 'pino-pretty' });
    expect(loggerOptions(defaulted, false).transport).toBeUndefined();
    expect(loggerOptions({ ...defaulted, prettyLogsOnTty: false }, true).transport).toBeUndefined();
  });
});
