/**
 * Input validation with the shared zod schemas: a failure becomes one AppError
 * `validation_failed` whose `details.issues` lists `{ path, message }` per problem.
 */
import type { z } from 'zod';
import { type ValidationIssue, validationFailed } from './errors.ts';

export function toIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.flatMap((issue): ValidationIssue[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: path ? `${path}.${key}` : key,
        message: 'is not a known field',
      }));
    }
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      return [{ path, message: path ? 'is required' : issue.message }];
    }
    return [{ path, message: issue.message }];
  });
}

/** Parses `data` with `schema`; throws AppError `validation_failed` (400) listing every issue. */
export function parse<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw validationFailed(toIssues(result.error));
}
