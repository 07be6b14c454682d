import { startFakeGeminiText, startFakeOpenAIChat } from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';
import { resolveTextModel } from './resolve-text-model.ts';

const kinds = await testDbKinds();

describe.each(kinds)('resolveTextModel on %s', (kind) => {
  let t: TestApp;
  let onlyGemini: TestApp;
  const fakes: Array<{ close(): Promise<void> }> = [];
  let openaiRequests: Array<{ headers: Record<string, unknown> }>;
  let geminiRequests: Array<{ headers: Record<string, unknown>; path: string }>;

  beforeAll(async () => {
    const openai = await startFakeOpenAIChat({ script: [{ say: 'from openai', times: 9 }] });
    const gemini = await startFakeGeminiText({ script: [{ say: 'from gemini', times: 9 }] });
    fakes.push(openai, gemini);
    openaiRequests = openai.requests;
    geminiRequests = gemini.requests;
    const urls = { OPENAI_BASE_URL: openai.url, GEMINI_BASE_URL: gemini.url };
    t = await buildTestApp(kind, {
      env: { ...urls, OPENAI_API_KEY: 'sk-env-openai', OPENAI_TEXT_MODEL: 'gpt-test-mini' },
    });
    onlyGemini = await buildTestApp(kind, { env: { ...urls, GEMINI_API_KEY: 'env-gemini-key' } });
  });
  afterAll(async () => {
    await Promise.all([t.close(), onlyGemini.close(), ...fakes.map((f) => f.close())]);
  });

  it('uses OpenAI with the configured model when an OpenAI key exists', async () => {
    const org = await t.seedOrg();
    const text = await resolveTextModel(t.ctx, org.id);
    expect(text).toMatchObject({ provider: 'openai', modelName: 'gpt-test-mini' });
    const reply = await text!.model.complete({
      model: text!.modelName,
      messages: [{ role: 'user', text: 'hi' }],
    });
    expect(reply.text).toBe('from openai');
    expect(openaiRequests.at(-1)!.headers.authorization).toBe('Bearer sk-env-openai');
  });

  it("uses Gemini (the organization's stored key first) when there is no OpenAI key", async () => {
    const org = await onlyGemini.seedOrg();
    const text = await resolveTextModel(onlyGemini.ctx, org.id);
    expect(text).toMatchObject({ provider: 'gemini', modelName: 'gemini-2.5-flash' });
    await onlyGemini
      .as(org.tokens.admin)
      .put('/api/integrations/gemini', { secrets: { apiKey: 'org-gemini-key' } });
    const stored = await resolveTextModel(onlyGemini.ctx, org.id);
    expect(
      (await stored!.model.complete({ model: stored!.modelName, messages: [{ role: 'user', text: 'hi' }] }))
        .text,
    ).toBe('from gemini');
    expect(geminiRequests.at(-1)!.headers['x-goog-api-key']).toBe('org-gemini-key');
    expect(geminiRequests.at(-1)!.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
  });

  it('answers null when no text model key exists', async () => {
    const bare = await buildTestApp(kind);
    try {
      const org = await bare.seedOrg();
      expect(await resolveTextModel(bare.ctx, org.id)).toBeNull();
    } finally {
      await bare.close();
    }
  });
});
