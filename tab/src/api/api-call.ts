/**
 * One call to the API over fetch and its JSON answer, with no token of its
 * own: what the signed-in calls (portal-api.ts), the sign-in and the
 * activation page share. Any answer but a success is an ApiError.
 */
import type { FieldProblem } from './api-types';

export type Query = Record<string, string | number | boolean | undefined>;

/** An answer that was not a success, with what the API said. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The problem the API named for one field, if any. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }
}

/** How one call is made: its query, body and token, and what fetch is told besides. */
export interface CallOptions {
  query?: Query;
  body?: unknown;
  /** A file upload (multipart/form-data; fetch writes its boundary). */
  form?: FormData;
  /** What to ask for instead of JSON (a CSV download). */
  accept?: string;
  token?: string;
  /** More for fetch: the activation page's cookie (credentials, cache). */
  init?: Pick<RequestInit, 'credentials' | 'cache'>;
  /** Said when the portal cannot be reached at all. */
  offline?: string;
}

/** One call to the API and its JSON answer; any answer but a success is an ApiError. */
export async function callApi<T>(baseUrl: string, method: string, path: string, options: CallOptions): Promise<T> {
  return parse<T>(await send(baseUrl, method, path, options));
}

export async function send(
  baseUrl: string,
  method: string,
  path: string,
  { query, body, form, accept = 'application/json', token, init, offline = 'The portal cannot be reached. Check your connection and try again.' }: CallOptions,
): Promise<Response> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const url = `${baseUrl}${path}${search.size > 0 ? `?${search}` : ''}`;
  const headers: Record<string, string> = { accept };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  try {
    return await fetch(url, { method, headers, body: form ?? (body === undefined ? undefined : JSON.stringify(body)), ...init });
  } catch {
    throw new ApiError(0, 'network', offline);
  }
}

export async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.ok) return body as T;
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  const fields = Array.isArray(error?.details) ? (error.details as FieldProblem[]) : [];
  throw new ApiError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? `The portal answered ${response.status}. Try again in a moment.`,
    fields,
  );
}
