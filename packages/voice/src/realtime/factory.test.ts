import { PCMU_8K } from '@switchboard/audio';
import { startFakeGeminiLive } from '@switchboard/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackServer } from '../testing/loopback.ts';
import { createRealtimeModel } from './factory.ts';
import { GEMINI_CAPABILITIES } from './gemini/index.ts';
import { OPENAI_CAPABILITIES } from './openai/index.ts';
import { ResilientModel } from './resilient.ts';
import type { ModelSession } from './types.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const session = (apiKey: string) => ({
  model: 'm',
  instructions: 'x',
  tools: [],
  credentials: { apiKey },
});

describe('createRealtimeModel', () => {
  it('selects the adapter by provider and wraps it for long calls by default', () => {
    const openai = createRealtimeModel('openai');
    const gemini = createRealtimeModel('gemini', { resilience: false });
    expect(openai).toBeInstanceOf(ResilientModel);
    expect([openai.provider, openai.capabilities]).toEqual(['openai', OPENAI_CAPABILITIES]);
    expect([gemini.provider, gemini.capabilities]).toEqual(['gemini', GEMINI_CAPABILITIES]);
    expect(() => createRealtimeModel('nope' as 'openai')).toThrow(/unknown realtime provider/);
  });

  it('uses the environment key only when the session brings none', async () => {
    const fake = await startFakeGeminiLive();
    cleanups.push(() => fake.close());
    const model = createRealtimeModel('gemini', { apiKey: 'env-key', url: fake.url });
    const opts = { inputFormat: PCMU_8K, outputFormat: PCMU_8K };
    const a: ModelSession = await model.connect({ session: session(''), ...opts });
    const b: ModelSession = await model.connect({ session: session('org-key'), ...opts });
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    expect(fake.sessions.map((s) => new URLSearchParams(s.path.split('?')[1]).get('key'))).toEqual([
      'env-key',
      'org-key',
    ]);
  });

  it('points OpenAI at the given Realtime URL', async () => {
    const server = await startLoopbackServer({
      onConnection: (c) =>
        c.onMessage((f) => {
          if (f.type === 'session.update') c.send({ type: 'session.updated', session: {} });
        }),
    });
    cleanups.push(() => server.close());
    const model = createRealtimeModel('openai', { url: `${server.url}/v1/realtime`, apiKey: 'sk-env' });
    const s = await model.connect({ session: session(''), inputFormat: PCMU_8K, outputFormat: PCMU_8K });
    cleanups.push(() => s.close());
    const conn = await server.nextConnection();
    expect(conn.path).toBe('/v1/realtime?model=m');
    expect(conn.headers.authorization).toBe('Bearer sk-env');
  });
});
