/** For codec tests: SHA-256 of raw bytes, and every int16 value in order. */
import { createHash } from 'node:crypto';

export function sha256(bytes: Uint8Array | Int16Array): string {
  return createHash('sha256')
    .update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    .digest('hex');
}

/** -32768 … 32767, the full input domain of an encoder. */
export function allInt16(): Int16Array {
  const all = new Int16Array(65536);
  for (let i = 0; i < 65536; i++) all[i] = i - 32768;
  return all;
}
