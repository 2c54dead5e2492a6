import type { RouteAccess } from '../../api/http/route-definition';
import { hasRole, type MemberRole } from '../../api/members/role-names';

/**
 * The roles table of the product, one line per route of the OpenAPI document.
 * A new route must be added here with its least role, or the first test fails.
 */
export const LEAST_ROLE: Record<string, RouteAccess> = {
  health: 'public',
  ready: 'public',
  devPartners: 'public',
  devToken: 'public',
  clientConfig: 'public',
  openApi: 'public',
  openActivationSession: 'public',
  describeActivation: 'public',
  chooseActivationService: 'public',
  startActivationSignIn: 'public',
  finishActivationSignIn: 'public',
  startAdminConsent: 'public',
  finishAdminConsent: 'public',
  setCoManagement: 'public',
  me: 'viewer',
  listCustomers: 'viewer',
  getCustomer: 'viewer',
  createCustomer: 'operator',
  updateCustomer: 'operator',
  importCustomers: 'operator',
  exportCustomers: 'viewer',
  listNumbers: 'viewer',
  numberHistory: 'viewer',
  addNumbers: 'operator',
  removeNumbers: 'operator',
  importNumbers: 'operator',
  exportNumbers: 'viewer',
  suggestMaxChannels: 'viewer',
  listAudit: 'viewer',
  startSync: 'operator',
  getSyncRun: 'viewer',
  listSyncRuns: 'viewer',
  getCustomerDrift: 'viewer',
  getCustomerSchedule: 'viewer',
  setCustomerSchedule: 'operator',
  getDefaultSchedule: 'viewer',
  setDefaultSchedule: 'admin',
  createActivationLink: 'operator',
  listTeamsUsers: 'viewer',
  listTeamsNumbers: 'viewer',
  listAssignableNumbers: 'viewer',
  listVoiceRoutingPolicies: 'viewer',
  getTeamsOperation: 'viewer',
  assignTeamsNumber: 'operator',
  unassignTeamsNumber: 'operator',
  setVoiceRoutingPolicy: 'operator',
  listMembers: 'admin',
  setMemberRole: 'admin',
  removeMember: 'admin',
  getSettings: 'admin',
  updateSettings: 'admin',
  listJobs: 'viewer',
  getJob: 'viewer',
  listJobRows: 'viewer',
  exportJobRows: 'viewer',
  cancelJob: 'operator',
};

/** The operation ids /me lists for a role: what the tab shows buttons for. */
export function actionsOf(role: MemberRole): string[] {
  return Object.entries(LEAST_ROLE)
    .filter(([, least]) => least !== 'public' && hasRole(role, least))
    .map(([operationId]) => operationId);
}
