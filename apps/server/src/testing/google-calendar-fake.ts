/**
 * A local fake of the Google Calendar API endpoints the product uses (freeBusy.query,
 * events.insert, events.patch and events.delete), plus a throwaway service-account key file, so GOOGLE_APPLICATION_CREDENTIALS
 * and GOOGLE_CALENDAR_API_URL can point the real adapter at it. Requests need a bearer token
 * (the adapter's self-signed JWT); `delayMs` and `failEvents` exercise slow and broken calendars.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GoogleCalendarFake {
  /** Root URL for GOOGLE_CALENDAR_API_URL. */
  url: string;
  /** Path of a service-account key file for GOOGLE_APPLICATION_CREDENTIALS. */
  credentialsPath: string;
  /** Busy intervals every freeBusy query answers (any calendar id). */
  busy: Array<{ start: string; end: string }>;
  /** Event bodies inserted, in order. */
  events: Array<Record<string, unknown>>;
  /** The calendar as it is now: event id → event (patches applied; deleted ones have status 'cancelled'). */
  byId: Map<string, Record<string, unknown>>;
  /** Requests received (method and path). */
  requests: Array<{ method: string; path: string }>;
  /** Delay before answering, ms. */
  delayMs: number;
  /** Answer events.insert with 500. */
  failEvents: boolean;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body ? (JSON.parse(body) as Record<string, unknown>) : {};
}

export async function startGoogleCalendarFake(): Promise<GoogleCalendarFake> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-gcal-'));
  const credentialsPath = join(dir, 'service-account.json');
  writeFileSync(
    credentialsPath,
    JSON.stringify({
      type: 'service_account',
      client_email: 'bot@example.iam.gserviceaccount.com',
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    }),
  );
  let server: Server | undefined;
  const fake: GoogleCalendarFake = {
    url: '',
    credentialsPath,
    busy: [],
    events: [],
    byId: new Map(),
    requests: [],
    delayMs: 0,
    failEvents: false,
    close: () =>
      new Promise((resolve) => {
        server?.closeAllConnections();
        server?.close(() => resolve());
      }),
  };
  server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    fake.requests.push({ method: req.method ?? 'GET', path });
    const body = await readJson(req);
    if (fake.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.delayMs));
    res.setHeader('content-type', 'application/json');
    if (!(req.headers.authorization ?? '').startsWith('Bearer ')) {
      res.writeHead(401).end('{"error":{"code":401,"message":"Login Required"}}');
      return;
    }
    const events = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(path);
    const one = /^\/calendar\/v3\/calendars\/([^/]+)\/events\/([^/]+)$/.exec(path);
    const existing = one ? fake.byId.get(decodeURIComponent(one[2]!)) : undefined;
    if (path === '/calendar/v3/freeBusy' && req.method === 'POST') {
      const items = (body.items as Array<{ id: string }> | undefined) ?? [];
      const calendars = Object.fromEntries(items.map((item) => [item.id, { busy: fake.busy }]));
      res.end(JSON.stringify({ kind: 'calendar#freeBusy', calendars }));
    } else if (events && req.method === 'POST') {
      if (fake.failEvents) {
        res.writeHead(500).end('{"error":{"code":500,"message":"Backend Error"}}');
        return;
      }
      fake.events.push(body);
      const event = { id: `evt${fake.events.length}`, status: 'confirmed', ...body };
      fake.byId.set(event.id, event);
      res.end(JSON.stringify(event));
    } else if (one && (req.method === 'PATCH' || req.method === 'DELETE')) {
      if (fake.failEvents) {
        res.writeHead(500).end('{"error":{"code":500,"message":"Backend Error"}}');
      } else if (!existing || existing.status === 'cancelled') {
        res.writeHead(existing ? 410 : 404).end('{"error":{"code":404,"message":"Not Found"}}');
      } else if (req.method === 'PATCH') {
        Object.assign(existing, body);
        res.end(JSON.stringify(existing));
      } else {
        existing.status = 'cancelled';
        res.writeHead(204).end();
      }
    } else {
      res.writeHead(404).end('{"error":{"code":404,"message":"Not Found"}}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return fake;
}
