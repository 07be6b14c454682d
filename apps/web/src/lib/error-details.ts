/**
 * Turns the `details` of an API error (`{error:{code,message,details}}`) into per-field
 * messages. Validation errors may arrive as zod issues (`[{path, message}]`), a flattened
 * zod error (`{fieldErrors}`), AJV errors (`[{instancePath, message}]`) or a plain
 * `{field: message}` object; all are accepted.
 */
export type FieldErrors = Record<string, string>;

function pathToField(path: unknown): string | null {
  if (Array.isArray(path)) return path.length ? path.map(String).join('.') : null;
  if (typeof path === 'string' && path) return path.replace(/^\//, '').replace(/\//g, '.') || null;
  return null;
}

function fromIssues(issues: unknown[]): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    if (!issue || typeof issue !== 'object') continue;
    const i = issue as Record<string, unknown>;
    const message = typeof i.message === 'string' ? i.message : null;
    let field = pathToField(i.path) ?? pathToField(i.instancePath) ?? pathToField(i.field);
    // AJV reports a missing property on its parent: `{instancePath:'', params:{missingProperty:'phone'}}`.
    const params = i.params as Record<string, unknown> | undefined;
    if (!field && typeof params?.missingProperty === 'string') field = params.missingProperty;
    if (field && message && !(field in out)) out[field] = message;
  }
  return out;
}

export function fieldErrorsFromDetails(details: unknown): FieldErrors {
  if (!details) return {};
  if (Array.isArray(details)) return fromIssues(details);
  if (typeof details !== 'object') return {};
  const d = details as Record<string, unknown>;
  if (Array.isArray(d.issues)) return fromIssues(d.issues);
  if (Array.isArray(d.errors)) return fromIssues(d.errors);
  if (d.fieldErrors && typeof d.fieldErrors === 'object')
    return fromRecord(d.fieldErrors as Record<string, unknown>);
  return fromRecord(d);
}

function fromRecord(record: Record<string, unknown>): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, value] of Object.entries(record)) {
    if (typeof value === 'string') out[field] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') out[field] = value[0];
  }
  return out;
}

/** Messages for fields the form does not show, so they are not silently lost. */
export function unshownFieldErrors(errors: FieldErrors, shown: readonly string[]): string[] {
  return Object.entries(errors)
    .filter(([field]) => !shown.some((s) => field === s || field.startsWith(`${s}.`)))
    .map(([field, message]) => `${field}: ${message}`);
}
