import type { Logger } from '../logging/logger';
import { retryAfterMs } from '../shared/retry-after';
import { GraphError, GraphOperationTimeout, GraphTokenError } from './graph-errors';
import type {
  GraphUser,
  NumberAssignment,
  TeamsUserConfiguration,
  TelephoneNumberOperation,
} from './graph-types';

export interface GraphClientOptions {
  /** Microsoft's sign-in authority, e.g. https://login.microsoftonline.com (the simulator's URL locally). */
  authorityUrl: string;
  /** e.g. https://graph.microsoft.com */
  graphUrl: string;
  clientId: string;
  clientSecret: string;
  /** Retries after the first attempt for 429, 5xx, time-outs and dropped connections. */
  maxRetries?: number;
  /** First backoff step when Microsoft gives no Retry-After; doubles per retry, full jitter. */
  backoffMs?: number;
  /** A Retry-After longer than this is cut to it, so no request waits for minutes. */
  maxRetryAfterMs?: number;
  timeoutMs?: number;
  logger?: Logger;
}

export interface OperationWait {
  intervalMs: number;
  timeoutMs: number;
  /** Called after each poll that found the operation still running. */
  onPoll?: () => Promise<unknown>;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

const RETRIED = new Set([429, 500, 502, 503, 504]);
const NOT_CARRIED_OUT = new Set([429, 503]);

/**
 * Microsoft Graph for one multi-tenant app, acting in a customer's tenant with
 * app-only tokens (client credentials), cached per tenant until they expire.
 * Pages are followed to the end; 429 and 503 wait as Retry-After says.
 */
export class GraphClient {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pendingTokens = new Map<string, Promise<string>>();
  private readonly options: Required<Omit<GraphClientOptions, 'logger'>>;
  private readonly log: Logger | undefined;

  constructor(options: GraphClientOptions) {
    this.options = {
      maxRetries: 4,
      backoffMs: 500,
      maxRetryAfterMs: 30_000,
      timeoutMs: 15_000,
      ...options,
      authorityUrl: options.authorityUrl.replace(/\/+$/, ''),
      graphUrl: options.graphUrl.replace(/\/+$/, ''),
    };
    this.log = options.logger?.child({ component: 'graph' });
  }

  /**
   * The tenant id behind a tenant name (contoso.onmicrosoft.com or a verified
   * domain), from its public OpenID configuration; null when Microsoft knows no such tenant.
   */
  async resolveTenantId(tenantName: string): Promise<string | null> {
    const url = `${this.options.authorityUrl}/${encodeURIComponent(tenantName)}/v2.0/.well-known/openid-configuration`;
    const response = await this.send(url, { method: 'GET' });
    if (response.status === 400 || response.status === 404) return null;
    if (!response.ok) throw await graphErrorOf(response);
    const body = await jsonOf<{ issuer?: string }>(response);
    const match = /\/([^/]+)\/v2\.0\/?$/.exec(body.issuer ?? '');
    return match ? match[1]! : null;
  }

  /** An app-only token for the tenant; one request for concurrent first callers. */
  async token(tenantId: string): Promise<string> {
    const cached = this.tokens.get(tenantId);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const pending = this.pendingTokens.get(tenantId);
    if (pending) return pending;
    const request = this.requestToken(tenantId).finally(() => this.pendingTokens.delete(tenantId));
    this.pendingTokens.set(tenantId, request);
    return request;
  }

  /** Forget the tenant's token (after consent is revoked, or a 401). */
  forgetToken(tenantId: string): void {
    this.tokens.delete(tenantId);
  }

  async listUsers(tenantId: string): Promise<GraphUser[]> {
    return this.collect<GraphUser>(
      tenantId,
      `/v1.0/users?$select=id,displayName,userPrincipalName,accountEnabled&$top=999`,
    );
  }

  async listUserConfigurations(tenantId: string): Promise<TeamsUserConfiguration[]> {
    return this.collect<TeamsUserConfiguration>(tenantId, `/beta/admin/teams/userConfigurations`);
  }

  /** The tenant's Direct Routing numbers; pages by $skip (and @odata.nextLink when Graph gives one). */
  async listDirectRoutingNumbers(tenantId: string): Promise<NumberAssignment[]> {
    const top = 1000;
    const all: NumberAssignment[] = [];
    let previousFirst: string | undefined;
    for (let skip = 0; ; skip += top) {
      const path =
        `/beta/admin/teams/telephoneNumberManagement/numberAssignments` +
        `?$filter=${encodeURIComponent("numberType eq 'directRouting'")}&$top=${top}&$skip=${skip}`;
      const { items, nextLink } = await this.page<NumberAssignment>(tenantId, this.graphUrlOf(path));
      // A Graph that ignored $skip would hand back the same page for ever.
      if (skip > 0 && items.length > 0 && items[0]!.telephoneNumber === previousFirst) {
        throw new GraphError(0, 'paging_loop', 'Microsoft Graph returned the same page of numbers twice');
      }
      previousFirst = items[0]?.telephoneNumber;
      all.push(...items);
      if (nextLink) {
        all.push(...(await this.follow<NumberAssignment>(tenantId, nextLink)));
        return all;
      }
      if (items.length < top) return all;
    }
  }

