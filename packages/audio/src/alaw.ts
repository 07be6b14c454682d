/**
 * G.711 A-law (ITU-T G.711), the classic Sun `g711.c` reference that `audioop` also
 * uses. A-law quantises the 13 most significant bits, so the encoder depends only on
 * `sample >> 3`: an 8 Ki-entry table indexed by that value is exact, not an approximation.
 * Codes are stored with even bits inverted (XOR 0x55), as on the wire.
 */

/** Segment end points for the 13-bit magnitude. */
const SEG_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff] as const;

function encodeSample13(value13: number): number {
  let v = value13;
  let mask: number;
  if (v >= 0) {
    mask = 0xd5; // sign bit set (positive) + even-bit inversion
  } else {
    mask = 0x55;
    v = -v - 1; // one's-complement magnitude, so -1 maps next to +0 (A-law has no zero code)
  }
  let seg = 0;
  while (seg < 8 && v > SEG_END[seg]!) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  const quant = seg < 2 ? (v >> 1) & 0x0f : (v >> seg) & 0x0f;
  return ((seg << 4) | quant) ^ mask;
}

function decodeCode(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

const DECODE = new Int16Array(256);
for (let c = 0; c < 256; c++) DECODE[c] = decodeCode(c);

// Indexed by `(sample >> 3) & 0x1fff`, the 13-bit two's-complement pattern.
const ENCODE = new Uint8Array(8192);
for (let v = -4096; v < 4096; v++) ENCODE[v & 0x1fff] = encodeSample13(v);

/** Decode A-law bytes to 16-bit PCM. Writes into `out` when given (must be long enough). */
export function alawDecode(input: Uint8Array, out?: Int16Array): Int16Array {
  const n = input.length;
  const dst = out ?? new Int16Array(n);
  if (dst.length < n) throw new RangeError(`out holds ${dst.length} samples, need ${n}`);
  for (let i = 0; i < n; i++) dst[i] = DECODE[input[i]!]!;
  return out && dst.length !== n ? dst.subarray(0, n) : dst;
}

/** Encode 16-bit PCM to A-law bytes. Writes into `out` when given (must be long enough). */
export function alawEncode(input: Int16Array, out?: Uint8Array): Uint8Array {
  const n = input.length;
  const dst = out ?? new Uint8Array(n);
  if (dst.length < n) throw new RangeError(`out holds ${dst.length} bytes, need ${n}`);
  for (let i = 0; i < n; i++) dst[i] = ENCODE[(input[i]! >> 3) & 0x1fff]!;
  return out && dst.length !== n ? dst.subarray(0, n) : dst;
}
