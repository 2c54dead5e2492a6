import { retryAfterMs } from '../shared/retry-after';
import http from 'node:http';
import https from 'node:https';
import type { Logger } from '../logging/logger';
import {
  BackendAuthError,
  BackendConflictError,
  BackendError,
  BackendMalformedResponseError,
  BackendNotFoundError,
  BackendUnavailableError,
  BackendValidationError,
} from './backend-errors';
import type {
  BackendAccount,
  BackendAccountRef,
  BackendCallflow,
  BackendEnvelope,
  BackendPhoneNumber,
  BackendUser,
  NewCallflow,
  TeamsSettings,
  ValidationErrors,
} from './backend-types';
import { RequestLimiter } from './request-limiter';

export interface BackendClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Requests in flight at most. */
  concurrency: number;
  /** Per attempt. */
  timeoutMs: number;
  /** Retries after the first attempt, for 5xx, 429, time-outs and network errors. */
  maxRetries: number;
  /** Items per list page (Kazoo allows up to 1000). */
  pageSize: number;
  logger: Logger;
  /** First backoff step; doubles per retry, with full jitter, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Longest Retry-After honoured. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface BackendStats {
  reads: number;
  writes: number;
  retries: number;
  authentications: number;
  /** Time with at least one request in flight. */
  busyMs: number;
}

type Method = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

class RetryableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * A typed client for the backend subset (backend-api.md): api-key auth with token
 * reuse and one re-auth on 401, pages followed to the end, envelopes and errors
 * mapped to typed errors, per-attempt time-outs, retries with exponential backoff
 * and jitter, Retry-After honoured, and a bounded number of requests in flight.
 * Retries are a loop here rather than a library because each 429 dictates its
 * own delay.
 */
