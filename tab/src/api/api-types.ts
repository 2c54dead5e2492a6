/**
 * What the API answers and takes, as the tab sees it: the API's own view
 * types, and the shapes of the tab's calls (portal-api.ts makes them).
 */
import type { AuditEntryView } from '../../../api/audit/audit-log';
import type { DevTokenRequest } from '../../../api/auth/dev-sign-in';
import type { TeamsNumberView, TeamsOperationView, TeamsUserView } from '../../../api/co-management/co-management-schemas';
import type { CustomerDetailsView, CustomerView } from '../../../api/customers/customer-schemas';
import type { AddResult, NumberView, RemoveResult } from '../../../api/numbers/number-schemas';
import type { MeView, MemberView } from '../../../api/members/member-schemas';
import type { MemberRole } from '../../../api/members/role-names';
import type { PartnerSettingsView } from '../../../api/partners/partner-settings';
import type { SyncRunView, SyncStartView } from '../../../api/sync/sync-schemas';
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
export type SyncStart = SyncStartView;
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
