import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoogleCalendar } from './google.ts';

// A local fake of the two Calendar API endpoints we use; it verifies the self-signed JWT.
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const events: Array<Record<string, unknown>> = [];
let server: Server;
let rootUrl: string;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return JSON.parse(body) as Record<string, unknown>;
}

beforeAll(async () => {
  const key = await importSPKI(publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
  server = createServer(async (req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    try {
      const { payload } = await jwtVerify(token, key);
      if (payload.iss !== 'bot@example.iam.gserviceaccount.com') throw new Error('issuer');
    } catch {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":401}}');
      return;
    }
    const body = await readJson(req);
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/calendar/v3/freeBusy')) {
      res.end(
        JSON.stringify({
          calendars: {
            'team@example.com': { busy: [{ start: '2026-03-09T14:00:00Z', end: '2026-03-09T15:00:00Z' }] },
          },
        }),
      );
    } else if (req.url?.startsWith('/calendar/v3/calendars/team%40example.com/events')) {
      events.push(body);
      res.end(JSON.stringify({ id: `evt${events.length}`, ...body }));
    } else {
      res.writeHead(404).end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rootUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('GoogleCalendar against a local fake', () => {
  const calendar = () =>
    new GoogleCalendar({
      account: {
        client_email: 'bot@example.iam.gserviceaccount.com',
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      calendarId: 'team@example.com',
      rootUrl,
    });

  it('reads busy intervals with a signed service-account token', async () => {
    const busy = await calendar().busy(new Date('2026-03-09T00:00:00Z'), new Date('2026-03-10T00:00:00Z'));
    expect(busy).toEqual([
      { start: new Date('2026-03-09T14:00:00Z'), end: new Date('2026-03-09T15:00:00Z') },
    ]);
  });

  it('creates events', async () => {
    const result = await calendar().createEvent({
      start: new Date('2026-03-09T16:00:00Z'),
      end: new Date('2026-03-09T16:30:00Z'),
      timeZone: 'America/New_York',
      title: 'Intro call',
      description: 'Booked by the agent',
    });
    expect(result.externalId).toMatch(/^evt\d+$/);
    expect(events.at(-1)).toMatchObject({ summary: 'Intro call', start: { timeZone: 'America/New_York' } });
  });
});
