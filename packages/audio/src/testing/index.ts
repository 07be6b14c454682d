/**
 * @switchboard/audio/testing — helpers for tests only: sine tones, a Goertzel level meter,
 * byte digests and the full int16 input domain. Not part of the production entry point.
 */
export { allInt16, sha256 } from './digest.ts';
export { goertzelDb, toneMulaw, tonePcm16 } from './tone.ts';
