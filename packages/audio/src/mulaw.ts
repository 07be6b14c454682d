/**
 * G.711 µ-law (ITU-T G.711), the classic CCITT/Sun reference with BIAS 0x84 and CLIP 32635
 * (docs/audio.md#g711-reference-vectors). Both directions are table-driven: decoding is a 256-entry
 * lookup and encoding a 64 Ki-entry lookup indexed by the raw 16-bit sample.
 *
 * Why a full 64 Ki table rather than 16 Ki indexed by `sample >> 2`: the reference
 * negates *before* quantising, so -1 and -4 land in different codes (0x7F vs 0x7E);
 * an arithmetic-shift index would reproduce the 14-bit Sun/`audioop` variant instead,
 * which differs by ±1 code at negative segment boundaries. 64 KiB is cheap and exact.
 */

const BIAS = 0x84;
const CLIP = 32635;

/** The reference encoder, kept readable; used once to fill the table. */
function encodeSample(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  // Segment = position of the highest set bit above bit 7 (s is at least 0x84).
  const exponent = 31 - Math.clz32(s >> 7);
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function decodeCode(code: number): number {
  const u = ~code & 0xff;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

const DECODE = new Int16Array(256);
for (let c = 0; c < 256; c++) DECODE[c] = decodeCode(c);

// Indexed by `sample & 0xffff`, i.e. the two's-complement bit pattern.
const ENCODE = new Uint8Array(65536);
for (let s = -32768; s < 32768; s++) ENCODE[s & 0xffff] = encodeSample(s);

/** Decode µ-law bytes to 16-bit PCM. Writes into `out` when given (must be long enough). */
export function mulawDecode(input: Uint8Array, out?: Int16Array): Int16Array {
  const n = input.length;
  const dst = out ?? new Int16Array(n);
  if (dst.length < n) throw new RangeError(`out holds ${dst.length} samples, need ${n}`);
  for (let i = 0; i < n; i++) dst[i] = DECODE[input[i]!]!;
  return out && dst.length !== n ? dst.subarray(0, n) : dst;
}

/** Encode 16-bit PCM to µ-law bytes. Writes into `out` when given (must be long enough). */
export function mulawEncode(input: Int16Array, out?: Uint8Array): Uint8Array {
  const n = input.length;
  const dst = out ?? new Uint8Array(n);
  if (dst.length < n) throw new RangeError(`out holds ${dst.length} bytes, need ${n}`);
  for (let i = 0; i < n; i++) dst[i] = ENCODE[input[i]! & 0xffff]!;
  return out && dst.length !== n ? dst.subarray(0, n) : dst;
}

/** Decode a single µ-law code (0–255). */
export function mulawDecodeSample(code: number): number {
  return DECODE[code & 0xff]!;
}

/** Encode a single sample (clamped to int16 first). */
export function mulawEncodeSample(sample: number): number {
  const s = sample > 32767 ? 32767 : sample < -32768 ? -32768 : sample | 0;
  return ENCODE[s & 0xffff]!;
}
