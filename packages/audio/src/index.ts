/**
 * @switchboard/audio — pure, dependency-free audio code: G.711 codecs, streaming
 * resampling between 8/16/24 kHz, PCM16 byte helpers, framing and test tones.
 * See docs/audio.md.
 */

export { alawDecode, alawEncode } from './alaw.ts';
export { benchmarkCodecs, type CodecBenchmark } from './bench.ts';
export { GeminiToTwilio, pcm24kToTwilio, TwilioToGemini, twilioToPcm16k } from './convert.ts';
export {
  type AudioEncoding,
  type AudioFormat,
  bytesForMs,
  bytesPerSample,
  durationMs,
  GEMINI_INPUT_FORMAT,
  GEMINI_OUTPUT_FORMAT,
  type SampleRate,
  silenceByte,
  silenceFrame,
  TWILIO_FORMAT,
} from './format.ts';
export { FrameChunker } from './frame-chunker.ts';
export { mulawDecode, mulawDecodeSample, mulawEncode, mulawEncodeSample } from './mulaw.ts';
export { Pcm16ChunkReader, pcm16FromBytes, pcm16ToBytes } from './pcm16.ts';
export { DEFAULT_TAPS_PER_PHASE, Resampler, type ResamplerOptions } from './resampler.ts';
export { goertzelDb, toneMulaw, tonePcm16 } from './tone.ts';
