/** HTTP byte ranges for recordings (RFC 9110 §14): one range; several, or a malformed header, serve it whole. */
import { Readable } from 'node:stream';
import { WAV_HEADER_BYTES } from '@switchboard/voice';
import type { StoredRecording } from './store.ts';

/** `{start, end}` (inclusive), undefined for the whole file, or `unsatisfiable` (416). */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | undefined | 'unsatisfiable' {
  const match = header?.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (!match) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return undefined;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return 'unsatisfiable';
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return undefined; // invalid: ignored, as the RFC allows
  return { start, end };
}

/** Bytes [start, end] of the recording: the computed header, then the file. */
export function recordingBytes(stored: StoredRecording, start: number, end: number): Readable {
  async function* bytes() {
    if (start < WAV_HEADER_BYTES) yield stored.header.subarray(start, Math.min(end + 1, WAV_HEADER_BYTES));
    if (end >= WAV_HEADER_BYTES) yield* stored.body(Math.max(start, WAV_HEADER_BYTES), end);
  }
  return Readable.from(bytes(), { objectMode: false });
}
