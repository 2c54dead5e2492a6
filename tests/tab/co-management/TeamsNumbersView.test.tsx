import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type TeamsNumberPage, type TeamsNumberView } from '../../../tab/src/api/portal-api';
import { TeamsNumbersView, assignmentText } from '../../../tab/src/co-management/TeamsNumbersView';
import { customerView, teamsNumberView } from '../../support/views';
import { fakeApi, renderInFluent } from '../support/render';

const customer = customerView({ id: 'c1', name: 'Contoso Ltd', canManage: true, customerTenantId: 'tid-1' });

const ROUTED_NOT_ASSIGNED = 'Routed to Teams by the backend, not assigned to anyone in Teams';
const NOT_IN_PORTAL = "Assigned in Teams, not one of this customer's numbers in the portal";

const assigned = teamsNumberView({
  telephoneNumber: '+12125550100',
  teams: { assignmentStatus: 'userAssigned', activationState: 'activated', assignedTo: { id: 'u1', displayName: 'Adele Vance' } },
});
const free = teamsNumberView({ telephoneNumber: '+12125550101', attention: ROUTED_NOT_ASSIGNED });
const stranger = teamsNumberView({
  telephoneNumber: '+12125550102',
  teams: { assignmentStatus: 'userAssigned', activationState: 'assignmentFailed', assignedTo: { id: 'u2', displayName: 'Megan Bowen' } },
  portal: null,
  attention: NOT_IN_PORTAL,
});
const portalOnly = teamsNumberView({
  telephoneNumber: '+12125550103',
  teams: null,
  portal: { status: 'not_in_backend', statusText: 'Needs to be added to portal (not in backend)' },
});

function page(items: TeamsNumberView[], { total = items.length, attentionCount = 2, pageNumber = 1 } = {}): TeamsNumberPage {
  return { items, total, page: pageNumber, pageSize: 50, attentionCount };
}

function setup(answer = page([assigned, free, stranger, portalOnly])) {
  const api = fakeApi();
  api.listTeamsNumbers.mockResolvedValue(answer);
  const onClose = jest.fn();
  const onRevoked = jest.fn();
  renderInFluent(<TeamsNumbersView api={api} customer={customer} onClose={onClose} onRevoked={onRevoked} />);
  return { api, onClose, onRevoked, user: userEvent.setup() };
}

const row = (number: string) => screen.getByRole('row', { name: new RegExp(`\\${number}`) });

