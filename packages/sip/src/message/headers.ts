/**
 * SIP header storage (RFC 3261 §7.3): names are case-insensitive and have compact forms
 * (`v` = Via, `i` = Call-ID, …); values keep their order. Comma-separated lists (Via, Route,
 * Contact) are split by {@link splitList}, which respects quotes and angle brackets.
 */

const COMPACT: Record<string, string> = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
};

/** The canonical (long, lower-case) form of a header name. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}

const DISPLAY: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  'min-se': 'Min-SE',
  rack: 'RAck',
  rseq: 'RSeq',
};

/** How a canonical name is written on the wire (`max-forwards` → `Max-Forwards`). */
export function displayName(canonical: string): string {
  return (
    DISPLAY[canonical] ??
    canonical.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())
  );
}

export class SipHeaders {
  #entries: Array<[name: string, value: string]> = [];

  constructor(entries: Iterable<[string, string]> = []) {
    for (const [name, value] of entries) this.add(name, value);
  }

  /** The first value of `name`, or undefined. */
  get(name: string): string | undefined {
    const key = canonicalName(name);
    for (const [n, v] of this.#entries) if (n === key) return v;
    return undefined;
  }

  /** Every value of `name`, comma lists split (Via, Route, Record-Route, Contact…). */
  list(name: string): string[] {
    const key = canonicalName(name);
    const out: string[] = [];
    for (const [n, v] of this.#entries) if (n === key) out.push(...splitList(v));
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  add(name: string, value: string): this {
    this.#entries.push([canonicalName(name), value]);
    return this;
  }

  /** Adds a value before every existing one (a new top Via, for instance). */
  prepend(name: string, value: string): this {
    this.#entries.unshift([canonicalName(name), value]);
    return this;
  }

  /** Replaces every value of `name` with `value`. */
  set(name: string, value: string): this {
    const key = canonicalName(name);
    const index = this.#entries.findIndex(([n]) => n === key);
    this.delete(key);
    if (index < 0) this.#entries.push([key, value]);
    else this.#entries.splice(Math.min(index, this.#entries.length), 0, [key, value]);
    return this;
  }

  delete(name: string): this {
    const key = canonicalName(name);
    this.#entries = this.#entries.filter(([n]) => n !== key);
    return this;
  }

  /** Removes the first value of a comma list (the top Via), keeping the others. */
  shift(name: string): string | undefined {
    const key = canonicalName(name);
    const index = this.#entries.findIndex(([n]) => n === key);
    if (index < 0) return undefined;
    const [first, ...rest] = splitList(this.#entries[index]![1]);
    if (rest.length > 0) this.#entries[index] = [key, rest.join(', ')];
    else this.#entries.splice(index, 1);
    return first;
  }

  entries(): Array<[string, string]> {
    return this.#entries.map(([n, v]) => [n, v]);
  }

  clone(): SipHeaders {
    return new SipHeaders(this.#entries);
  }
}

/** Splits a header value on commas outside quotes and `<…>`. */
export function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      const part = value.slice(start, i).trim();
      if (part) out.push(part);
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last) out.push(last);
  return out;
}

/**
 * `;name=value` parameters after a value (Via, To/From, Contact): keys lower-cased, a
 * parameter without `=` has the value ''. Quoted values are unquoted.
 */
export function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of splitOutsideQuotes(text, ';')) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    const key = (eq < 0 ? trimmed : trimmed.slice(0, eq)).trim().toLowerCase();
    const raw = eq < 0 ? '' : trimmed.slice(eq + 1).trim();
    params.set(key, unquote(raw));
  }
  return params;
}

export function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

export function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

export function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}
