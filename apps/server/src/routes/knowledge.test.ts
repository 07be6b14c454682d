/**
 * The knowledge API on both databases: uploads of every format, processing to passages,
 * search, deletion, tenancy and roles, and every bad input (damaged, encrypted, binary, too
 * large, unsupported) failing only its own document. Processing runs as the durable job.
 */
import { knowledgeChunks } from '@switchboard/db';
import { KNOWLEDGE_BRIEF_INSTRUCTION_CHARS } from '@switchboard/shared';
import { makeDocx, makePdf } from '@switchboard/testkit';
import { BRIEF_INSTRUCTION_CHARS } from '@switchboard/voice';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processedKnowledge, uploadFile } from '../testing/knowledge.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('knowledge API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(kind, { jobs: true });
  });
  afterAll(() => t?.close());

  it('turns a PDF, a DOCX, a CSV and a JSON text into searchable passages', async () => {
    const org = await t.seedOrg();
    const agentId = org.agent.id;
    const admin = org.tokens.admin;
    const pdf = await uploadFile(t, admin, agentId, {
      filename: 'warranty.pdf',
      content: makePdf([
        'Welcome to Prime Auto Lab.',
        'Brake repairs carry a 24-month warranty on parts and labour.',
      ]),
      contentType: 'application/pdf',
    });
    expect(pdf.statusCode).toBe(202);
    expect(pdf.json()).toMatchObject({
      title: 'warranty',
      mimeType: 'application/pdf',
      status: 'processing',
      source: 'upload',
    });
    await uploadFile(
      t,
      admin,
      agentId,
      {
        filename: 'loaners.docx',
        content: await makeDocx(['Loaner cars are free for repairs over 500 dollars.']),
      },
      { title: 'Loaner policy' },
    );
    await uploadFile(t, admin, agentId, {
      filename: 'prices.csv',
      content: Buffer.from('Service,Price\nOil change,$59\nTyre rotation,$25\n'),
    });
    const text = await t
      .as(admin)
      .post(`/api/agents/${agentId}/knowledge`, { title: 'Hours', text: 'We open Saturdays from 9 to 4.' });
    expect(text.statusCode).toBe(202);
    expect(text.json().mimeType).toBe('application/json');

    const list = await processedKnowledge(t, org.tokens.viewer, agentId);
    expect(list.items.map((d: { title: string; status: string }) => [d.title, d.status])).toEqual([
      ['Hours', 'ready'],
      ['prices', 'ready'],
      ['Loaner policy', 'ready'],
      ['warranty', 'ready'],
    ]);
    expect(
      list.items.every((d: { chunks: number; progress: number }) => d.chunks >= 1 && d.progress === 100),
    ).toBe(true);
    expect(list.status).toMatchObject({ documents: 4, retrieval: 'fulltext' });
    expect(list.status.vectorNote).toMatch(/KNOWLEDGE_EMBEDDINGS_MODEL/);

    const search = async (query: string) =>
      (await t.as(org.tokens.agent).post(`/api/agents/${agentId}/knowledge/search`, { query })).json();
    const warranty = await search('How long is the warranty on my brakes?');
    expect(warranty.retrieval).toBe('fulltext');
    expect(warranty.passages[0]).toMatchObject({ title: 'warranty' });
    expect(warranty.passages[0].text).toContain('24-month warranty');
    expect((await search('loaner car')).passages[0].title).toBe('Loaner policy');
    expect((await search('oil change price')).passages[0].text).toContain('Service: Oil change; Price: $59');
    expect((await search('Are you open on Saturday?')).passages[0].title).toBe('Hours');
    expect((await search('the and of')).passages).toEqual([]); // stop words only
    // Query syntax characters and quotes are words, never tsquery syntax.
    const odd = await t.as(org.tokens.agent).post(`/api/agents/${agentId}/knowledge/search`, {
      query: "O'Brien's oil\\change: (price | cost) & !warranty <-> 'x'",
    });
    expect(odd.statusCode).toBe(200);
    expect(odd.json().passages[0].text).toContain('Oil change');

    // Uploaded bytes are dropped once processed.
    const stored = await t.ctx.db
      .select({ id: knowledgeChunks.id })
      .from(knowledgeChunks)
      .where(eq(knowledgeChunks.agentId, agentId));
    expect(stored.length).toBeGreaterThanOrEqual(4);
  });

  it('fails only the bad document, with a clear error', async () => {
    const org = await t.seedOrg();
    const { id: agentId } = org.agent;
    const admin = org.tokens.admin;
    await uploadFile(t, admin, agentId, {
      filename: 'locked.pdf',
      content: makePdf(['secret'], { encrypted: true }),
    });
    await uploadFile(t, admin, agentId, {
      filename: 'broken.pdf',
      content: Buffer.from('%PDF-1.7 this is not really a pdf'),
    });
    await uploadFile(t, admin, agentId, {
      filename: 'photo.txt',
      content: Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 91) % 256)),
    });
    await uploadFile(t, admin, agentId, {
      filename: 'bomb.docx',
      content: await makeDocx(['x'], { padding: 120 * 1024 * 1024 }),
    });
    await uploadFile(t, admin, agentId, {
      filename: 'good.md',
      content: Buffer.from('# FAQ\n\nWe service all makes and models.'),
    });
    const list = await processedKnowledge(t, org.tokens.viewer, agentId);
    const byTitle = Object.fromEntries(list.items.map((d: { title: string }) => [d.title, d]));
    expect(byTitle.locked).toMatchObject({
      status: 'failed',
      chunks: 0,
      error: expect.stringMatching(/password-protected/),
    });
    expect(byTitle.broken).toMatchObject({ status: 'failed', error: expect.stringMatching(/damaged/) });
    expect(byTitle.photo).toMatchObject({ status: 'failed', error: expect.stringMatching(/not plain text/) });
    expect(byTitle.bomb).toMatchObject({ status: 'failed', error: expect.stringMatching(/decompressed/) });
    expect(byTitle.good).toMatchObject({ status: 'ready', error: null });
  });

  it('refuses uploads that are too large, empty or of an unsupported type before storing anything', async () => {
    const org = await t.seedOrg();
    const { id: agentId } = org.agent;
    const admin = org.tokens.admin;
    const huge = await uploadFile(t, admin, agentId, {
      filename: 'huge.pdf',
      content: Buffer.alloc(100 * 1024 * 1024, 0x41),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error).toMatchObject({
      code: 'payload_too_large',
      message: expect.stringMatching(/larger than 20 MB/),
    });
    const exe = await uploadFile(t, admin, agentId, { filename: 'setup.exe', content: Buffer.from('MZ') });
    expect(exe.statusCode).toBe(415);
    expect(
      (await uploadFile(t, admin, agentId, { filename: 'empty.txt', content: Buffer.alloc(0) })).statusCode,
    ).toBe(400);
    expect(
      (await t.as(admin).post(`/api/agents/${agentId}/knowledge`, { title: 'x', text: '   ' })).statusCode,
    ).toBe(400);
    expect(
      (await t.as(admin).post(`/api/agents/${agentId}/knowledge`, { text: 'no title' })).statusCode,
    ).toBe(400);
    expect((await processedKnowledge(t, admin, agentId)).items).toEqual([]);
  });

  it('keeps knowledge to its organization and its roles', async () => {
    const org = await t.seedOrg();
    const other = await t.seedOrg();
    const res = await t
      .as(org.tokens.admin)
      .post(`/api/agents/${org.agent.id}/knowledge`, { title: 'Secret', text: 'Our margin is 40 percent.' });
    const docId = res.json().id;
    await processedKnowledge(t, org.tokens.viewer, org.agent.id);
    expect(
      (await t.as(org.tokens.viewer).post(`/api/agents/${org.agent.id}/knowledge`, { title: 'a', text: 'b' }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await t
          .as(org.tokens.viewer)
          .post(`/api/agents/${org.agent.id}/knowledge/search`, { query: 'margin' })
      ).statusCode,
    ).toBe(403);
    expect((await t.as(other.tokens.admin).get(`/api/agents/${org.agent.id}/knowledge`)).statusCode).toBe(
      404,
    );
    expect(
      (
        await t
          .as(other.tokens.admin)
          .post(`/api/agents/${org.agent.id}/knowledge/search`, { query: 'margin' })
      ).statusCode,
    ).toBe(404);
    expect((await t.as(other.tokens.admin).delete(`/api/knowledge/${docId}`)).statusCode).toBe(404);
    // Another organization's agent with the same words finds nothing of ours.
    const theirs = await t
      .as(other.tokens.agent)
      .post(`/api/agents/${other.agent.id}/knowledge/search`, { query: 'margin percent' });
    expect(theirs.json().passages).toEqual([]);

    expect((await t.as(org.tokens.admin).delete(`/api/knowledge/${docId}`)).statusCode).toBe(204);
    const after = await t
      .as(org.tokens.agent)
      .post(`/api/agents/${org.agent.id}/knowledge/search`, { query: 'margin' });
    expect(after.json().passages).toEqual([]);
  });

  it('indexes a company brief longer than the instructions take, and enables search_knowledge', async () => {
    // The studio's number is the one the instructions use.
    expect(KNOWLEDGE_BRIEF_INSTRUCTION_CHARS).toBe(BRIEF_INSTRUCTION_CHARS);
    const org = await t.seedOrg();
    const filler = Array.from(
      { length: 120 },
      (_, i) => `Section ${i}: general information about the shop and its friendly team.`,
    ).join('\n\n');
    const brief = `${filler}\n\nThe secret handshake for VIP customers is two taps and a wave.`;
    const res = await t
      .as(org.tokens.admin)
      .patch(`/api/agents/${org.agent.id}`, { companyBrief: brief, tools: ['end_call'] });
    expect(res.statusCode).toBe(200);
    expect(res.json().tools).toEqual(['end_call', 'search_knowledge']);
    const list = await processedKnowledge(t, org.tokens.viewer, org.agent.id);
    expect(list.items).toMatchObject([{ title: 'Company brief', source: 'brief', status: 'ready' }]);
    expect(list.status.briefTotal).toBe(brief.length);
    expect(list.status.briefInInstructions).toBeLessThan(brief.length);
    const found = await t
      .as(org.tokens.agent)
      .post(`/api/agents/${org.agent.id}/knowledge/search`, { query: 'VIP handshake' });
    expect(found.json().passages[0].text).toContain('two taps and a wave');
    // A brief that fits again removes the document.
    await t.as(org.tokens.admin).patch(`/api/agents/${org.agent.id}`, { companyBrief: 'Short brief.' });
    expect((await processedKnowledge(t, org.tokens.viewer, org.agent.id)).items).toEqual([]);
  });
});
