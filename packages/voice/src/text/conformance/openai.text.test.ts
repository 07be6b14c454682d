import { startFakeOpenAIChat } from '@switchboard/testkit';
import { createOpenAITextModel } from '../openai.ts';
import { runTextConformanceSuite } from './suite.ts';

runTextConformanceSuite('openai chat completions', async ({ script, apiKey, client, chunkDelayMs }) => {
  const fake = await startFakeOpenAIChat({
    script,
    ...(apiKey ? { apiKey } : {}),
    ...(chunkDelayMs ? { chunkDelayMs } : {}),
    models: ['gpt-4.1-mini'],
  });
  return {
    provider: 'openai',
    model: createOpenAITextModel({ apiKey: apiKey ?? 'sk-test', baseUrl: fake.url, ...client }),
    modelName: 'gpt-4.1-mini',
    requests: fake.requests,
    problems: fake.problems,
    failNext: (f) => fake.failNext(f),
    close: () => fake.close(),
  };
});
