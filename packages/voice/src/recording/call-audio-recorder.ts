/**
 * The recording of one call, made in the `CallSession` (so every transport has it, whatever its
 * send path): caller audio as it arrives (left), agent audio as it is sent to the phone (right),
 * both decoded to PCM16 at one rate and placed on the call's clock (stereo-timeline.ts). Agent
 * audio cut by a barge-in stops where the caller stopped hearing it (the heard ms the session
 * computes for truncation). Output: a 2-channel PCM16 WAV body handed to `sink.write` in
 * chunks; the sink owns the file (header, flushing). Cheap and synchronous: never blocks media.
 */
import {
  type AudioFormat,
  alawDecode,
  mulawDecode,
  pcm16FromBytes,
  Resampler,
  type SampleRate,
} from '@switchboard/audio';
import { StereoTimeline } from './stereo-timeline.ts';

export interface RecordingSink {
  /** Stereo PCM16 frames, in order. Must not block (a buffered stream). */
  write(bytes: Buffer): void;
  /** The call ended; everything was written. */
  end(): void;
}

/** What a `CallSession` tells the recording. Times are ms on the call's clock. */
export interface CallAudioTap {
  caller(payload: string, format: AudioFormat, atMs: number): void;
  agent(payload: string, format: AudioFormat, itemId: string, atMs: number): void;
  /** A barge-in (or the agent cutting itself short): what the caller heard of each item. */
  cut(items: ReadonlyArray<{ itemId: string; heardMs: number }>, atMs: number): void;
  end(atMs: number): void;
}

export interface CallAudioRecorderOptions {
  sampleRate: SampleRate;
  sink: RecordingSink;
  /** How long samples stay editable behind the clock (a late barge-in cut), ms. Default 2000. */
  holdMs?: number;
}

function decode(bytes: Buffer, format: AudioFormat): Int16Array {
  if (format.encoding === 'pcmu') return mulawDecode(bytes);
  if (format.encoding === 'pcma') return alawDecode(bytes);
  return pcm16FromBytes(bytes);
}

export class CallAudioRecorder implements CallAudioTap {
  readonly sampleRate: SampleRate;
  #sink: RecordingSink;
  #timeline: StereoTimeline;
  #resamplers = new Map<string, Resampler>();
  #ended = false;

  constructor(options: CallAudioRecorderOptions) {
    this.sampleRate = options.sampleRate;
    this.#sink = options.sink;
    const perMs = options.sampleRate / 1000;
    this.#timeline = new StereoTimeline({
      holdSamples: Math.round((options.holdMs ?? 2000) * perMs),
      gapSamples: Math.round(200 * perMs),
      minWriteSamples: Math.round(500 * perMs),
      write: (bytes) => this.#sink.write(bytes),
    });
  }

  /** Bytes the recording's sample buffers hold now (both channels, PCM16). */
  get bufferedBytes(): number {
    return this.#timeline.capacity * 2;
  }

  /** Seconds of stereo audio written so far. */
  get writtenSeconds(): number {
    return this.#timeline.frames / this.sampleRate;
  }

  caller(payload: string, format: AudioFormat, atMs: number): void {
    if (this.#ended) return;
    this.#timeline.caller(this.#pcm('caller', payload, format), this.#at(atMs));
    this.#timeline.advance(this.#at(atMs));
  }

  agent(payload: string, format: AudioFormat, itemId: string, atMs: number): void {
    if (this.#ended) return;
    this.#timeline.agent(this.#pcm('agent', payload, format), itemId, this.#at(atMs));
    this.#timeline.advance(this.#at(atMs));
  }

  cut(items: ReadonlyArray<{ itemId: string; heardMs: number }>, _atMs: number): void {
    if (this.#ended) return;
    this.#timeline.cut(items.map((i) => ({ itemId: i.itemId, heardSamples: this.#at(i.heardMs) })));
  }

  end(atMs: number): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#timeline.finish(this.#at(atMs));
    this.#sink.end();
  }

  #at(ms: number): number {
    return Math.round((ms * this.sampleRate) / 1000);
  }

  /** Decoded to PCM16 at the recording's rate (one streaming resampler per direction). */
  #pcm(direction: string, payload: string, format: AudioFormat): Int16Array {
    const pcm = decode(Buffer.from(payload, 'base64'), format);
    if (format.sampleRate === this.sampleRate) return pcm;
    const key = `${direction}:${format.sampleRate}`;
    let resampler = this.#resamplers.get(key);
    if (!resampler) {
      resampler = new Resampler(format.sampleRate, this.sampleRate);
      this.#resamplers.set(key, resampler);
    }
    return resampler.process(pcm);
  }
}
