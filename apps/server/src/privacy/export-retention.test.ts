/** Right of access (export) and retention (dry run, then the real run), scoped and audited. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calls, messages, transcriptSegments } from '@switchboard/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAppointment, insertCall, insertCallEvents, insertTranscript } from '../testing/fixtures.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { eventually } from '../testing/voice-harness.ts';
import { recordingsDir } from './recording-files.ts';
import { retentionJob } from './retention-job.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const kinds = await testDbKinds();

describe.each(kinds)('export and retention on %s', (kind) => {
  let t: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-retention-'));
    t = await buildTestApp(kind, { clock: () => NOW, env: { DATA_DIR: dataDir }, jobs: true });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports everything held about a person, to admins of the organization only', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    const prospect = (
      await t.as(org.tokens.agent).post('/api/prospects', { phone: '+14155550131', contact: 'Pat' })
    ).json();
    const call = await insertCall(t.ctx.db, org.id, {
      from: '+14155550131',
      recordingUrl: 'https://example.test/RE1.mp3',
    });
    await insertTranscript(t.ctx.db, call, [{ role: 'user', text: 'Hi, this is Pat', atMs: 10 }]);
    await insertCallEvents(t.ctx.db, call, [{ type: 'tool_call', atMs: 20, data: { name: 'create_lead' } }]);
    await t.ctx.db.insert(messages).values({
      organizationId: org.id,
      prospectId: prospect.id,
      from: '+1500',
      to: '+14155550131',
      body: 'Hello Pat',
    });
    await insertAppointment(t.ctx.db, org.id, {
      prospectId: prospect.id,
      start: new Date('2026-07-01T15:00:00Z'),
    });
    await insertCall(t.ctx.db, other.id, { from: '+14155550131' }); // another business's call: not exported

    const res = await t.as(org.tokens.admin).get(`/api/prospects/${prospect.id}/export`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('attachment');
    const doc = res.json();
    expect(doc).toMatchObject({
      organization: { id: org.id },
      prospect: { id: prospect.id, contact: 'Pat' },
      calls: [{ id: call.id, transcript: [{ text: 'Hi, this is Pat' }], events: [{ type: 'tool_call' }] }],
      messages: [{ body: 'Hello Pat' }],
      appointments: [{ prospectId: prospect.id }],
      recordings: [{ callId: call.id, url: 'https://example.test/RE1.mp3' }],
      doNotCall: { listed: false },
    });
    expect(doc.calls).toHaveLength(1);
    expect((await t.as(org.tokens.agent).get(`/api/prospects/${prospect.id}/export`)).statusCode).toBe(403);
    expect((await t.as(other.tokens.admin).get(`/api/prospects/${prospect.id}/export`)).statusCode).toBe(404);
    expect((await t.as(org.tokens.admin).get('/api/prospects/nope/export')).statusCode).toBe(400);
    const audit = (await t.as(org.tokens.admin).get('/api/audit?action=privacy.export')).json().items;
    expect(audit).toEqual([expect.objectContaining({ targetId: prospect.id, details: {} })]);
  });

  it('previews retention (also with unsaved settings), then removes old transcripts and recordings', async () => {
    const org = await t.seedOrg();
    const old = await insertCall(t.ctx.db, org.id, {
      endedAt: new Date(NOW.getTime() - 40 * DAY),
      summary: 'Old call',
      recordingUrl: 'https://example.test/old.mp3',
      recordingKey: 'old.wav',
    });
    const recent = await insertCall(t.ctx.db, org.id, {
      endedAt: new Date(NOW.getTime() - 5 * DAY),
      summary: 'Recent call',
      recordingUrl: 'https://example.test/new.mp3',
    });
    await insertTranscript(t.ctx.db, old, [
      { role: 'user', text: 'old one', atMs: 1 },
      { role: 'assistant', text: 'old two', atMs: 2 },
    ]);
    await insertTranscript(t.ctx.db, recent, [{ role: 'user', text: 'recent', atMs: 1 }]);
    mkdirSync(recordingsDir(dataDir, org.id), { recursive: true });
    const file = join(recordingsDir(dataDir, org.id), `${old.id}.wav`);
    writeFileSync(file, 'RIFF');

    const api = t.as(org.tokens.admin);
    const nothing = (await api.get('/api/organization/retention')).json();
    expect(nothing).toMatchObject({
      dryRun: true,
      transcriptsDays: null,
      transcripts: { calls: 0 },
      recordings: { calls: 0 },
    });
    const preview = (
      await api.get('/api/organization/retention?transcriptsDays=30&recordingsDays=30')
    ).json();
    expect(preview).toMatchObject({
      dryRun: true,
      transcripts: { calls: 1, segments: 2, before: '2026-05-02T12:00:00.000Z' },
      recordings: { calls: 1, files: 1 },
    });
    expect((await api.get('/api/organization/retention?transcriptsDays=0')).statusCode).toBe(400);
    expect((await t.as(org.tokens.agent).get('/api/organization/retention')).statusCode).toBe(403);
    expect(await t.ctx.db.$count(transcriptSegments, eq(transcriptSegments.callId, old.id))).toBe(2);

    await api.patch('/api/organization', { retention: { transcriptsDays: 30, recordingsDays: 30 } });
    // The daily job, run now through the queue (the workers of jobs/workers.ts are running).
    const id = await t.ctx.jobs.send(retentionJob, {});
    await eventually(async () => (await t.ctx.jobs.getJob(retentionJob, id!))?.state === 'completed', 30_000);
    expect(await t.ctx.db.$count(transcriptSegments, eq(transcriptSegments.callId, old.id))).toBe(0);
    expect(await t.ctx.db.$count(transcriptSegments, eq(transcriptSegments.callId, recent.id))).toBe(1);
    const [oldRow] = await t.ctx.db.select().from(calls).where(eq(calls.id, old.id));
    expect(oldRow).toMatchObject({ summary: null, recordingUrl: null, recordingKey: null });
    const [recentRow] = await t.ctx.db.select().from(calls).where(eq(calls.id, recent.id));
    expect(recentRow).toMatchObject({ summary: 'Recent call', recordingUrl: 'https://example.test/new.mp3' });
    expect(existsSync(file)).toBe(false);
    const audit = (await api.get('/api/audit?action=retention.enforce')).json().items;
    expect(audit).toEqual([expect.objectContaining({ actor: { type: 'system', id: null, label: null } })]);
    // Nothing left to remove.
    expect((await api.get('/api/organization/retention')).json()).toMatchObject({
      transcripts: { calls: 0 },
      recordings: { calls: 0, files: 0 },
    });
  });
});
