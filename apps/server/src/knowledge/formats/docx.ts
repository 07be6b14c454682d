/**
 * DOCX through mammoth. A DOCX is a zip: before mammoth inflates it, the central directory is
 * read and the archive refused when its entries declare more than MAX_DOCX_INFLATED_BYTES
 * together (a zip bomb). An archive that lies about its sizes is stopped by the extraction
 * worker's memory limit instead (extract.ts).
 */
import { ExtractionError } from './errors.ts';

/** Largest total uncompressed size of a DOCX's parts. */
export const MAX_DOCX_INFLATED_BYTES = 100 * 1024 * 1024;
const MAX_ENTRIES = 10_000;

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

/** Sum of the uncompressed sizes the zip's central directory declares. */
export function declaredZipSize(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const corrupt = () =>
    new ExtractionError('corrupt', 'The DOCX file is damaged (it is not a valid zip archive).');
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt();
  const entries = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (entries > MAX_ENTRIES || entries === 0xffff || offset === 0xffffffff) throw tooLarge();
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== CENTRAL) throw corrupt();
    const size = view.getUint32(offset + 24, true);
    if (size === 0xffffffff) throw tooLarge(); // ZIP64: far beyond any sane document
    total += size;
    offset +=
      46 +
      view.getUint16(offset + 28, true) +
      view.getUint16(offset + 30, true) +
      view.getUint16(offset + 32, true);
  }
  return total;
}

function tooLarge(): ExtractionError {
  return new ExtractionError(
    'too_large',
    `The DOCX file expands to more than ${MAX_DOCX_INFLATED_BYTES / 1024 / 1024} MB once decompressed; it was not read.`,
  );
}

export async function docxToText(bytes: Uint8Array): Promise<string> {
  if (declaredZipSize(bytes) > MAX_DOCX_INFLATED_BYTES) throw tooLarge();
  try {
    // Loaded on first use (only knowledge uploads read DOCX).
    const { default: mammoth } = await import('mammoth');
    const result = await mammoth.extractRawText({
      buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    });
    return result.value.replace(/\n{3,}/g, '\n\n');
  } catch (error) {
    if (error instanceof ExtractionError) throw error;
    throw new ExtractionError(
      'corrupt',
      'The DOCX file could not be read (it is damaged or not a Word document).',
    );
  }
}
