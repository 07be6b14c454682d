/**
 * Strings Postgres cannot store — a NUL byte (`\u0000`) or an unpaired UTF-16 surrogate (valid
 * in JSON, invalid in UTF-8) — are refused at the edge with a 400 naming the field, instead of
 * failing deep in a query with a 500.
 */
import { validationFailed } from '../errors.ts';

const MESSAGE = 'must not contain NUL bytes or unpaired surrogates';
/** Nesting walked at most (deeper input is left to the schema). */
const MAX_DEPTH = 32;

/**
 * Throws validation_failed for the first unsafe string in `input` (path like `body.contact`).
 * `skip`: a path whose contents the route checks itself (an import reports bad rows one by one).
 */
export function rejectUnsafeStrings(input: Record<string, unknown>, skip?: string): void {
  const path = findUnsafe(input, '', 0, skip);
  if (path !== null) throw validationFailed([{ path, message: MESSAGE }]);
}

export function isSafeString(value: string): boolean {
  return !value.includes('\u0000') && value.isWellFormed();
}

function findUnsafe(value: unknown, path: string, depth: number, skip?: string): string | null {
  if (path !== '' && path === skip) return null;
  if (typeof value === 'string') return isSafeString(value) ? null : path;
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return null;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, child] of entries) {
    const childPath = path ? `${path}.${key}` : key;
    if (!isSafeString(key)) return childPath;
    const found = findUnsafe(child, childPath, depth + 1, skip);
    if (found !== null) return found;
  }
  return null;
}
