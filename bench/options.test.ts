import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.ts';

describe('bench options', () => {
  it('defaults to the published OpenAI ramp', () => {
    expect(parseOptions([])).toMatchObject({
      provider: 'openai',
      pacing: 'paced',
      ramp: [50, 100, 150, 200, 250],
      durationS: 30,
      bargeInAtS: 10,
    });
  });

  it('reads every option, with = or a separate value', () => {
    const o = parseOptions([
      '--provider=gemini',
      '--pacing',
      'burst',
      '--ramp',
      '10,20',
      '--duration',
      '12',
      '--barge-in-at',
      'off',
      '--json-only',
      '--no-codec',
    ]);
    expect(o).toMatchObject({
      provider: 'gemini',
      pacing: 'burst',
      ramp: [10, 20],
      durationS: 12,
      bargeInAtS: null,
      jsonOnly: true,
      codec: false,
    });
  });

  it('warms up with 5 calls unless told otherwise', () => {
    expect(parseOptions([])).toMatchObject({ warmupCalls: 5 });
    expect(parseOptions(['--warmup', '50'])).toMatchObject({ warmupCalls: 50 });
    expect(parseOptions(['--warmup=0'])).toMatchObject({ warmupCalls: 0 });
    expect(() => parseOptions(['--warmup', '-1'])).toThrow('--warmup needs a number ≥ 0');
  });

  it('has a short smoke mode', () => {
    expect(parseOptions(['--smoke'])).toMatchObject({
      ramp: [4],
      durationS: 5,
      bargeInAtS: 2.5,
      warmupCalls: 0,
    });
  });

  it('rejects what it does not understand', () => {
    expect(() => parseOptions(['--calls', 'many'])).toThrow(/--calls/);
    expect(() => parseOptions(['--frobnicate'])).toThrow(/unknown option/);
    expect(() => parseOptions(['--duration', '5', '--barge-in-at', '4.5'])).toThrow(/barge-in/);
  });

  it('runs the reference relay on the OpenAI path over Twilio only; busy dashboard on request', () => {
    expect(parseOptions([])).toMatchObject({ reference: true, busyDashboard: false });
    expect(parseOptions(['--no-reference', '--busy-dashboard'])).toMatchObject({
      reference: false,
      busyDashboard: true,
    });
    expect(parseOptions(['--provider', 'gemini'])).toMatchObject({ reference: false });
    expect(parseOptions(['--transport', 'sip'])).toMatchObject({ reference: false });
  });

  it('runs one process on PGlite unless --workers asks for WORKERS on Postgres', () => {
    expect(parseOptions([])).toMatchObject({ workers: null });
    expect(parseOptions(['--workers', '3'])).toMatchObject({ workers: 3 });
    expect(parseOptions(['--workers=auto'])).toMatchObject({ workers: availableParallelism() });
    expect(() => parseOptions(['--workers', '0'])).toThrow(/--workers/);
  });
});
