/**
 * The one module that talks to the API and attaches the sign-in token. Views
 * get data from here and never see a token or a URL.
 */
import type { AuditEntryView } from '../../../api/audit/audit-log';
import type { DevTokenRequest } from '../../../api/auth/dev-sign-in';
import type { TeamsNumberView, TeamsOperationView, TeamsUserView } from '../../../api/co-management/co-management-schemas';
import type { CustomerDetailsView, CustomerView } from '../../../api/customers/customer-schemas';
import type { AddResult, NumberView, RemoveResult } from '../../../api/numbers/number-schemas';
import type { MeView, MemberView } from '../../../api/members/member-schemas';
import type { MemberRole } from '../../../api/members/role-names';
import type { PartnerSettingsView } from '../../../api/partners/partner-settings';
import type { SyncRunView } from '../../../api/sync/sync-schemas';
import type { JobView } from '../../../api/jobs/job-schemas';
import type { ImportFailure, ImportPreview } from '../../../api/imports/import-answers';
import type { CustomerScheduleChange, CustomerScheduleView, DefaultScheduleView } from '../../../api/schedules/schedule-service';
import type { SyncSchedule } from '../../../api/schedules/sync-schedule';
import type { CustomerDriftView } from '../../../api/drift/drift-schemas';

export type { AuditEntryView, CustomerDetailsView, CustomerView, NumberView, SyncRunView, AddResult, RemoveResult };
export type { TeamsNumberView, TeamsOperationView, TeamsUserView };
export type { MeView, MemberRole, MemberView, PartnerSettingsView, JobView, ImportFailure, ImportPreview };
export type { CustomerScheduleChange, CustomerScheduleView, DefaultScheduleView, SyncSchedule, CustomerDriftView };

/** An import under way: its job, and the columns of the file it does not read. */
export interface ImportStarted {
  job: JobView;
  ignoredColumns: string[];
}

/** A file the API answered (an export), to save on the user's machine. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/** One row of a job and what became of it. */
export interface JobRowView {
  row: number;
  /** The line of the imported file, for an import. */
  line: number | null;
  input: string;
  outcome: string;
  message: string | null;
}

/** A member of a partner the local sign-in can sign in as. */
export interface LocalMember {
  oid: string;
  name: string | null;
  role: MemberRole;
}

/** A partner the local sign-in offers, with its members. */
export interface LocalPartner {
  tenantId: string;
  name: string;
  members: LocalMember[];
}

/** Who the local sign-in signs in: a user of a partner's tenant (the dev token request). */
export type LocalSignIn = DevTokenRequest;

export type NumberStatus = NumberView['status'];
export type SeatType = 'bundled' | 'unbundled';
export type RemovalMode = 'delete' | 'retain';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface FieldProblem {
  field: string;
  message: string;
}

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

export interface TokenSource {
  getToken(): Promise<string>;
  /** The API refused the token: get a fresh one next time. */
  forget?(): void;
}

export interface NewCustomerInput {
  accountId: string;
  tenantName: string;
  maxChannels: number;
  name?: string;
  seatType?: SeatType;
  syncAfterSave: boolean;
}

export interface ClientConfig {
  localMode: boolean;
  entraClientId: string | null;
}

/** The run started, or (started: false, while a run is under way: queuedAfter) the run queued behind it. */
export type SyncStart = SyncRunView & { started: boolean; queuedAfter: string | null };
export type CreatedCustomer = CustomerView & { syncRun: SyncRunView | null };
export type AddNumbersResult = { results: AddResult[]; summary: Record<AddResult['outcome'], number> };
/** More than 1,000 numbers: the API answers with the job adding them. */
export type AddNumbersAnswer = AddNumbersResult | { job: JobView };
export type RemoveNumbersResult = {
  mode: RemovalMode;
  results: RemoveResult[];
  summary: Record<RemoveResult['outcome'], number>;
  syncRun: SyncStart | null;
};

