/**
 * The 44-byte header of a PCM16 WAV file. A recording is streamed to disk as the call goes, so
 * its header is first written with the largest sizes (players read "to the end of the file"),
 * then rewritten with the real sizes when the call ends (`wavHeader(dataBytes)`). After a
 * kill -9 the file keeps the max-size header; readers repair it from the file's length
 * (`wavHeaderForFile`).
 */

/** Size of the canonical WAV header, bytes. */
export const WAV_HEADER_BYTES = 44;
/** RIFF sizes are 32-bit: the data size a streaming header announces (a whole number of stereo frames). */
const MAX_DATA_BYTES = 0xffffffff - 36 - ((0xffffffff - 36) % 4);

export interface WavFormat {
  sampleRate: number;
  channels: number;
}

/** A PCM16 header; `dataBytes` omitted: the streaming (max-size) header. */
export function wavHeader(format: WavFormat, dataBytes: number = MAX_DATA_BYTES): Buffer {
  const size = Math.min(dataBytes, MAX_DATA_BYTES);
  const blockAlign = format.channels * 2;
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + size, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(format.channels, 22);
  h.writeUInt32LE(format.sampleRate, 24);
  h.writeUInt32LE(format.sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(size, 40);
  return h;
}

/** The format a header of ours announces, or undefined when `header` is not one. */
export function readWavFormat(header: Uint8Array): WavFormat | undefined {
  const h = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  if (
    h.length < WAV_HEADER_BYTES ||
    h.toString('ascii', 0, 4) !== 'RIFF' ||
    h.toString('ascii', 36, 40) !== 'data'
  )
    return undefined;
  return { channels: h.readUInt16LE(22), sampleRate: h.readUInt32LE(24) };
}

/** The right header for a file of `fileBytes` (whole frames only), whatever its header says. */
export function wavHeaderForFile(format: WavFormat, fileBytes: number): Buffer {
  const data = Math.max(0, fileBytes - WAV_HEADER_BYTES);
  return wavHeader(format, data - (data % (format.channels * 2)));
}
