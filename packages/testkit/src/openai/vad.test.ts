import { describe, expect, it } from 'vitest';
import { mulawSilence, mulawTone } from '../util/g711.ts';
import { toneAudio } from './audio-io.ts';
import type { TurnDetection } from './config.ts';
import { EnergyVad } from './vad.ts';

const td: TurnDetection = {
  type: 'server_vad',
  threshold: 0.5,
  prefix_padding_ms: 300,
  silence_duration_ms: 200,
  idle_timeout_ms: null,
  create_response: true,
  interrupt_response: true,
};

describe('EnergyVad', () => {
  it('detects a tone between silences on the input timeline', () => {
    const vad = new EnergyVad({ type: 'audio/pcmu' }, td);
    expect(vad.push(mulawSilence(1000))).toEqual([]);
    // Odd chunk sizes: frames are re-assembled across pushes.
    const speech = mulawTone(300, 800);
    const events = [...vad.push(speech.subarray(0, 333)), ...vad.push(speech.subarray(333))];
    expect(events).toEqual([{ type: 'start', audioStartMs: 700, onsetMs: 1000 }]);
    expect(vad.push(mulawSilence(100))).toEqual([]);
    expect(vad.push(mulawSilence(200))).toEqual([{ type: 'stop', audioEndMs: 1800 }]);
  });

  it('ignores blips shorter than minSpeechMs and honours the threshold', () => {
    const vad = new EnergyVad({ type: 'audio/pcmu' }, td);
    expect(vad.push(Buffer.concat([mulawTone(300, 40), mulawSilence(500)]))).toEqual([]);
    const deaf = new EnergyVad({ type: 'audio/pcmu' }, { ...td, threshold: 1 }, { rmsThreshold: 20000 });
    expect(deaf.push(mulawTone(300, 500))).toEqual([]);
  });

  it('works on PCM16 24 kHz input', () => {
    const format = { type: 'audio/pcm', rate: 24000 } as const;
    const vad = new EnergyVad(format, td);
    const events = vad.push(Buffer.concat([toneAudio(format, 300, 500), toneAudio(format, 0, 400)]));
    expect(events.map((e) => e.type)).toEqual(['start', 'stop']);
  });
});
