/**
 * The OpenAI hot path without `JSON.parse` (docs/realtime.md#openai-server-events): a
 * `response.output_audio.delta` frame — one flat JSON object of plain strings and integers, in
 * any key order, without whitespace or escapes — is read by scanning its keys, and only `type`,
 * `item_id` and `delta` become strings. Anything else (another event, a nested value, an escape,
 * whitespace, a delta that is not base64, a missing field) returns undefined and goes through
 * `JSON.parse` and `toServerEvent` (events.ts). So what this accepts, the generic path would
 * accept too, with the same result; tests compare the two.
 */

const TYPE = 'response.output_audio.delta';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const QUOTE = 34;
const COLON = 58;
const COMMA = 44;

/** The item and base64 audio of a `response.output_audio.delta` frame, or undefined (use the generic parse). */
export function parseAudioDeltaFast(text: string): { itemId: string; delta: string } | undefined {
  // Cheap refusals first: other events, and any escape (strings are then read as they are).
  if (!text.includes(TYPE) || text.includes('\\')) return undefined;
  const end = text.length - 1;
  if (text.charCodeAt(0) !== 123 /* { */ || text.charCodeAt(end) !== 125 /* } */) return undefined;
  let type: string | undefined;
  let itemId: string | undefined;
  let delta: string | undefined;
  let at = 1;
  for (;;) {
    // "key":
    if (text.charCodeAt(at) !== QUOTE) return undefined;
    const keyEnd = plainEnd(text, at + 1);
    if (keyEnd < 0 || text.charCodeAt(keyEnd + 1) !== COLON) return undefined;
    const keyStart = at + 1;
    at = keyEnd + 2;
    // value: a plain string or a non-negative integer
    let valueEnd: number;
    if (text.charCodeAt(at) === QUOTE) {
      const close =
        key(text, keyStart, keyEnd) === 'delta' ? text.indexOf('"', at + 1) : plainEnd(text, at + 1);
      if (close < 0) return undefined;
      const name = key(text, keyStart, keyEnd);
      if (name === 'type') type = text.slice(at + 1, close);
      else if (name === 'item_id') itemId = text.slice(at + 1, close);
      else if (name === 'delta') delta = text.slice(at + 1, close);
      valueEnd = close + 1;
    } else {
      valueEnd = integerEnd(text, at);
      if (valueEnd < 0) return undefined;
    }
    const next = text.charCodeAt(valueEnd);
    if (valueEnd === end) break;
    if (next !== COMMA) return undefined;
    at = valueEnd + 1;
  }
  if (type !== TYPE || !itemId || !delta || !BASE64.test(delta)) return undefined;
  return { itemId, delta };
}

/** The key between `start` and `end` when it is one the delta needs, else ''. */
function key(text: string, start: number, end: number): string {
  const length = end - start;
  if (length !== 4 && length !== 5 && length !== 7) return '';
  const name = text.slice(start, end);
  return name === 'type' || name === 'delta' || name === 'item_id' ? name : '';
}

/** Index of the closing quote of a string starting at `from` without control characters, or -1. */
function plainEnd(text: string, from: number): number {
  const end = text.indexOf('"', from);
  if (end < 0) return -1;
  for (let i = from; i < end; i++) if (text.charCodeAt(i) < 32) return -1;
  return end;
}

/** Index just past a JSON integer (`0` or `[1-9][0-9]*`, at most 15 digits) at `from`, or -1. */
function integerEnd(text: string, from: number): number {
  const first = text.charCodeAt(from);
  if (first < 48 || first > 57) return -1;
  if (first === 48) return from + 1;
  let i = from + 1;
  while (i < text.length && i - from < 15) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}
