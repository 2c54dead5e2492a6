/** What went wrong talking to Microsoft (sign-in or Graph), typed for the services. */
export class GraphError extends Error {
  constructor(
    /** HTTP status Microsoft answered; 0 for no answer (network, time-out). */
    readonly status: number,
    /** Microsoft's error code (Graph `error.code`, or the token endpoint's `error`). */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The app could not get a token for the customer's tenant: no consent, consent revoked, or bad credentials. */
export class GraphTokenError extends GraphError {}

/** A long-running Teams number operation did not finish in time. */
export class GraphOperationTimeout extends GraphError {
  constructor(readonly operationUrl: string) {
    super(0, 'operation_timeout', 'Microsoft did not finish the operation in time');
  }
}