describe('TeamsNumbersView', () => {
  it("shows Microsoft's assignment beside the portal's status, and why they disagree", async () => {
    const { api } = setup();
    expect(await screen.findByRole('heading', { name: /Phone Numbers of Contoso Ltd in Teams \(4 numbers\)/ })).toBeInTheDocument();
    expect(api.listTeamsNumbers).toHaveBeenCalledWith('c1', { view: 'all', page: 1, pageSize: 50 });
    const table = screen.getByRole('table', { name: 'Phone numbers of Contoso Ltd in Teams' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Number',
      'Assigned in Teams',
      'Portal status',
      'Attention',
    ]);

    expect(row('+12125550100')).toHaveTextContent('Assigned to Adele Vance');
    expect(row('+12125550100')).toHaveTextContent('Synced');
    expect(within(row('+12125550100')).queryByText('Needs attention')).not.toBeInTheDocument();

    expect(row('+12125550101')).toHaveTextContent('Unassigned');
    expect(within(row('+12125550101')).getByText('Needs attention')).toBeInTheDocument();
    expect(row('+12125550101')).toHaveTextContent(ROUTED_NOT_ASSIGNED);

    expect(row('+12125550102')).toHaveTextContent('Assigned to Megan Bowen');
    expect(row('+12125550102')).toHaveTextContent('activation failed');
    expect(row('+12125550102')).toHaveTextContent('Not in the portal');
    expect(row('+12125550102')).toHaveTextContent(NOT_IN_PORTAL);

    expect(row('+12125550103')).toHaveTextContent('Not a Direct Routing number of the tenant');
    expect(row('+12125550103')).toHaveTextContent('Needs to be added to portal (not in backend)');
  });

  it('filters to the numbers needing attention, with their count, on the server from page 1', async () => {
    const { api, user } = setup(page([assigned, free, stranger, portalOnly], { total: 120, attentionCount: 7 }));
    await screen.findByText('1–50 of 120');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(api.listTeamsNumbers).toHaveBeenLastCalledWith('c1', { view: 'all', page: 2, pageSize: 50 }));

    const attention = screen.getByRole('radio', { name: 'Needs attention (7)' });
    expect(screen.getByRole('radio', { name: 'All' })).toBeChecked();
    api.listTeamsNumbers.mockResolvedValue(page([free, stranger], { attentionCount: 7, total: 7 }));
    await user.click(attention);
    await waitFor(() => expect(api.listTeamsNumbers).toHaveBeenLastCalledWith('c1', { view: 'attention', page: 1, pageSize: 50 }));
    expect(await screen.findByText('1–7 of 7')).toBeInTheDocument();
    expect(attention).toBeChecked();
  });

  it('searches on the server once typing pauses', async () => {
    const { api, user } = setup();
    await screen.findByRole('table');
    api.listTeamsNumbers.mockClear();
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'adele');
    await waitFor(() => expect(api.listTeamsNumbers).toHaveBeenLastCalledWith('c1', { search: 'adele', view: 'all', page: 1, pageSize: 50 }));
    expect(api.listTeamsNumbers.mock.calls.length).toBeLessThan(3);
  });

  it('says when nothing needs attention', async () => {
    const { user, api } = setup(page([assigned], { attentionCount: 0 }));
    await screen.findByRole('table');
    api.listTeamsNumbers.mockResolvedValue(page([], { attentionCount: 0 }));
    await user.click(screen.getByRole('radio', { name: 'Needs attention (0)' }));
    expect(await screen.findByText('Nothing needs attention: Teams and the portal agree on every number.')).toBeInTheDocument();
  });

  it('says the customer switched co-management off, disables the view and tells the app', async () => {
    const { api, user, onRevoked } = setup();
    await screen.findByRole('table');
    api.listTeamsNumbers.mockRejectedValue(new ApiError(403, 'co_management_off', 'Contoso Ltd switched co-management off on 2026-01-05.'));
    await user.click(screen.getByRole('button', { name: 'Refresh' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Co-management is off');
    expect(alert).toHaveTextContent('Contoso Ltd switched co-management off on 2026-01-05.');
    expect(onRevoked).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Refresh' })).toBeDisabled();
    expect(screen.getByRole('searchbox', { name: 'Search' })).toBeDisabled();
    expect(screen.getByRole('radio', { name: /Needs attention/ })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Close' })).toBeEnabled();
  });

  it('shows a Microsoft failure with a way to try again', async () => {
    const api = fakeApi();
    api.listTeamsNumbers
      .mockRejectedValueOnce(new ApiError(502, 'microsoft_error', 'Microsoft answered: 503 Service Unavailable'))
      .mockResolvedValue(page([assigned]));
    const user = userEvent.setup();
    renderInFluent(<TeamsNumbersView api={api} customer={customer} onClose={jest.fn()} />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Microsoft had a problem');
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table')).toBeInTheDocument();
  });

  it('Close goes back', async () => {
    const { onClose, user } = setup();
    await screen.findByRole('table');
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});

describe('assignmentText', () => {
  it("puts Microsoft's assignment in words", () => {
    expect(assignmentText({ assignmentStatus: 'unassigned', activationState: null, assignedTo: null })).toBe('Unassigned');
    expect(assignmentText({ assignmentStatus: 'userAssigned', activationState: null, assignedTo: { id: 'u', displayName: 'Lee' } })).toBe(
      'Assigned to Lee',
    );
    expect(
      assignmentText({ assignmentStatus: 'voiceApplicationAssigned', activationState: null, assignedTo: { id: 'r', displayName: 'Main line' } }),
    ).toBe('Assigned to a resource account: Main line');
    expect(assignmentText({ assignmentStatus: 'somethingNew', activationState: null, assignedTo: null })).toBe('Assigned (somethingNew)');
    expect(assignmentText(null)).toBe('Not a Direct Routing number of the tenant');
  });
});
