/** What went wrong talking to the backend, typed so the sync can decide what to do. */
export class BackendError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: Kazoo's field/validator errors, e.g. numbers.unique on a callflow. */
export class BackendValidationError extends BackendError {
  constructor(
    message: string,
    readonly fields: Record<string, string[]>,
    requestId?: string,
  ) {
    super(message, 400, requestId);
  }

  has(field: string, validator: string): boolean {
    return this.fields[field]?.includes(validator) ?? false;
  }
}

export class BackendNotFoundError extends BackendError {}
export class BackendConflictError extends BackendError {}
/** The API key was refused, or a fresh token was refused again. */
export class BackendAuthError extends BackendError {}
/** The body was not the Crossbar envelope. */
export class BackendMalformedResponseError extends BackendError {}
/** Gave up after retries (5xx, 429, time-outs, network errors). */
export class BackendUnavailableError extends BackendError {
  constructor(
    message: string,
    readonly attempts: number,
    status?: number,
  ) {
    super(message, status);
  }
}