/** A link for the customer's administrator to allow co-management. */
export interface ActivationLink {
  url: string;
  expiresAt: string;
}

/** Which of the tenant's Direct Routing numbers to list. */
export type TeamsNumberFilter = 'all' | 'attention';
export type TeamsNumberPage = Page<TeamsNumberView> & {
  /** Numbers needing attention, whatever the page and filter. */
  attentionCount: number;
};

type Query = Record<string, string | number | boolean | undefined>;

export class PortalApi {
  private readonly refusalListeners = new Set<() => void>();

  constructor(
    private readonly tokens: TokenSource,
    private readonly baseUrl = '',
  ) {}

  /**
   * Called when the API refuses a call for the caller's role: the role changed
   * since the tab read it, so whoever shows the buttons reads it again.
   */
  onRoleRefused(listener: () => void): () => void {
    this.refusalListeners.add(listener);
    return () => this.refusalListeners.delete(listener);
  }

  listJobs(query: { page: number; pageSize: number }) {
    return this.request<Page<JobView>>('GET', '/api/v1/jobs', { query });
  }

  getJob(jobId: string) {
    return this.request<JobView>('GET', `/api/v1/jobs/${encodeURIComponent(jobId)}`);
  }

  listJobRows(jobId: string, query: { outcome?: string; page: number; pageSize: number }) {
    return this.request<Page<JobRowView>>('GET', `/api/v1/jobs/${encodeURIComponent(jobId)}/rows`, { query });
  }

  /** The rows of a job that did not go as asked, as a CSV file. */
  downloadFailedRows(jobId: string) {
    return this.download(`/api/v1/jobs/${encodeURIComponent(jobId)}/rows/export`);
  }

  /** What importing the file would do (nothing written), or the job importing it. */
  importNumbers(customerId: string, file: File, dryRun: true): Promise<ImportPreview>;
  importNumbers(customerId: string, file: File, dryRun: false): Promise<ImportStarted>;
  importNumbers(customerId: string, file: File, dryRun: boolean) {
    return this.upload(`${customerPath(customerId)}/numbers/import`, file, dryRun);
  }

  importCustomers(file: File, dryRun: true): Promise<ImportPreview>;
  importCustomers(file: File, dryRun: false): Promise<ImportStarted>;
  importCustomers(file: File, dryRun: boolean) {
    return this.upload('/api/v1/customers/import', file, dryRun);
  }

  /** The customer's numbers (maybe of one status) as a CSV file. */
  exportNumbers(customerId: string, status?: NumberStatus) {
    return this.download(`${customerPath(customerId)}/numbers/export`, { status });
  }

  /** The customers (maybe those a search matches) as a CSV file. */
  exportCustomers(search?: string) {
    return this.download('/api/v1/customers/export', { search });
  }

