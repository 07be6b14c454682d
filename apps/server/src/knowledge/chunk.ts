/**
 * Splits a document's text into overlapping passages for retrieval. Boundaries follow the
 * text's own structure (paragraphs, then lines — a CSV row is a line —, then sentences, then
 * words), and each passage repeats the end of the previous one so a fact that straddles a
 * boundary is still found whole.
 */

/** Aimed-for passage length (characters). */
export const CHUNK_TARGET_CHARS = 1000;
/** Text repeated from the end of the previous passage (characters, at most). */
export const CHUNK_OVERLAP_CHARS = 200;

export interface ChunkOptions {
  target?: number;
  overlap?: number;
}

export function chunkText(text: string, options: ChunkOptions = {}): string[] {
  const target = options.target ?? CHUNK_TARGET_CHARS;
  const overlap = Math.min(options.overlap ?? CHUNK_OVERLAP_CHARS, Math.floor(target / 2));
  const units = toUnits(text, Math.max(1, Math.floor(target / 2)));
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const unit of units) {
    if (current.length > 0 && length + unit.length > target) {
      chunks.push(join(current));
      const carry: string[] = [];
      let carried = 0;
      for (let i = current.length - 1; i > 0 && carried + current[i]!.length <= overlap; i--) {
        carry.unshift(current[i]!);
        carried += current[i]!.length + 1;
      }
      current = carry;
      length = carried;
    }
    current.push(unit);
    length += unit.length + 1;
  }
  if (current.length > 0) chunks.push(join(current));
  return chunks.filter((c) => c.trim() !== '');
}

/** Units end with '\n' when a line ends after them; joined with spaces otherwise. */
function join(units: string[]): string {
  return units
    .join(' ')
    .replace(/ ?\n ?/g, '\n')
    .trim();
}

function toUnits(text: string, max: number): string[] {
  const units: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const pieces = trimmed.length <= max ? [trimmed] : splitLong(trimmed, max);
    pieces[pieces.length - 1] += '\n';
    units.push(...pieces);
  }
  return units;
}

function splitLong(line: string, max: number): string[] {
  const out: string[] = [];
  for (const sentence of line.split(/(?<=[.!?;:])\s+/)) {
    if (sentence.length <= max) {
      out.push(sentence);
      continue;
    }
    let piece = '';
    for (const word of sentence.split(/\s+/)) {
      for (let w = word; w.length > 0; w = w.slice(max)) {
        const part = w.slice(0, max);
        if (piece && piece.length + part.length + 1 > max) {
          out.push(piece);
          piece = part;
        } else piece = piece ? `${piece} ${part}` : part;
      }
    }
    if (piece) out.push(piece);
  }
  return out;
}