  /** Starts assigning a Direct Routing number to a user; answers the operation's URL. */
  async assignNumber(tenantId: string, telephoneNumber: string, userId: string): Promise<string> {
    return this.startOperation(tenantId, '/beta/admin/teams/telephoneNumberManagement/numberAssignments/assignNumber', {
      telephoneNumber,
      assignmentTargetId: userId,
      numberType: 'directRouting',
      assignmentCategory: 'primary',
    });
  }

  async unassignNumber(tenantId: string, telephoneNumber: string): Promise<string> {
    return this.startOperation(
      tenantId,
      '/beta/admin/teams/telephoneNumberManagement/numberAssignments/unassignNumber',
      { telephoneNumber, numberType: 'directRouting' },
    );
  }

  async getOperation(tenantId: string, operationUrl: string): Promise<TelephoneNumberOperation> {
    const response = await this.call(tenantId, this.checkedGraphUrl(operationUrl), { method: 'GET' });
    const body = await jsonOf<TelephoneNumberOperation | { value: TelephoneNumberOperation }>(response);
    // Microsoft's example wraps the operation in `value`; accept both forms.
    return 'value' in body && body.value && typeof body.value === 'object' ? body.value : (body as TelephoneNumberOperation);
  }

  /** Polls the operation until it succeeds or fails; GraphOperationTimeout after `timeoutMs`. */
  async waitForOperation(tenantId: string, operationUrl: string, wait: OperationWait): Promise<TelephoneNumberOperation> {
    const deadline = Date.now() + wait.timeoutMs;
    for (;;) {
      const operation = await this.getOperation(tenantId, operationUrl);
      if (operation.status === 'succeeded' || operation.status === 'failed') return operation;
      if (Date.now() + wait.intervalMs > deadline) throw new GraphOperationTimeout(operationUrl);
      await wait.onPoll?.();
      await delay(wait.intervalMs);
    }
  }

  /**
   * A named policy of a type (e.g. OnlineVoiceRoutingPolicy), with the name as
   * the tenant spells it; null when the tenant has none by that name.
   */
  async getPolicyId(tenantId: string, policyType: string, name: string): Promise<{ policyId: string; name: string } | null> {
    const quote = (text: string) => encodeURIComponent(text.replace(/'/g, "''"));
    const url = this.graphUrlOf(`/beta/admin/teams/policy/getPolicyId(type='${quote(policyType)}',name='${quote(name)}')`);
    try {
      const response = await this.call(tenantId, url, { method: 'GET' });
      const body = await jsonOf<{ value?: { policyId?: string; name?: string }[] }>(response);
      const found = body.value?.[0];
      if (!found?.policyId) return null;
      // Graph names per-user policies "Tag:<name>".
      return { policyId: found.policyId, name: (found.name ?? name).replace(/^Tag:/i, '') };
    } catch (error) {
      if (error instanceof GraphError && error.status === 404) return null;
      throw error;
    }
  }

  async assignPolicy(tenantId: string, userId: string, policyType: string, policyId: string): Promise<void> {
    await this.call(tenantId, this.graphUrlOf('/beta/admin/teams/policy/userAssignments/assign'), {
      method: 'POST',
      body: JSON.stringify({ value: [{ userId, policyType, policyId }] }),
    });
  }

  private async startOperation(tenantId: string, path: string, body: unknown): Promise<string> {
    // Not repeated after a time-out, a dropped connection or a 500: Microsoft may have started it already.
    const response = await this.call(tenantId, this.graphUrlOf(path), { method: 'POST', body: JSON.stringify(body), once: true });
    const location = response.headers.get('location');
    if (!location) throw new GraphError(response.status, 'no_operation', 'Microsoft accepted the request but named no operation to follow');
    return new URL(location, this.options.graphUrl).toString();
  }

  private async collect<T>(tenantId: string, path: string): Promise<T[]> {
    return this.follow<T>(tenantId, this.graphUrlOf(path));
  }

  private async follow<T>(tenantId: string, firstUrl: string): Promise<T[]> {
    const all: T[] = [];
    const seen = new Set<string>();
    let url: string | undefined = firstUrl;
    while (url) {
      if (seen.has(url)) throw new GraphError(0, 'paging_loop', 'Microsoft Graph returned the same page link twice');
      seen.add(url);
      const { items, nextLink }: { items: T[]; nextLink: string | undefined } = await this.page<T>(tenantId, url);
      all.push(...items);
      url = nextLink;
    }
    return all;
  }

  private async page<T>(tenantId: string, url: string): Promise<{ items: T[]; nextLink: string | undefined }> {
    const response = await this.call(tenantId, this.checkedGraphUrl(url), { method: 'GET' });
    const body = await jsonOf<{ value?: T[]; '@odata.nextLink'?: string }>(response);
    return { items: body.value ?? [], nextLink: body['@odata.nextLink'] || undefined };
  }

  /** A Graph call with the tenant's token; one fresh token after a 401. */
  private async call(tenantId: string, url: string, init: { method: string; body?: string; once?: boolean }): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(tenantId);
      const response = await this.send(url, {
        method: init.method,
        ...(init.body !== undefined ? { body: init.body } : {}),
        once: init.once ?? false,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(init.body ? { 'content-type': 'application/json' } : {}),
        },
      });
      if (response.status === 401 && attempt === 0) {
        await response.body?.cancel();
        this.forgetToken(tenantId);
        continue;
      }
      if (!response.ok) throw await graphErrorOf(response);
      return response;
    }
  }