  /** Stops the job after the batch under way; what was done stays done. */
  cancelJob(jobId: string) {
    return this.request<JobView>('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/cancel`);
  }

  /** The caller: partner, name, role and the operation ids they may call. */
  me() {
    return this.request<MeView>('GET', '/api/v1/me');
  }

  listMembers() {
    return this.request<{ items: MemberView[] }>('GET', '/api/v1/members');
  }

  /** Grants a role: a member's new role, or a new member (`name` shows until they sign in). */
  setMemberRole(oid: string, role: MemberRole, name?: string) {
    return this.request<MemberView>('PUT', `/api/v1/members/${encodeURIComponent(oid)}`, {
      body: { role, ...(name ? { name } : {}) },
    });
  }

  removeMember(oid: string) {
    return this.request<void>('DELETE', `/api/v1/members/${encodeURIComponent(oid)}`);
  }

  /** The customer's scheduled sync, its next run and what its last slot did. */
  getCustomerSchedule(customerId: string) {
    return this.request<CustomerScheduleView>('GET', `${customerPath(customerId)}/schedule`);
  }

  setCustomerSchedule(customerId: string, schedule: CustomerScheduleChange) {
    return this.request<CustomerScheduleView>('PUT', `${customerPath(customerId)}/schedule`, { body: schedule });
  }

  /** What differed between the portal, the backend and Teams after the customer's last sync, and its failure streak. */
  getCustomerDrift(customerId: string) {
    return this.request<CustomerDriftView>('GET', `${customerPath(customerId)}/drift`);
  }

  /** The schedule customers without one of their own follow. */
  getDefaultSchedule() {
    return this.request<DefaultScheduleView>('GET', '/api/v1/schedule');
  }

  setDefaultSchedule(schedule: SyncSchedule) {
    return this.request<DefaultScheduleView>('PUT', '/api/v1/schedule', { body: schedule });
  }

  getSettings() {
    return this.request<PartnerSettingsView>('GET', '/api/v1/settings');
  }

  updateSettings(change: Partial<PartnerSettingsView>) {
    return this.request<PartnerSettingsView>('PATCH', '/api/v1/settings', { body: change });
  }

  /** attention: only the customers that need attention (drift, or failing syncs). */
  listCustomers({ attention, ...query }: { search?: string; page: number; pageSize: number; sort?: string; attention?: boolean }) {
    return this.request<Page<CustomerView>>('GET', '/api/v1/customers', { query: { ...query, attention: attention ? 'true' : undefined } });
  }

  getCustomer(id: string) {
    return this.request<CustomerDetailsView>('GET', `/api/v1/customers/${encodeURIComponent(id)}`);
  }

  createCustomer(input: NewCustomerInput) {
    return this.request<CreatedCustomer>('POST', '/api/v1/customers', { body: input });
  }

  suggestMaxChannels(seatType: SeatType, seats: number) {
    return this.request<{ maxChannels: number; rule: string }>('GET', '/api/v1/channels/suggest', {
      query: { seatType, seats },
    });
  }

  listNumbers(customerId: string, query: { status?: NumberStatus; search?: string; page: number; pageSize: number }) {
    return this.request<Page<NumberView>>('GET', `/api/v1/customers/${encodeURIComponent(customerId)}/numbers`, { query });
  }

  addNumbers(customerId: string, pasted: string) {
    return this.request<AddNumbersAnswer>('POST', `/api/v1/customers/${encodeURIComponent(customerId)}/numbers`, {
      body: { numbers: pasted },
    });
  }

  removeNumbers(customerId: string, numbers: string[], mode: RemovalMode) {
    return this.request<RemoveNumbersResult>('POST', `/api/v1/customers/${encodeURIComponent(customerId)}/numbers/remove`, {
      body: { numbers, mode },
    });
  }

  startSync(customerId: string, dryRun = false) {
    return this.request<SyncStart>('POST', `/api/v1/customers/${encodeURIComponent(customerId)}/sync`, {
      query: dryRun ? { dryRun: 'true' } : {},
    });
  }

  getSyncRun(runId: string) {
    return this.request<SyncRunView>('GET', `/api/v1/sync-runs/${encodeURIComponent(runId)}`);
  }

  listSyncRuns(customerId: string, page = 1, pageSize = 10) {
    return this.request<Page<SyncRunView>>('GET', `/api/v1/customers/${encodeURIComponent(customerId)}/sync-runs`, {
      query: { page, pageSize },
    });
  }

  /** The customer's recent changes (looks at its Teams users and numbers left out). */
  listAudit(customerId: string, page = 1, pageSize = 20) {
    return this.request<Page<AuditEntryView>>('GET', '/api/v1/audit', { query: { customerId, kind: 'changes', page, pageSize } });
  }

  /** A new activation link for the customer's administrator; older links stop working. */
  createActivationLink(customerId: string) {
    return this.request<ActivationLink>('POST', `${customerPath(customerId)}/activation-link`);
  }

  /** The customer's Microsoft 365 users with their Teams voice settings (co-management). */
  listTeamsUsers(customerId: string, query: { search?: string; page: number; pageSize: number }) {
    return this.request<Page<TeamsUserView>>('GET', `${customerPath(customerId)}/teams/users`, { query });
  }

  /** The tenant's Direct Routing numbers joined with the portal's (co-management). */
  listTeamsNumbers(customerId: string, query: { search?: string; view: TeamsNumberFilter; page: number; pageSize: number }) {
    return this.request<TeamsNumberPage>('GET', `${customerPath(customerId)}/teams/numbers`, { query });
  }

  /** The customer's synced numbers that no one holds in Teams. */
  listAssignableNumbers(customerId: string) {
    return this.request<{ numbers: string[] }>('GET', `${customerPath(customerId)}/teams/assignable-numbers`);
  }

  /** Voice routing policy names in use in the customer's tenant. */
  listVoiceRoutingPolicies(customerId: string) {
    return this.request<{ names: string[] }>('GET', `${customerPath(customerId)}/teams/voice-routing-policies`);
  }

  /** Starts assigning a number to a user at Microsoft: follow the operation with getTeamsOperation. */
  assignTeamsNumber(customerId: string, userId: string, telephoneNumber: string) {
    return this.request<TeamsOperationView>('PUT', `${teamsUserPath(customerId, userId)}/number`, { body: { telephoneNumber } });
  }

  /** Starts unassigning the user's number at Microsoft: follow the operation with getTeamsOperation. */
  unassignTeamsNumber(customerId: string, userId: string) {
    return this.request<TeamsOperationView>('DELETE', `${teamsUserPath(customerId, userId)}/number`);
  }

  setVoiceRoutingPolicy(customerId: string, userId: string, name: string) {
    return this.request<TeamsUserView>('PUT', `${teamsUserPath(customerId, userId)}/voice-routing-policy`, { body: { name } });
  }

  getTeamsOperation(customerId: string, operationId: string) {
    return this.request<TeamsOperationView>(
      'GET',
      `${customerPath(customerId)}/teams/operations/${encodeURIComponent(operationId)}`,
    );
  }

  private upload<T>(path: string, file: File, dryRun: boolean): Promise<T> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.request<T>('POST', path, { query: { dryRun: dryRun ? 'true' : undefined }, form });
  }

