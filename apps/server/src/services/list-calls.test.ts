import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCall, insertTranscript } from '../testing/fixtures.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { transcriptTerms } from './list-calls.ts';

const kinds = await testDbKinds();

describe('transcriptTerms', () => {
  it('keeps words only, each as a prefix', () => {
    expect(transcriptTerms('Root canal')).toEqual(['root:*', 'canal:*']);
    expect(transcriptTerms("x' | !y & (z)")).toEqual(['x:*', 'y:*', 'z:*']);
    expect(transcriptTerms('Müller 42')).toEqual(['müller:*', '42:*']);
    expect(transcriptTerms('  ?! ')).toEqual([]);
  });
});

describe.each(kinds)('calls list: search in transcripts on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind);
  });
  afterAll(() => t?.close());

  it('finds calls whose transcript has every word (prefixes too), within the organization', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    const canal = await insertCall(t.ctx.db, org.id);
    await insertTranscript(t.ctx.db, canal, [
      { role: 'user', text: 'I need a root canal, it hurts', atMs: 1 },
      { role: 'assistant', text: 'Let me check Tuesday', atMs: 2 },
    ]);
    const cleaning = await insertCall(t.ctx.db, org.id);
    await insertTranscript(t.ctx.db, cleaning, [{ role: 'user', text: 'Just a cleaning please', atMs: 1 }]);
    const theirs = await insertCall(t.ctx.db, other.id);
    await insertTranscript(t.ctx.db, theirs, [{ role: 'user', text: 'root canal', atMs: 1 }]);

    const ids = async (q: string) =>
      (await t.as(org.tokens.viewer).get(`/api/calls?q=${encodeURIComponent(q)}`))
        .json()
        .items.map((c: { id: string }) => c.id);
    expect(await ids('canal')).toEqual([canal.id]);
    expect(await ids('ROOT tues')).toEqual([canal.id]); // words from different turns, a prefix
    expect(await ids('clean')).toEqual([cleaning.id]);
    expect(await ids('canal cleaning')).toEqual([]);
    expect(await ids("'); drop table calls; --")).toEqual([]);
    expect((await t.as(org.tokens.viewer).get(`/api/calls?q=${'a'.repeat(201)}`)).statusCode).toBe(400);
  });
});
