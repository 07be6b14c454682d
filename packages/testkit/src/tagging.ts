import { performance } from 'node:perf_hooks';

/**
 * Latency tags for the benchmark: a 10-byte marker (4 magic bytes, 32-bit big-endian sequence
 * number, 16-bit check) written over the start of a 20 ms µ-law frame. It survives any path
 * that forwards audio bytes unchanged (OpenAI `audio/pcmu` → Twilio `media.payload`), also when
 * the path re-chunks the audio (use `TagScanner` on the received stream then).
 */
export const TAG_BYTES = 10;
const MAGIC = Buffer.from([0xa5, 0x5a, 0xc3, 0x3c]);

function check(seq: number): number {
  return ((seq >>> 16) ^ (seq & 0xffff) ^ 0x5eed) & 0xffff;
}

/** Return a copy of `payload` (typically 160 bytes) with `seq` (0 … 2³²−1) tagged at its start. */
export function tagFrame(seq: number, payload: Uint8Array): Buffer {
  if (payload.length < TAG_BYTES) throw new RangeError(`A tagged frame needs at least ${TAG_BYTES} bytes`);
  const out = Buffer.from(payload);
  MAGIC.copy(out, 0);
  out.writeUInt32BE(seq >>> 0, 4);
  out.writeUInt16BE(check(seq >>> 0), 8);
  return out;
}

/** The sequence number tagged at the start of `payload`, or null. */
export function readTag(payload: Uint8Array, offset = 0): number | null {
  if (payload.length - offset < TAG_BYTES) return null;
  for (let i = 0; i < 4; i++) if (payload[offset + i] !== MAGIC[i]) return null;
  const b = Buffer.from(payload.buffer, payload.byteOffset + offset, TAG_BYTES);
  const seq = b.readUInt32BE(4);
  return b.readUInt16BE(8) === check(seq) ? seq : null;
}

/**
 * Finds tags anywhere in a byte stream delivered in arbitrary chunks (a tag split across two
 * chunks is found when the second arrives and stamped with that chunk's time).
 */
export class TagScanner {
  #carry: Buffer = Buffer.alloc(0);

  push(chunk: Uint8Array, atMs: number = performance.now()): Array<{ seq: number; atMs: number }> {
    const data =
      this.#carry.length > 0
        ? Buffer.concat([this.#carry, chunk])
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const found: Array<{ seq: number; atMs: number }> = [];
    // Keep enough tail to complete a tag that starts in this chunk and ends in the next.
    let keepFrom = Math.max(0, data.length - (MAGIC.length - 1));
    for (let at = data.indexOf(MAGIC); at !== -1; at = data.indexOf(MAGIC, at + 1)) {
      if (data.length - at < TAG_BYTES) {
        keepFrom = at;
        break;
      }
      const seq = readTag(data, at);
      if (seq !== null) found.push({ seq, atMs });
    }
    this.#carry = Buffer.from(data.subarray(keepFrom));
    return found;
  }
}

/** High-resolution wall-clock milliseconds, comparable across processes on one host. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Emit-time registry for tags: `record(seq)` when a tagged frame is sent; `get(seq)` later.
 * Stores both clocks in flat typed arrays (no per-tag objects) for long load runs.
 */
export class TagClock {
  #perf = new Float64Array(1024).fill(Number.NaN);
  #size = 0;

  record(seq: number, atMs: number = performance.now()): void {
    if (seq >= this.#perf.length) {
      const grown = new Float64Array(Math.max(seq + 1, this.#perf.length * 2)).fill(Number.NaN);
      grown.set(this.#perf);
      this.#perf = grown;
    }
    this.#perf[seq] = atMs;
    this.#size = Math.max(this.#size, seq + 1);
  }

  /** Emit time of `seq`: `atMs` on this process's `performance.now()` clock, `wallMs` on the shared wall clock. */
  get(seq: number): { atMs: number; wallMs: number } | undefined {
    const atMs = this.#perf[seq];
    if (atMs === undefined || Number.isNaN(atMs)) return undefined;
    return { atMs, wallMs: performance.timeOrigin + atMs };
  }

  /** Number of sequence slots in use (highest seq + 1). */
  get size(): number {
    return this.#size;
  }
}
