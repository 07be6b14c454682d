import { describe, expect, it } from 'vitest';
import { applySessionUpdate, defaultSessionConfig, isFailure, type RealtimeSessionConfig } from './config.ts';

const base = () => defaultSessionConfig('sess_1', 'gpt-realtime');
const apply = (update: unknown, assistantAudioSent = false) =>
  applySessionUpdate(base(), update, { assistantAudioSent });

describe('applySessionUpdate', () => {
  it('applies the minimal Twilio bridge config of docs/realtime.md#openai-session-update and keeps untouched fields', () => {
    const next = apply({
      type: 'realtime',
      model: 'gpt-realtime',
      output_modalities: ['audio'],
      audio: {
        input: { format: { type: 'audio/pcmu' }, turn_detection: { type: 'server_vad' } },
        output: { format: { type: 'audio/pcmu' }, voice: 'alloy' },
      },
      instructions: 'You are a helpful phone assistant...',
    }) as RealtimeSessionConfig;
    expect(isFailure(next)).toBe(false);
    expect(next.audio.input.format).toEqual({ type: 'audio/pcmu' });
    expect(next.audio.output).toEqual({ format: { type: 'audio/pcmu' }, voice: 'alloy', speed: 1 });
    expect(next.audio.input.turn_detection).toMatchObject({
      type: 'server_vad',
      threshold: 0.5,
      interrupt_response: true,
    });
    expect(next.tools).toEqual([]);
    expect(next.id).toBe('sess_1');
  });

  it('disables VAD with null, accepts semantic_vad, clears instructions with ""', () => {
    const off = apply({
      type: 'realtime',
      audio: { input: { turn_detection: null } },
      instructions: '',
    }) as RealtimeSessionConfig;
    expect(off.audio.input.turn_detection).toBeNull();
    expect(off.instructions).toBe('');
    const semantic = apply({
      type: 'realtime',
      audio: { input: { turn_detection: { type: 'semantic_vad', eagerness: 'high' } } },
    });
    expect(semantic).toMatchObject({
      audio: {
        input: { turn_detection: { type: 'semantic_vad', eagerness: 'high', create_response: true } },
      },
    });
  });

  it('rejects what the GA API rejects', () => {
    expect(apply(undefined)).toMatchObject({ code: 'missing_required_parameter', param: 'session' });
    expect(apply({ type: 'transcription' })).toMatchObject({ code: 'invalid_value', param: 'session.type' });
    expect(apply({ type: 'realtime', temperature: 0.8 })).toMatchObject({
      code: 'unknown_parameter',
      param: 'session.temperature',
    });
    expect(apply({ type: 'realtime', voice: 'alloy' })).toMatchObject({ param: 'session.voice' });
    expect(apply({ type: 'realtime', output_modalities: ['text', 'audio'] })).toMatchObject({
      code: 'invalid_value',
    });
    expect(
      apply({ type: 'realtime', audio: { output: { format: { type: 'audio/pcm', rate: 16000 } } } }),
    ).toMatchObject({
      param: 'session.audio.output.format.rate',
    });
    expect(apply({ type: 'realtime', audio: { output: { voice: 'nova' } } })).toMatchObject({
      code: 'invalid_value',
    });
    expect(
      apply({ type: 'realtime', audio: { input: { turn_detection: { type: 'server_vad', threshold: 2 } } } }),
    ).toMatchObject({
      code: 'decimal_above_max_value',
    });
    expect(apply({ type: 'realtime', max_output_tokens: 5000 })).toMatchObject({
      code: 'decimal_above_max_value',
    });
    expect(apply({ type: 'realtime', tools: [{ type: 'function' }] })).toMatchObject({
      param: 'session.tools[0].name',
    });
  });

  it('refuses a voice change once assistant audio exists', () => {
    expect(apply({ type: 'realtime', audio: { output: { voice: 'cedar' } } }, true)).toMatchObject({
      code: 'cannot_update_voice',
    });
    expect(isFailure(apply({ type: 'realtime', audio: { output: { voice: 'marin' } } }, true))).toBe(false);
  });
});
