import type { NumberAssignment } from '../../../api/graph/graph-types';
import { rowsMatching, teamsNumberRows } from '../../../api/co-management/teams-number-rows';
import type { TeamsUser } from '../../../api/co-management/teams-directory';

const megan: TeamsUser = {
  id: 'u-megan',
  displayName: 'Megan Bowen',
  userPrincipalName: 'megan@contoso.example.com',
  accountEnabled: true,
  voiceEnabled: true,
  number: '+13125550102',
  voiceRoutingPolicy: null,
};
const inTeams = (telephoneNumber: string, fields: Partial<NumberAssignment> = {}): NumberAssignment => ({
  telephoneNumber,
  assignmentStatus: 'userAssigned',
  assignmentTargetId: megan.id,
  ...fields,
});
const synced = (e164: string) => ({ e164, status: 'synced' as const, statusText: 'Synced' });

describe('Teams numbers joined with the portal', () => {
  const rows = teamsNumberRows(
    [
      inTeams('+13125550104', { activationState: 'assignmentFailed' }),
      inTeams('+13125550102'),
      inTeams('+13125550103', { assignmentTargetId: 'u-gone' }),
    ],
    [megan],
    [synced('+13125550101'), synced('+13125550102'), synced('+13125550104')],
  );

  it('gives one row a number, sorted, naming the holder (or its id when Microsoft lists no such user)', () => {
    expect(rows.map((row) => [row.telephoneNumber, row.teams?.assignedTo?.displayName ?? null])).toEqual([
      ['+13125550101', null],
      ['+13125550102', 'Megan Bowen'],
      ['+13125550103', 'u-gone'],
      ['+13125550104', 'Megan Bowen'],
    ]);
  });

  it('says why Teams and the portal disagree; an activation Microsoft could not finish comes first', () => {
    expect(rows.map((row) => row.attention)).toEqual([
      'Routed to Teams by the backend, not assigned to anyone in Teams',
      null,
      "Assigned in Teams, not one of this customer's numbers in the portal",
      'Microsoft could not activate this number in Teams',
    ]);
  });

  it('keeps, for the attention view, the rows that disagree; a search matches the number as typed or the holder', () => {
    expect(rowsMatching(rows, { view: 'attention' }).map((row) => row.telephoneNumber)).toEqual([
      '+13125550101',
      '+13125550103',
      '+13125550104',
    ]);
    expect(rowsMatching(rows, { view: 'all', search: '(312) 555-0102' }).map((row) => row.telephoneNumber)).toEqual(['+13125550102']);
    expect(rowsMatching(rows, { view: 'all', search: 'megan' }).map((row) => row.telephoneNumber)).toEqual([
      '+13125550102',
      '+13125550104',
    ]);
  });
});
