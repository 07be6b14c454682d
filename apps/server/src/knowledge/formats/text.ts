/**
 * Plain text, Markdown and CSV. A file that is not text (a binary renamed .txt) is refused
 * rather than indexed as noise: it must decode as UTF-8 (or UTF-16 with a byte-order mark) and
 * carry no NUL or other control bytes beyond a handful.
 */
import Papa from 'papaparse';
import { ExtractionError } from './errors.ts';

/** Share of control characters (other than tab, newline, carriage return, form feed) tolerated. */
const MAX_CONTROL_RATIO = 0.01;

export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
      text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes);
    else if (bytes[0] === 0xfe && bytes[1] === 0xff)
      text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes);
    else text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // strips a UTF-8 BOM
  } catch {
    throw notText();
  }
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) throw notText();
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f) control++;
  }
  if (control > Math.max(8, text.length * MAX_CONTROL_RATIO)) throw notText();
  return text.replace(/\r\n?/g, '\n');
}

function notText(): ExtractionError {
  return new ExtractionError(
    'not_text',
    'This file is not plain text (it looks like a binary file). Upload it in its original format (PDF or DOCX).',
  );
}

/**
 * A CSV becomes one line per row, each value labelled with its column header
 * ("Service: Oil change; Price: $59"), so a retrieved passage keeps its meaning.
 */
export function csvToText(source: string): string {
  const parsed = Papa.parse<string[]>(source.trim(), { skipEmptyLines: 'greedy' });
  const rows = parsed.data.filter((row) => row.some((cell) => cell.trim() !== ''));
  if (rows.length === 0) throw new ExtractionError('empty', 'The CSV file has no rows.');
  const header = rows[0]!.map((h, i) => h.trim() || `Column ${i + 1}`);
  if (rows.length === 1) return header.join('; ');
  return rows
    .slice(1)
    .map((row) =>
      row
        .map((cell, i) => (cell.trim() ? `${header[i] ?? `Column ${i + 1}`}: ${cell.trim()}` : ''))
        .filter(Boolean)
        .join('; '),
    )
    .filter(Boolean)
    .join('\n');
}
