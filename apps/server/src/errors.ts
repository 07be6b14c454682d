/**
 * The one table of API error codes. Every 4xx/5xx answer is `{ error: { code, message, details? } }`
 * with `code` from this table; the HTTP status comes from here and nowhere else.
 */
export const ERROR_CODES = {
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  rate_limited: 429,
  internal: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error meant for the client: its code picks the status, its message is shown as is (4xx). */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get statusCode(): number {
    return ERROR_CODES[this.code];
  }
}

/** 404 for unknown ids and for ids of another organization alike (never reveal existence). */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}

/** One field-level problem, as listed in `details.issues` of a `validation_failed` error. */
export interface ValidationIssue {
  /** Dotted path of the offending field (`tuning.vadThreshold`, `rows.3.phone`); '' for the whole input. */
  path: string;
  message: string;
}

export function validationFailed(issues: ValidationIssue[]): AppError {
  const first = issues[0];
  const summary = first ? (first.path ? `${first.path}: ${first.message}` : first.message) : 'invalid input';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return new AppError('validation_failed', `${summary}${more}`, { issues });
}

/** True when a database error (possibly wrapped by Drizzle) is a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