  private async requestToken(tenantId: string): Promise<string> {
    const url = `${this.options.authorityUrl}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const response = await this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!response.ok || !body.access_token) {
      throw new GraphTokenError(
        response.status,
        body.error ?? 'token_refused',
        firstLine(body.error_description) ?? `Microsoft refused a token for tenant ${tenantId} (HTTP ${response.status})`,
      );
    }
    // Renew a minute early, so a token never expires between the cache and Graph.
    const lifetimeMs = Math.max(0, (Number(body.expires_in ?? 3600) - 60) * 1000);
    this.tokens.set(tenantId, { token: body.access_token, expiresAt: Date.now() + lifetimeMs });
    return body.access_token;
  }

  /**
   * fetch with a deadline, retrying throttling, 5xx and network failures; with
   * `once`, only 429 and 503, which say the request was not carried out.
   */
  private async send(url: string, init: RequestInit & { once?: boolean }): Promise<Response> {
    const { maxRetries, backoffMs, maxRetryAfterMs, timeoutMs } = this.options;
    const { once = false, ...request } = init;
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        // Redirects are not followed: our token must not travel anywhere but Graph.
        response = await fetch(url, { ...request, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        failure = error;
      }
      const retryable = response ? (once ? NOT_CARRIED_OUT : RETRIED).has(response.status) : !once;
      if (!retryable || attempt >= maxRetries) {
        if (response) return response;
        throw new GraphError(0, 'unreachable', `Microsoft could not be reached: ${describe(failure)}`);
      }
      const retryAfter = response ? retryAfterMs(response.headers.get('retry-after'), maxRetryAfterMs) : undefined;
      const wait = retryAfter ?? Math.random() * backoffMs * 2 ** attempt;
      this.log?.warn(
        { status: response?.status, attempt: attempt + 1, waitMs: Math.round(wait), path: new URL(url).pathname },
        'retrying a Microsoft call',
      );
      await response?.body?.cancel();
      await delay(wait);
    }
  }

  private graphUrlOf(path: string): string {
    return `${this.options.graphUrl}${path}`;
  }

  /** Links Graph hands back (next pages, operations) must stay on Graph: our token goes with them. */
  private checkedGraphUrl(url: string): string {
    const absolute = new URL(url, this.options.graphUrl);
    if (absolute.origin !== new URL(this.options.graphUrl).origin) {
      throw new GraphError(0, 'foreign_link', `Refused to follow a link off Microsoft Graph: ${absolute.origin}`);
    }
    return absolute.toString();
  }
}

/** A success answer's JSON; an unreadable one is Microsoft's failure, not ours. */
async function jsonOf<T>(response: Response): Promise<T> {
  try {
    return (await response.json()) as T;
  } catch {
    throw new GraphError(response.status, 'unreadable_answer', `Microsoft answered HTTP ${response.status} with a body that is not JSON`);
  }
}

async function graphErrorOf(response: Response): Promise<GraphError> {
  const text = await response.text().catch(() => '');
  let code = `http_${response.status}`;
  let message = `Microsoft answered HTTP ${response.status}`;
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } | string; error_description?: string };
    if (body.error && typeof body.error === 'object') {
      code = body.error.code ?? code;
      message = body.error.message || message;
    } else if (typeof body.error === 'string') {
      code = body.error;
      message = firstLine(body.error_description) ?? message;
    }
  } catch {
    // Not JSON: keep the status.
  }
  return new GraphError(response.status, code, message);
}

function firstLine(text: string | undefined): string | undefined {
  return text?.split(/\r?\n/)[0]?.trim() || undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timed out' : (error.cause as Error)?.message ?? error.message;
  return String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
