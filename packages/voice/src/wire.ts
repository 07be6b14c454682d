/**
 * Readers for untyped JSON from a socket, used only by the parsers that turn a provider's wire
 * messages into their typed unions (`realtime/openai/events.ts`, `realtime/gemini/events.ts`).
 * Each returns `undefined` (or `{}`) for a value of the wrong type, never throws.
 */

/** A JSON object as parsed from the wire, fields not checked yet. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a JSON object, else an empty one (so field reads yield `undefined`). */
export function objectAt(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}

export function stringAt(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Finite numbers only (JSON has no NaN or Infinity, but a parser may be fed anything). */
export function numberAt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
