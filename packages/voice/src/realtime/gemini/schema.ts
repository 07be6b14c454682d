/**
 * JSON Schema (what `ToolRegistry.declarations` produces with zod) → the OpenAPI-subset
 * `Schema` Gemini function declarations take (docs/realtime-gemini.md#setup): upper-case `type`,
 * `nullable` instead of `null` types, and only the keywords Gemini knows. Unknown keywords
 * (`additionalProperties`, `$schema`, `const`…) are dropped or rewritten rather than sent,
 * because the API closes the session (1007) on fields it does not know.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const TYPES: Record<string, string> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
  null: 'NULL',
};
/** Keywords copied verbatim (same meaning in both dialects). */
const COPIED = [
  'title',
  'description',
  'pattern',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'default',
  'example',
] as const;
const FORMATS: Record<string, readonly string[]> = {
  STRING: ['enum', 'date-time'],
  NUMBER: ['float', 'double'],
  INTEGER: ['int32', 'int64'],
};
const INT64_KEYS = new Set([
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
]);

export function toGeminiSchema(schema: unknown, depth = 0): Obj {
  if (!isObj(schema) || depth > 32) return { type: 'STRING' };
  const out: Obj = {};
  let nullable = false;
  let type: unknown = schema.type;
  if (Array.isArray(type)) {
    nullable = type.includes('null');
    const rest = type.filter((t) => t !== 'null');
    type = rest.length === 1 ? rest[0] : undefined;
  }
  let anyOf = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
  if (anyOf) {
    const nonNull = anyOf.filter((s) => !(isObj(s) && s.type === 'null'));
    nullable ||= nonNull.length < anyOf.length;
    if (nonNull.length === 1) return merge(toGeminiSchema(nonNull[0], depth + 1), schema, nullable);
    anyOf = nonNull;
  }
  if (typeof type === 'string' && TYPES[type]) out.type = TYPES[type];
  else if (schema.const !== undefined || Array.isArray(schema.enum)) out.type = 'STRING';
  else if (isObj(schema.properties)) out.type = 'OBJECT';
  for (const key of COPIED) {
    const value = schema[key];
    if (value !== undefined) out[key] = INT64_KEYS.has(key) ? String(value) : value;
  }
  if (typeof schema.format === 'string' && FORMATS[String(out.type)]?.includes(schema.format)) {
    out.format = schema.format;
  }
  const values = Array.isArray(schema.enum)
    ? schema.enum
    : schema.const !== undefined
      ? [schema.const]
      : null;
  if (values) {
    out.enum = values.filter((v) => v !== null).map(String);
    if (values.includes(null)) nullable = true;
    if (out.type === undefined || out.type === 'NUMBER' || out.type === 'INTEGER') out.type = 'STRING';
  }
  if (isObj(schema.properties)) {
    const properties: Obj = {};
    for (const [name, sub] of Object.entries(schema.properties))
      properties[name] = toGeminiSchema(sub, depth + 1);
    out.properties = properties;
    if (Array.isArray(schema.required)) out.required = schema.required.filter((r) => typeof r === 'string');
  }
  if (schema.items !== undefined) out.items = toGeminiSchema(schema.items, depth + 1);
  if (anyOf && anyOf.length > 1) out.anyOf = anyOf.map((s) => toGeminiSchema(s, depth + 1));
  if (out.type === undefined && out.anyOf === undefined) out.type = 'STRING';
  if (nullable) out.nullable = true;
  return out;
}

/** A collapsed `anyOf: [X, null]` keeps the outer description/title/default. */
function merge(inner: Obj, outer: Obj, nullable: boolean): Obj {
  for (const key of ['title', 'description', 'default'] as const) {
    if (outer[key] !== undefined) inner[key] = outer[key];
  }
  if (nullable) inner.nullable = true;
  return inner;
}