  private async download(path: string, query: Query = {}): Promise<DownloadedFile> {
    const token = await this.tokens.getToken();
    const response = await send(this.baseUrl, 'GET', path, { query, token, accept: 'text/csv' });
    if (response.status === 401) this.tokens.forget?.();
    if (!response.ok) await parse(response);
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? 'export.csv';
    return { blob: await response.blob(), fileName };
  }

  private async request<T>(method: string, path: string, options: { query?: Query; body?: unknown; form?: FormData } = {}): Promise<T> {
    const token = await this.tokens.getToken();
    const response = await send(this.baseUrl, method, path, { ...options, token });
    if (response.status === 401) this.tokens.forget?.();
    try {
      return await parse<T>(response);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'role_required') for (const listener of this.refusalListeners) listener();
      throw error;
    }
  }
}

function customerPath(customerId: string): string {
  return `/api/v1/customers/${encodeURIComponent(customerId)}`;
}

function teamsUserPath(customerId: string, userId: string): string {
  return `${customerPath(customerId)}/teams/users/${encodeURIComponent(userId)}`;
}

/** Calls that need no token: sign-in settings and the local dev sign-in. */
export const publicApi = {
  clientConfig(baseUrl = ''): Promise<ClientConfig> {
    return callApi(baseUrl, 'GET', '/api/v1/client-config', {});
  },
  async devPartners(baseUrl = ''): Promise<LocalPartner[]> {
    return (await callApi<{ items: LocalPartner[] }>(baseUrl, 'GET', '/api/v1/dev/partners', {})).items;
  },
  devToken(who: LocalSignIn, baseUrl = ''): Promise<{ token: string; expiresAt: string }> {
    return callApi(baseUrl, 'POST', '/api/v1/dev/token', { body: who });
  },
};

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

async function send(
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

async function parse<T>(response: Response): Promise<T> {
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
