import type { NumberAssignment } from '../graph/graph-types';
import type { NumberDocument } from '../numbers/number-document';
import type { TeamsNumberQuery, TeamsNumberView } from './co-management-schemas';
import type { TeamsUser } from './teams-directory';

/**
 * Microsoft's Direct Routing numbers joined with the portal's numbers of the
 * customer: one row a number, with why the two disagree, sorted by number.
 */
export function teamsNumberRows(
  teamsNumbers: NumberAssignment[],
  users: TeamsUser[],
  portalNumbers: Pick<NumberDocument, 'e164' | 'status' | 'statusText'>[],
): TeamsNumberView[] {
  const userById = new Map(users.map((u) => [u.id, u]));
  const rows = new Map<string, TeamsNumberView>();
  for (const number of teamsNumbers) {
    const assignedTo = number.assignmentTargetId ? userById.get(number.assignmentTargetId) : undefined;
    rows.set(number.telephoneNumber, {
      telephoneNumber: number.telephoneNumber,
      teams: {
        assignmentStatus: number.assignmentStatus,
        activationState: number.activationState ?? null,
        assignedTo: number.assignmentTargetId
          ? { id: number.assignmentTargetId, displayName: assignedTo?.displayName ?? number.assignmentTargetId }
          : null,
      },
      portal: null,
      attention: null,
    });
  }
  for (const number of portalNumbers) {
    const row = rows.get(number.e164) ?? { telephoneNumber: number.e164, teams: null, portal: null, attention: null };
    row.portal = { status: number.status, statusText: number.statusText };
    rows.set(number.e164, row);
  }
  const all = [...rows.values()].map((row) => ({ ...row, attention: attentionOf(row) }));
  all.sort((a, b) => a.telephoneNumber.localeCompare(b.telephoneNumber));
  return all;
}

/** The rows the query's view and search keep; the search matches the number as typed, or the holder's name. */
export function rowsMatching(rows: TeamsNumberView[], query: Pick<TeamsNumberQuery, 'view' | 'search'>): TeamsNumberView[] {
  const search = query.search?.replace(/[\s().-]/g, '').toLowerCase();
  return rows.filter(
    (row) =>
      (query.view === 'all' || row.attention !== null) &&
      (!search || `${row.telephoneNumber}\n${row.teams?.assignedTo?.displayName ?? ''}`.toLowerCase().replace(/[\s().-]/g, '').includes(search)),
  );
}

function attentionOf(row: TeamsNumberView): string | null {
  const assigned = row.teams !== null && row.teams.assignmentStatus !== 'unassigned';
  if (row.teams?.activationState === 'assignmentFailed' || row.teams?.activationState === 'updateFailed') {
    return 'Microsoft could not activate this number in Teams';
  }
  if (row.portal?.status === 'synced' && !assigned) return 'Routed to Teams by the backend, not assigned to anyone in Teams';
  if (assigned && row.portal === null) return "Assigned in Teams, not one of this customer's numbers in the portal";
  if (assigned && row.portal !== null && row.portal.status !== 'synced') return `Assigned in Teams, not synced (${row.portal.statusText})`;
  return null;
}