export class BackendClient {
  private readonly limiter: RequestLimiter;
  private readonly log: Logger;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private token: Promise<string> | undefined;
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });
  private readonly counters = { reads: 0, writes: 0, retries: 0, authentications: 0 };

  constructor(private readonly options: BackendClientOptions) {
    this.limiter = new RequestLimiter(options.concurrency);
    this.log = options.logger.child({ component: 'backend-client' });
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  get stats(): BackendStats {
    return { ...this.counters, busyMs: this.limiter.busyTime };
  }

  async getAccount(accountId: string): Promise<BackendAccount> {
    return (await this.call<BackendAccount>('GET', accountPath(accountId))).data;
  }

  /** The account's ancestors, from the top down to its direct parent; BackendNotFoundError for an unknown account. */
  async getParents(accountId: string): Promise<BackendAccountRef[]> {
    const { data } = await this.call<BackendAccountRef[]>('GET', `${accountPath(accountId)}/parents`);
    if (!Array.isArray(data) || data.some((parent) => typeof parent !== 'object' || parent === null || typeof parent.id !== 'string')) {
      throw new BackendMalformedResponseError('parents is not a list of accounts');
    }
    return data;
  }

  async updateAccountTeams(accountId: string, teams: TeamsSettings): Promise<BackendAccount> {
    return (await this.call<BackendAccount>('PATCH', accountPath(accountId), { data: { teams } })).data;
  }

  /** Every number on the account, all pages; `onPage` sees each page as it arrives. */
  async listPhoneNumbers(
    accountId: string,
    onPage?: (page: Map<string, BackendPhoneNumber>) => void,
  ): Promise<Map<string, BackendPhoneNumber>> {
    const numbers = new Map<string, BackendPhoneNumber>();
    await this.eachPage<{ numbers?: Record<string, BackendPhoneNumber> }>(
      `${accountPath(accountId)}/phone_numbers`,
      (page) => {
        if (typeof page !== 'object' || page === null || typeof page.numbers !== 'object' || page.numbers === null) {
          throw new BackendMalformedResponseError('phone_numbers page has no numbers object');
        }
        const entries = new Map(Object.entries(page.numbers));
        entries.forEach((number, e164) => numbers.set(e164, number));
        onPage?.(entries);
      },
    );
    return numbers;
  }

  async addPhoneNumber(accountId: string, e164: string): Promise<BackendPhoneNumber> {
    return (await this.call<BackendPhoneNumber>('PUT', numberPath(accountId, e164), { data: {} })).data;
  }

  /** Already gone counts as done: a retried DELETE whose first answer was lost finds nothing. */
  async releasePhoneNumber(accountId: string, e164: string): Promise<void> {
    await this.call('DELETE', numberPath(accountId, e164)).catch(ignoreNotFound);
  }

  async listCallflows(accountId: string): Promise<BackendCallflow[]> {
    return this.listAll<BackendCallflow>(`${accountPath(accountId)}/callflows`);
  }

  async getCallflow(accountId: string, callflowId: string): Promise<BackendCallflow> {
    return (await this.call<BackendCallflow>('GET', callflowPath(accountId, callflowId))).data;
  }

  async createCallflow(accountId: string, callflow: NewCallflow): Promise<BackendCallflow> {
    return (await this.call<BackendCallflow>('PUT', `${accountPath(accountId)}/callflows`, { data: callflow })).data;
  }

  async replaceCallflow(accountId: string, callflow: BackendCallflow): Promise<BackendCallflow> {
    const { id, ...rest } = callflow;
    return (await this.call<BackendCallflow>('POST', callflowPath(accountId, id), { data: rest })).data;
  }

  async deleteCallflow(accountId: string, callflowId: string): Promise<void> {
    await this.call('DELETE', callflowPath(accountId, callflowId)).catch(ignoreNotFound);
  }

  async listUsers(accountId: string): Promise<BackendUser[]> {
    return this.listAll<BackendUser>(`${accountPath(accountId)}/users`);
  }

  private async listAll<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    await this.eachPage<T[]>(path, (page) => {
      if (!Array.isArray(page)) throw new BackendMalformedResponseError(`${path}: a page is not a list`);
      items.push(...page);
    });
    return items;
  }

  private async eachPage<P>(path: string, take: (page: P) => void): Promise<void> {
    let startKey: string | undefined;
    const seen = new Set<string>();
    do {
      const query = new URLSearchParams({ page_size: String(this.options.pageSize) });
      if (startKey !== undefined) query.set('start_key', startKey);
      const envelope = await this.call<P>('GET', `${path}?${query}`);
      take(envelope.data);
      // Some Crossbar versions end with null or "" rather than no key.
      startKey = envelope.next_start_key || undefined;
      if (startKey !== undefined) {
        // A backend that hands out the same key twice would page forever.
        if (seen.has(startKey)) throw new BackendMalformedResponseError(`${path}: start key ${startKey} repeats`);
        seen.add(startKey);
      }
    } while (startKey !== undefined);
  }

  /** One logical call: authenticated, retried, mapped to typed errors. */
  private async call<T>(method: Method, path: string, body?: unknown): Promise<BackendEnvelope<T>> {
    let reauthenticated = false;
    for (;;) {
      const token = await this.authToken();
      const response = await this.withRetries(method, path, () => this.send(method, path, body, token));
      if (response.status === 401 && !reauthenticated) {
        // An expired token: authenticate again once, then retry the call.
        reauthenticated = true;
        if (this.token && (await this.token.catch(() => undefined)) === token) this.token = undefined;
        continue;
      }
      return this.unwrap<T>(method, path, response);
    }
  }

  private authToken(): Promise<string> {
    this.token ??= this.authenticate().catch((error: unknown) => {
      this.token = undefined;
      throw error;
    });
    return this.token;
  }

  private async authenticate(): Promise<string> {
    this.counters.authentications++;
    const path = '/v2/api_auth';
    const response = await this.withRetries('PUT', path, () =>
      this.send('PUT', path, { data: { api_key: this.options.apiKey } }),
    );
    if (response.status === 401 || response.status === 403) {
      throw new BackendAuthError('The backend refused the API key (BACKEND_API_KEY)', response.status);
    }
    const envelope = this.unwrap<unknown>('PUT', path, response);
    if (typeof envelope.auth_token !== 'string' || envelope.auth_token === '') {
      throw new BackendMalformedResponseError('api_auth answered without auth_token');
    }
    return envelope.auth_token;
  }

  private async withRetries(method: Method, path: string, attempt: () => Promise<RawResponse>): Promise<RawResponse> {
    const backoff = this.options.backoffMs ?? 200;
    const maxBackoff = this.options.maxBackoffMs ?? 5_000;
    for (let tries = 1; ; tries++) {
      try {
        const response = await this.limiter.run(attempt);
        if (response.status === 429 || response.status >= 500) {
          throw new RetryableError(
            `${method} ${path}: ${response.status}`,
            response.status,
            response.status === 429 ? retryAfterMs(response.retryAfter, this.options.maxRetryAfterMs ?? 60_000) : undefined,
          );
        }
        return response;
      } catch (error) {
        const retryable = toRetryable(error, method, path);
        if (tries > this.options.maxRetries) {
          throw new BackendUnavailableError(
            `The backend did not answer ${method} ${path} after ${tries} tries (${retryable.message})`,
            tries,
            retryable.status,
          );
        }
        this.counters.retries++;
        const delay =
          retryable.retryAfterMs ?? Math.floor(this.random() * Math.min(maxBackoff, backoff * 2 ** (tries - 1)));
        this.log.debug({ method, path, status: retryable.status, tries, delay }, 'retrying backend call');
        await this.sleep(delay);
      }
    }
  }

  private send(method: Method, path: string, body: unknown, token?: string): Promise<RawResponse> {
    if (method === 'GET') this.counters.reads++;
    else this.counters.writes++;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (token) headers['x-auth-token'] = token;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    const url = new URL(`${this.options.baseUrl}${path}`);
    const transport = url.protocol === 'https:' ? https : http;
    // node:http with keep-alive rather than fetch: a fraction of the CPU per
    // request, which matters with thousands of writes in flight.
    return new Promise<RawResponse>((resolve, reject) => {
      const request = transport.request(
        url,
        { method, headers, agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', (error) => reject(new NetworkError(error.message)));
          response.on('end', () => {
            const retryAfter = response.headers['retry-after'];
            resolve({
              status: response.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
            });
          });
        },
      );
      // A deadline for the whole attempt, not just a quiet socket: a trickling answer times out too.
      const deadline = setTimeout(
        () => request.destroy(new TimeoutError(`no answer within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      request.on('close', () => clearTimeout(deadline));
      // The request reports a failed connection; a late error on a kept-alive
      // socket must not become an unhandled error that stops the process.
      request.on('socket', (socket) => {
        if (!guardedSockets.has(socket)) {
          guardedSockets.add(socket);
          socket.on('error', () => undefined);
        }
      });
      request.on('error', (error) => reject(error instanceof TimeoutError ? error : new NetworkError(error.message)));
      request.end(payload);
    });
  }

  private unwrap<T>(method: Method, path: string, response: RawResponse): BackendEnvelope<T> {
    let envelope: BackendEnvelope<T> | undefined;
    try {
      envelope = response.text === '' ? undefined : (JSON.parse(response.text) as BackendEnvelope<T>);
    } catch {
      envelope = undefined;
    }
    const ok = response.status >= 200 && response.status < 300;
    if (ok && response.status !== 204 && (typeof envelope !== 'object' || envelope === null || !('data' in envelope))) {
      throw new BackendMalformedResponseError(`${method} ${path}: the answer is not a Crossbar envelope`, response.status);
    }
    if (ok) return envelope ?? ({ data: undefined, status: 'success' } as BackendEnvelope<T>);
    const message = `${method} ${path}: ${response.status} ${envelope?.message ?? envelope?.error ?? ''}`.trim();
    const requestId = envelope?.request_id;
    switch (response.status) {
      case 400:
        return throwValidation(message, envelope?.data, requestId);
      case 401:
      case 403:
        throw new BackendAuthError(message, response.status, requestId);
      case 404:
        throw new BackendNotFoundError(message, 404, requestId);
      case 409:
        throw new BackendConflictError(message, 409, requestId);
      default:
        throw new BackendError(message, response.status, requestId);
    }
  }
}

interface RawResponse {
  status: number;
  text: string;
  retryAfter: string | null;
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof BackendNotFoundError)) throw error;
}

function throwValidation(message: string, data: unknown, requestId?: string): never {
  const fields: Record<string, string[]> = {};
  if (typeof data === 'object' && data !== null) {
    for (const [field, validators] of Object.entries(data as ValidationErrors)) {
      if (typeof validators === 'object' && validators !== null) fields[field] = Object.keys(validators);
    }
  }
  throw new BackendValidationError(message, fields, requestId);
}

const guardedSockets = new WeakSet<object>();

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** The connection failed (refused, reset, closed): nothing came back. */
class NetworkError extends Error {
  override name = 'NetworkError';
}

function toRetryable(error: unknown, method: Method, path: string): RetryableError {
  if (error instanceof RetryableError) return error;
  if (error instanceof TimeoutError) return new RetryableError(`${method} ${path}: timed out`);
  if (error instanceof NetworkError) return new RetryableError(`${method} ${path}: ${error.message}`);
  throw error;
}

const enc = encodeURIComponent;
const accountPath = (accountId: string) => `/v2/accounts/${enc(accountId)}`;
const numberPath = (accountId: string, e164: string) => `${accountPath(accountId)}/phone_numbers/${enc(e164)}`;
const callflowPath = (accountId: string, id: string) => `${accountPath(accountId)}/callflows/${enc(id)}`;
