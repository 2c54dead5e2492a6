/**
 * The activation page's only module that talks to the API (activate.html, the
 * customer's side of co-management). No token: the API keeps a session cookie
 * scoped to /api/v1/activation, which same-origin requests carry.
 */
import type { ActivationView } from '../../../api/co-management/activation-service';
import { ApiError } from './portal-api';

export type { ActivationView };
export { ApiError };

/** Full-page navigations: the API redirects the browser to Microsoft and back to the page. */
export const signInUrl = '/api/v1/activation/sign-in';
export const consentUrl = '/api/v1/activation/consent';

export interface ActivationApi {
  /**
   * Starts the page's session (cookie). With the link from the partner's e-mail: about that link's service.
   * Without one: about no service yet; the administrator signs in, then picks one of the organisation's services.
   */
  openSession(link?: string): Promise<ActivationView>;
  /** What the page shows, from the session cookie (after Microsoft's redirects, or a reload). */
  describe(): Promise<ActivationView>;
  /** Without a link, once signed in: binds the session to one of `view.services`. Answers that service's view. */
  chooseService(id: string): Promise<ActivationView>;
  /** "Allow carrier to co-manage your service": on or off. Answers what the page shows now. */
  setAllowed(allowed: boolean): Promise<ActivationView>;
}

export class ActivationClient implements ActivationApi {
  constructor(private readonly baseUrl = '') {}

  openSession(link?: string): Promise<ActivationView> {
    return this.request('POST', '/api/v1/activation/session', link === undefined ? {} : { link });
  }

  describe(): Promise<ActivationView> {
    return this.request('GET', '/api/v1/activation/session');
  }

  chooseService(id: string): Promise<ActivationView> {
    return this.request('PUT', '/api/v1/activation/service', { id });
  }

  setAllowed(allowed: boolean): Promise<ActivationView> {
    return this.request('PUT', '/api/v1/activation/co-management', { allowed });
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // The session cookie: sent and accepted on same-origin requests only.
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'network', 'The page cannot reach the portal. Check your connection and try again.');
    }
    return parse<T>(response);
  }
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.ok) return body as T;
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  throw new ApiError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? `The portal answered ${response.status}. Try again in a moment.`,
  );
}

/** The session is gone (expired, or never opened here) or the link no longer works: only a new start helps. */
export function isSessionLost(error: unknown): boolean {
  return isSessionEnded(error) || (error instanceof ApiError && error.status === 404);
}

/** The page's session cookie stands for nothing (any more): expired, or no session was ever opened here. */
export function isSessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code === 'activation_session_ended';
}
