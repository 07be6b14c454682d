import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runNodeChild } from '@switchboard/shared/node-child';
import { describe, expect, it } from 'vitest';

const SRC = import.meta.dirname;
const url = (file: string) => pathToFileURL(join(SRC, file)).href;

/**
 * Packages the server loads on first use rather than at start (docs/PERFORMANCE.md, "Third pass:
 * idle memory"): the server's module graph is imported in a fresh Node process (vitest's own loader
 * would hide what Node loads), which reports the modules it loaded.
 */
describe('modules loaded at start-up', () => {
  it('leave out the Twilio REST client, ioredis and the SIP stack until they are used', () => {
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
      const has = (part) => loaded.some((u) => u.includes(part));
      const report = () => ({
        twilioSdk: has('/node_modules/twilio/lib/index.js'),
        twilioTwiml: has('/node_modules/twilio/lib/twiml/VoiceResponse.js'),
        ioredis: has('/node_modules/ioredis/'),
        sip: has('/packages/sip/'),
      });
      await import('${url('server.ts')}');
      const atStart = report();
      const { twilioRestClient } = await import('${url('telephony/rest-client.ts')}');
      const client = twilioRestClient({ accountSid: 'AC' + '0'.repeat(32), authToken: 'token' }, 'http://127.0.0.1:9');
      const { RedisBus } = await import('${url('live/redis-bus.ts')}');
      const quiet = { warn() {}, info() {}, error() {}, debug() {} };
      const bus = new RedisBus({ url: 'redis://127.0.0.1:9', log: quiet });
      await bus.close?.();
      console.log(JSON.stringify({ atStart, afterUse: report(), client: typeof client.calls }));
      process.exit(0);
    `;
    const out = runNodeChild(['--input-type=module', '-e', script], { ...process.env, NODE_ENV: 'test' });
    const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(result).toEqual({
      atStart: { twilioSdk: false, twilioTwiml: true, ioredis: false, sip: false },
      afterUse: { twilioSdk: true, twilioTwiml: true, ioredis: true, sip: false },
      client: 'function',
    });
  });
});
