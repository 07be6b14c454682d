/**
 * Hybrid retrieval with an embeddings endpoint (the test kit's fake): vectors where pgvector is
 * installed (always on PGlite), a clear full-text fallback where it is not, and a failing or
 * slow endpoint never failing a search or a document.
 */
import { type FakeEmbeddings, startFakeEmbeddings } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectVectorSupport } from '../knowledge/vector-support.ts';
import { processedKnowledge } from '../testing/knowledge.ts';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();

describe.each(kinds)('hybrid knowledge retrieval on %s', (kind) => {
  let t: TestApp;
  let embeddings: FakeEmbeddings;
  beforeAll(async () => {
    embeddings = await startFakeEmbeddings({ apiKey: 'sk-embed' });
    t = await buildTestApp(kind, {
      jobs: true,
      env: {
        OPENAI_API_KEY: 'sk-embed',
        OPENAI_BASE_URL: embeddings.url,
        KNOWLEDGE_EMBEDDINGS_MODEL: 'text-embedding-3-small',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await embeddings?.close();
  });

  it('fuses vector and full-text results, or says why vectors are off', async () => {
    const vectors = (await detectVectorSupport(t.ctx.db)).available;
    if (kind === 'pglite') expect(vectors).toBe(true);
    const org = await t.seedOrg();
    const agentId = org.agent.id;
    for (const [title, text] of [
      ['Tyres', 'Winter tyres are stored for free between seasons.'],
      ['Payments', 'We accept cash, credit cards and Apple Pay.'],
    ]) {
      await t.as(org.tokens.admin).post(`/api/agents/${agentId}/knowledge`, { title, text });
    }
    const list = await processedKnowledge(t, org.tokens.viewer, agentId);
    expect(
      list.items.every(
        (d: { status: string; error: string | null }) => d.status === 'ready' && d.error === null,
      ),
    ).toBe(true);
    const search = (query: string) =>
      t
        .as(org.tokens.agent)
        .post(`/api/agents/${agentId}/knowledge/search`, { query })
        .then((r) => r.json());
    if (vectors) {
      expect(list.status).toMatchObject({ retrieval: 'hybrid', vectorNote: null });
      expect(
        embeddings.requests.some((r) => r.inputs.length === 1 && r.inputs[0]!.includes('Winter tyres')),
      ).toBe(true);
      const found = await search('tyre storage');
      expect(found.retrieval).toBe('hybrid');
      expect(found.passages[0].title).toBe('Tyres');
      // Vectors alone can find a passage whose words the full-text query would not AND/OR-match exactly.
      expect((await search('apple')).passages[0].title).toBe('Payments');
    } else {
      expect(list.status.retrieval).toBe('fulltext');
      expect(list.status.vectorNote).toMatch(/pgvector is not installed/);
      expect((await search('winter tyres')).retrieval).toBe('fulltext');
    }

    // A failing endpoint: searches fall back to full-text, new documents are still indexed.
    embeddings.failWith = 500;
    const fallback = await search('winter tyres');
    expect(fallback.retrieval).toBe('fulltext');
    expect(fallback.passages[0].title).toBe('Tyres');
    await t
      .as(org.tokens.admin)
      .post(`/api/agents/${agentId}/knowledge`, { title: 'Hours', text: 'Open on Saturdays.' });
    const after = await processedKnowledge(t, org.tokens.viewer, agentId);
    const hours = after.items.find((d: { title: string }) => d.title === 'Hours');
    expect(hours.status).toBe('ready');
    if (vectors) expect(hours.error).toMatch(/full-text search only/);
    embeddings.failWith = null;
  });
});
