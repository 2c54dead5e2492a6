/** The one shape of every error answer: `{"error": {code, message, details?}}`. */
export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
