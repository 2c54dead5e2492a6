/**
 * Errors the application services raise. The HTTP layer turns each into
 * `{"error": {code, message, details?}}` with its status; the bot turns them
 * into a sentence. Anything else that escapes is a 500 and a bug.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(readonly problems: FieldProblem[], message = describeProblems(problems)) {
    super(400, 'invalid_request', message, problems);
  }
}

export class UnauthorizedError extends AppError {
  constructor(code: string, message: string) {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(403, code, message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

/** Busy for now: the client may send the same request again after `retryAfterSeconds` (the Retry-After header). */
export class TooManyRequestsError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, code, message);
  }
}

function describeProblems(problems: FieldProblem[]): string {
  if (problems.length === 1) {
    const [only] = problems;
    return `${only!.field}: ${only!.message}`;
  }
  return `${problems.length} fields are invalid: ${problems.map((p) => p.field).join(', ')}`;
}
