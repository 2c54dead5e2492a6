/**
 * The activation page's only module that talks to the API (activate.html, the
 * customer's side of co-management). No token: the API keeps a session cookie
 * scoped to /api/v1/activation, which same-origin requests carry.
 */
import type { ActivationView } from '../../../api/co-management/activation-service';
import { ApiError, callApi } from './api-call';

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

  private request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return callApi<T>(this.baseUrl, method, path, {
      body,
      // The session cookie: sent and accepted on same-origin requests only.
      init: { credentials: 'same-origin', cache: 'no-store' },
      offline: 'The page cannot reach the portal. Check your connection and try again.',
    });
  }
}

/** The session is gone (expired, or never opened here) or the link no longer works: only a new start helps. */
export function isSessionLost(error: unknown): boolean {
  return isSessionEnded(error) || (error instanceof ApiError && error.status === 404);
}

/** The page's session cookie stands for nothing (any more): expired, or no session was ever opened here. */
export function isSessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code === 'activation_session_ended';
}
