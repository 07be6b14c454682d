import { startFakeGeminiText } from '@switchboard/testkit';
import { createGeminiTextModel } from '../gemini.ts';
import { runTextConformanceSuite } from './suite.ts';

runTextConformanceSuite('gemini generateContent', async ({ script, apiKey, client, chunkDelayMs }) => {
  const fake = await startFakeGeminiText({
    script,
    ...(apiKey ? { apiKey } : {}),
    ...(chunkDelayMs ? { chunkDelayMs } : {}),
    models: ['gemini-2.5-flash'],
  });
  return {
    provider: 'gemini',
    model: createGeminiTextModel({ apiKey: apiKey ?? 'gemini-test-key', baseUrl: fake.url, ...client }),
    modelName: 'gemini-2.5-flash',
    requests: fake.requests,
    problems: fake.problems,
    failNext: (f) => fake.failNext(f),
    close: () => fake.close(),
  };
});
