/**
 * The erase guarantee: after POST /api/privacy/erase and a VACUUM, no text or JSON column of any
 * table holds the person's phone number or email, and neither does any file in DATA_DIR (the
 * embedded database's files included, its write-ahead log excepted: docs/privacy.md). Their
 * calls keep anonymous metrics; another organization's data is untouched.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callEvents, calls, doNotCall, messages } from '@switchboard/db';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit as writeAudit } from '../services/record-audit.ts';
import { insertAppointment, insertCall, insertCallEvents, insertTranscript } from '../testing/fixtures.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { recordingsDir } from './recording-files.ts';

const PHONE = '+14155550123';
const EMAIL = 'Erin.Person@example.org';
const kinds = await testDbKinds();

/** Every (table, column) of type text, varchar or jsonb in the public schema holding the needle. */
async function columnsHolding(t: TestApp, needle: string): Promise<string[]> {
  const columns = (await t.ctx.db.execute(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = 'public' and data_type in ('text', 'character varying', 'jsonb', 'json')`)) as unknown as {
    rows: Array<{ table_name: string; column_name: string }>;
  };
  const hits: string[] = [];
  for (const { table_name, column_name } of columns.rows) {
    const found = (await t.ctx.db.execute(
      sql`select count(*)::int as n from ${sql.identifier(table_name)} where ${sql.identifier(column_name)}::text ilike ${`%${needle}%`}`,
    )) as unknown as { rows: Array<{ n: number }> };
    if (found.rows[0]!.n > 0) hits.push(`${table_name}.${column_name}`);
  }
  return hits;
}

/** Files under dir (the write-ahead log excepted) whose bytes contain the needle. */
function filesHolding(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'pg_wal') walk(full);
      } else if (readFileSync(full).includes(Buffer.from(needle))) hits.push(full);
    }
  };
  walk(dir);
  return hits;
}

describe.each(kinds)('erasing a person on %s', (kind) => {
  let t: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-erase-'));
    t = await buildTestApp(kind, { dataDir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves no row or file holding their phone number or email', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    const { db } = t.ctx;
    const prospect = (
      await t
        .as(org.tokens.agent)
        .post('/api/prospects', { phone: PHONE, email: EMAIL, contact: 'Erin', notes: `mail ${EMAIL}` })
    ).json();
    const call = await insertCall(db, org.id, {
      from: PHONE,
      prospectId: prospect.id,
      summary: `Erin (${EMAIL}) booked a cleaning`,
      recordingUrl: `https://api.twilio.com/recordings/RE1?from=${PHONE}`,
      durationS: 95,
      costUsd: '0.123400',
      latency: { p50Ms: 640 },
      providerCallSid: `CA${'1'.repeat(32)}`,
    });
    await insertTranscript(db, call, [
      { role: 'user', text: `My number is ${PHONE} and my email is ${EMAIL.toLowerCase()}`, atMs: 1000 },
      { role: 'assistant', text: 'Thanks Erin', atMs: 2000 },
    ]);
    await insertCallEvents(db, call, [
      {
        type: 'tool_call',
        atMs: 3000,
        data: { name: 'create_lead', arguments: { phone: PHONE, email: EMAIL } },
      },
      { type: 'turn_latency', atMs: 3100, data: { turnLatencyMs: 640 } },
    ]);
    await db.insert(messages).values([
      {
        organizationId: org.id,
        prospectId: prospect.id,
        from: '+15005550006',
        to: PHONE,
        body: 'See you Monday',
      },
      { organizationId: org.id, from: PHONE, to: '+15005550006', body: 'ok', direction: 'inbound' },
    ]);
    await insertAppointment(db, org.id, {
      prospectId: prospect.id,
      start: new Date('2030-01-07T15:00:00Z'),
      notes: EMAIL,
    });
    await db.insert(doNotCall).values({ organizationId: org.id, phone: PHONE, source: 'opt_out' });
    // Someone else's call that mentions Erin's number and email.
    const friend = await insertCall(db, org.id, { from: '+14155550999' });
    await insertTranscript(db, friend, [{ role: 'user', text: `Call my friend at ${PHONE}`, atMs: 500 }]);
    await insertCallEvents(db, friend, [
      { type: 'tool_call', atMs: 600, data: { arguments: { to: PHONE, note: EMAIL } } },
    ]);
    await writeAudit({ db }, { organizationId: org.id, action: 'test.legacy', details: { email: EMAIL } });
    // A recording the server stored for Erin's call.
    mkdirSync(recordingsDir(dataDir, org.id), { recursive: true });
    writeFileSync(join(recordingsDir(dataDir, org.id), `${call.id}.wav`), `RIFF ${PHONE}`);
    // The same number at another business is theirs to keep.
    const theirs = (await t.as(other.tokens.agent).post('/api/prospects', { phone: '+14155550124' })).json();

    expect(await columnsHolding(t, PHONE)).not.toEqual([]);
    const res = await t
      .as(org.tokens.admin)
      .post('/api/privacy/erase', { phone: '(415) 555-0123', email: EMAIL.toUpperCase() });
    expect(res.statusCode).toBe(200);
    expect(res.json().erased).toMatchObject({
      prospects: 1,
      calls: 1,
      transcriptSegments: 2,
      callEvents: 1,
      messages: 2,
      appointments: 1,
      doNotCall: 1,
      recordingFiles: 1,
    });

    // Anonymous metrics stay on the call.
    const [kept] = await db.select().from(calls).where(eq(calls.id, call.id));
    expect(kept).toMatchObject({
      from: '',
      to: '',
      summary: null,
      recordingUrl: null,
      providerCallSid: null,
      durationS: 95,
    });
    expect(kept!.costUsd).toBe('0.123400');
    expect(
      await db.$count(callEvents, and(eq(callEvents.callId, call.id), eq(callEvents.type, 'turn_latency'))),
    ).toBe(1);
    // The friend's call stays, scrubbed.
    expect(await db.$count(calls, eq(calls.id, friend.id))).toBe(1);
    const audit = (await t.as(org.tokens.admin).get('/api/audit?action=privacy.erase')).json().items;
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).not.toMatch(/4155550123|erin/i);
    expect((await t.as(other.tokens.viewer).get(`/api/prospects/${theirs.id}`)).statusCode).toBe(200);

    await db.execute(sql`vacuum (full, analyze)`);
    expect(await columnsHolding(t, PHONE)).toEqual([]);
    expect(await columnsHolding(t, '4155550123')).toEqual([]);
    expect(await columnsHolding(t, EMAIL)).toEqual([]);
    if (kind === 'pglite') await db.execute(sql`checkpoint`);
    expect(filesHolding(dataDir, PHONE)).toEqual([]);
    expect(filesHolding(dataDir, EMAIL.toLowerCase())).toEqual([]);
    expect(filesHolding(dataDir, EMAIL)).toEqual([]);
  });

  it('answers 404 when nothing matches, and erases only within the organization', async () => {
    const a = await t.seedOrg();
    const b = await t.seedOrg();
    await t.as(b.tokens.agent).post('/api/prospects', { phone: '+14155550155' });
    const res = await t.as(a.tokens.admin).post('/api/privacy/erase', { phone: '+14155550155' });
    expect(res.statusCode).toBe(404);
    expect((await t.as(b.tokens.viewer).get('/api/prospects?q=4155550155')).json().total).toBe(1);
    expect(
      (await t.as(a.tokens.agent).post('/api/privacy/erase', { phone: '+14155550155' })).statusCode,
    ).toBe(403);
    expect((await t.as(a.tokens.admin).post('/api/privacy/erase', {})).statusCode).toBe(400);
    expect(
      (await t.as(a.tokens.admin).post('/api/privacy/erase', { email: 'not-an-email' })).statusCode,
    ).toBe(400);
    expect((await t.as(a.tokens.admin).post('/api/privacy/erase', { phone: 'abc' })).statusCode).toBe(400);
  });
});
