/**
 * The one module that talks to the API and attaches the sign-in token. Views
 * get data from here and never see a token or a URL.
 */
import { ApiError, callApi, parse, send, type Query } from './api-call';
import type {
  ActivationLink,
  AddNumbersAnswer,
  AuditEntryView,
  ClientConfig,
  CreatedCustomer,
  CustomerDetailsView,
  CustomerDriftView,
  CustomerScheduleChange,
  CustomerScheduleView,
  CustomerView,
  DefaultScheduleView,
  DownloadedFile,
  ImportPreview,
  ImportStarted,
  JobRowView,
  JobView,
  LocalPartner,
  LocalSignIn,
  MeView,
  MemberRole,
  MemberView,
  NewCustomerInput,
  NumberStatus,
  NumberView,
  Page,
  PartnerSettingsView,
  RemovalMode,
  RemoveNumbersResult,
  SeatType,
  SyncRunView,
  SyncSchedule,
  SyncStart,
  TeamsNumberFilter,
  TeamsNumberPage,
  TeamsOperationView,
  TeamsUserView,
  TokenSource,
} from './api-types';

export * from './api-types';
export { ApiError, callApi, type CallOptions } from './api-call';

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
