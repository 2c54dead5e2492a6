import type { z } from 'zod';
import { ValidationError, type FieldProblem } from '../errors';

/**
 * Parses with a zod schema, or throws a 400 that names every field and its
 * problem. `whole` names the input itself (e.g. "body") for problems that
 * concern no single field.
 */
export function validateInput<S extends z.ZodType>(schema: S, input: unknown, whole = 'body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(problemsOf(result.error, whole));
}

export function problemsOf(error: z.ZodError, whole: string): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: path ? `${path}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ field: path || whole, message: issue.message }];
  });
}
