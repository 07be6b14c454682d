/**
 * PCM s16le ⇄ Int16Array. Every wire format here is little-endian; so are all hosts Node
 * realistically runs on, but the big-endian path is kept so the functions never lie.
 */

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * View little-endian PCM16 bytes as samples. Zero-copy when possible; copies when the
 * bytes start at an odd offset (Node `Buffer`s from the shared pool or from
 * `Buffer.from(b64, 'base64')` may), since an Int16Array must be 2-byte aligned.
 * A trailing odd byte is ignored. The result may share memory with `buf`.
 */
export function pcm16FromBytes(buf: Uint8Array): Int16Array {
  const samples = buf.byteLength >> 1;
  if (!LITTLE_ENDIAN_HOST) {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const out = new Int16Array(samples);
    for (let i = 0; i < samples; i++) out[i] = view.getInt16(i * 2, true);
    return out;
  }
  if (buf.byteOffset % 2 === 0) return new Int16Array(buf.buffer, buf.byteOffset, samples);
  const copy = new Uint8Array(samples * 2);
  copy.set(buf.subarray(0, samples * 2));
  return new Int16Array(copy.buffer, 0, samples);
}

/**
 * Little-endian bytes of `pcm` as a Buffer, ready for `.toString('base64')`. Zero-copy:
 * the Buffer shares memory with `pcm`, so encode it before reusing `pcm` as an `out` buffer.
 */
export function pcm16ToBytes(pcm: Int16Array): Buffer {
  if (LITTLE_ENDIAN_HOST) return Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const out = Buffer.allocUnsafe(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i]!, i * 2);
  return out;
}

/**
 * Samples from a stream of PCM16 byte chunks whose splits may fall mid-sample (base64 frames
 * from a provider need not be even in length): an odd trailing byte is kept and joined to
 * the next chunk rather than dropped, so no sample is ever torn. One instance per stream.
 */
export class Pcm16ChunkReader {
  #carry = -1;

  /** The whole samples available after `bytes`; may share memory with `bytes`. */
  samples(bytes: Uint8Array): Int16Array {
    let data = bytes;
    if (this.#carry >= 0) {
      data = new Uint8Array(bytes.length + 1);
      data[0] = this.#carry;
      data.set(bytes, 1);
      this.#carry = -1;
    }
    if (data.length % 2 === 1) this.#carry = data[data.length - 1]!;
    return pcm16FromBytes(data);
  }

  /** Drops a pending odd byte (the stream restarts). */
  reset(): void {
    this.#carry = -1;
  }
}
