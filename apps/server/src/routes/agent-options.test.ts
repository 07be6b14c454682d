import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VOICES } from '@switchboard/shared';
import {
  type FakeGeminiLive,
  type FakeOpenAIRealtime,
  startFakeGeminiLive,
  startFakeOpenAIRealtime,
} from '@switchboard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp, testDbKinds } from '../testing/test-app.ts';

const kinds = await testDbKinds();
const OPENAI_KEY = 'sk-preview-test-key-0001';
const GEMINI_KEY = 'gemini-preview-test-key-0001';
const say = { text: 'Hello! This is how I sound.', durationMs: 400 };

describe.each(kinds)('agent options and voice previews on %s', (kind) => {
  let t: TestApp;
  let openai: FakeOpenAIRealtime;
  let gemini: FakeGeminiLive;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'voice-previews-'));
    openai = await startFakeOpenAIRealtime({ apiKey: OPENAI_KEY, pacing: 'burst', defaultSay: say });
    gemini = await startFakeGeminiLive({ apiKey: GEMINI_KEY, pacing: 'burst', defaultSay: say });
    t = await buildTestApp(kind, {
      // DATA_DIR only: the PGlite database stays in memory.
      env: { DATA_DIR: dataDir, OPENAI_REALTIME_URL: openai.url, GEMINI_BASE_URL: gemini.url },
    });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([openai.close(), gemini.close()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists models, voices, languages and IANA time zones for any member', async () => {
    const org = await t.seedOrg();
    expect((await t.as(undefined).get('/api/agent-options')).statusCode).toBe(401);
    const res = await t.as(org.tokens.viewer).get('/api/agent-options');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const openaiFacts = body.providers.find((p: { id: string }) => p.id === 'openai');
    expect(openaiFacts.defaultModel).toBe('gpt-realtime');
    expect(openaiFacts.models.map((m: { id: string }) => m.id)).toEqual(
      expect.arrayContaining(['gpt-realtime', 'gpt-realtime-mini']),
    );
    expect(openaiFacts.voices.map((v: { id: string }) => v.id)).toEqual([...VOICES.openai]);
    const geminiFacts = body.providers.find((p: { id: string }) => p.id === 'gemini');
    expect(geminiFacts.voices.map((v: { id: string }) => v.id)).toEqual([...VOICES.gemini]);
    expect(body.languages).toContainEqual({ code: 'en-US', name: 'English (United States)' });
    expect(body.timezones).toEqual(expect.arrayContaining(['UTC', 'America/New_York', 'Europe/Paris']));
  });

  it('refuses a time zone that is not an IANA name, and a model name outside the list is still accepted', async () => {
    const org = await t.seedOrg();
    const admin = t.as(org.tokens.admin);
    const bad = await admin.patch(`/api/agents/${org.agent.id}`, { timezone: 'Mars/Olympus' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/IANA time zone/);
    const ok = await admin.patch(`/api/agents/${org.agent.id}`, {
      timezone: 'Europe/Paris',
      model: 'gpt-realtime-custom-snapshot',
      language: 'gsw-CH',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ timezone: 'Europe/Paris', model: 'gpt-realtime-custom-snapshot' });
  });

  it('a preview needs a known voice and a model key', async () => {
    const org = await t.seedOrg();
    const viewer = t.as(org.tokens.viewer);
    const badVoice = await viewer.get('/api/voice-preview?provider=openai&voice=Puck');
    expect(badVoice.statusCode).toBe(400);
    expect(badVoice.json().error.message).toMatch(/voice: must be one of alloy/);
    expect((await viewer.get('/api/voice-preview?provider=nope&voice=alloy')).statusCode).toBe(400);
    expect((await viewer.get('/api/voice-preview?provider=openai&voice=../../etc')).statusCode).toBe(400);
    const sessions = openai.sessions.length;
    const noKey = await viewer.get('/api/voice-preview?provider=openai&voice=ash');
    expect(noKey.statusCode).toBe(409);
    expect(noKey.json().error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('add an OpenAI key in Settings → Credentials'),
    });
    expect(openai.sessions).toHaveLength(sessions);

    // A key the provider refuses: 503 with the reason, and nothing cached.
    await t
      .as(org.tokens.admin)
      .put('/api/integrations/openai', { secrets: { apiKey: 'sk-wrong-key-0000' } });
    const refused = await viewer.get('/api/voice-preview?provider=openai&voice=ash');
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error.message).toContain('did not accept the API key');
    expect(refused.body).not.toContain('sk-wrong-key-0000');
  });

  it('makes a preview once through the model, then serves it from the cache', async () => {
    const org = await t.seedOrg();
    await t.as(org.tokens.admin).put('/api/integrations/openai', { secrets: { apiKey: OPENAI_KEY } });
    const viewer = t.as(org.tokens.viewer);
    const before = openai.sessions.length;
    const first = await viewer.get('/api/voice-preview?provider=openai&voice=coral');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('audio/wav');
    expect(openai.sessions).toHaveLength(before + 1);
    expect(openai.sessions.at(-1)?.model).toBe('gpt-realtime');
    const wav = first.rawPayload;
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(24)).toBe(24_000);
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    expect(wav.length - 44).toBe(19_200); // the fake's 400 ms of speech at 24 kHz, 16 bits
    expect(await readdir(join(dataDir, 'voice-previews'))).toContain('openai-coral.wav');

    // Another organization without a key hears the cached sample; no new session.
    const other = await t.seedOrg();
    const second = await t.as(other.tokens.viewer).get('/api/voice-preview?provider=openai&voice=coral');
    expect(second.statusCode).toBe(200);
    expect(second.rawPayload.equals(wav)).toBe(true);
    expect(openai.sessions).toHaveLength(before + 1);
    const etag = String(second.headers.etag);
    const again = await t.app.inject({
      method: 'GET',
      url: '/api/voice-preview?provider=openai&voice=coral',
      headers: { authorization: `Bearer ${other.tokens.viewer}`, 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
  });

  it('concurrent requests for a voice share one Gemini session', async () => {
    const org = await t.seedOrg();
    await t.as(org.tokens.admin).put('/api/integrations/gemini', { secrets: { apiKey: GEMINI_KEY } });
    const viewer = t.as(org.tokens.viewer);
    const before = gemini.sessions.length;
    const answers = await Promise.all(
      [1, 2, 3].map(() => viewer.get('/api/voice-preview?provider=gemini&voice=Kore')),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(gemini.sessions).toHaveLength(before + 1);
    expect(answers[1]!.rawPayload.equals(answers[0]!.rawPayload)).toBe(true);
  });
});
