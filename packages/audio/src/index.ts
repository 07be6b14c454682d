/**
 * @switchboard/audio — pure, dependency-free audio code: the formats of every leg, G.711
 * codecs, streaming resampling between 8/16/24 kHz, PCM16 byte helpers and framing. Test
 * helpers (tones, a level meter) are in `@switchboard/audio/testing`. See docs/audio.md.
 */

export { alawDecode, alawEncode } from './alaw.ts';
export { benchmarkCodecs, type CodecBenchmark } from './bench.ts';
export {
  type AudioEncoding,
  type AudioFormat,
  base64ByteLength,
  base64DurationMs,
  bytesForMs,
  bytesPerSample,
  describeFormat,
  durationMs,
  formatIn,
  PCM16_16K,
  PCM16_24K,
  PCMA_8K,
  PCMU_8K,
  type SampleRate,
  sameFormat,
  silenceByte,
  silenceFrame,
} from './format.ts';
export { FrameChunker } from './frame-chunker.ts';
export { mulawDecode, mulawDecodeSample, mulawEncode, mulawEncodeSample } from './mulaw.ts';
export { Pcm16ChunkReader, pcm16FromBytes, pcm16ToBytes } from './pcm16.ts';
export { DEFAULT_TAPS_PER_PHASE, Resampler, type ResamplerOptions } from './resampler.ts';
