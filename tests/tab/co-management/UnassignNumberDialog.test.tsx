import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../tab/src/api/portal-api';
import { UnassignNumberDialog } from '../../../tab/src/co-management/UnassignNumberDialog';
import { customerView, teamsOperationView, teamsUserView } from '../../support/views';
import { fakeApi, renderInFluent } from '../support/render';

const customer = customerView({ id: 'c1', name: 'Contoso Ltd', canManage: true });
const megan = teamsUserView({ id: 'u2', displayName: 'Megan Bowen', number: '+12125550199' });

function setup() {
  const api = fakeApi();
  const handlers = { onCancel: jest.fn(), onStarted: jest.fn(), onRevoked: jest.fn() };
  renderInFluent(<UnassignNumberDialog api={api} customer={customer} user={megan} open {...handlers} />);
  return { api, ...handlers, user: userEvent.setup() };
}

describe('UnassignNumberDialog', () => {
  it('names the number and the user, and starts the unassignment', async () => {
    const { api, user, onStarted } = setup();
    const dialog = await screen.findByRole('alertdialog', { name: 'Unassign number' });
    expect(dialog).toHaveTextContent('Unassign +12125550199 from Megan Bowen?');
    const operation = teamsOperationView({ kind: 'unassign', userId: 'u2' });
    api.unassignTeamsNumber.mockResolvedValue(operation);
    await user.click(within(dialog).getByRole('button', { name: 'Unassign' }));
    expect(api.unassignTeamsNumber).toHaveBeenCalledWith('c1', 'u2');
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith(operation));
  });

  it('stays open with the reason when the API refuses', async () => {
    const { api, user, onStarted } = setup();
    const dialog = await screen.findByRole('alertdialog');
    api.unassignTeamsNumber.mockRejectedValue(
      new ApiError(409, 'assignment_under_way', 'An assignment of +12125550199 to Megan Bowen is still under way at Microsoft.'),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Unassign' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('still under way at Microsoft');
    expect(onStarted).not.toHaveBeenCalled();
    expect(within(dialog).getByRole('button', { name: 'Unassign' })).toBeEnabled();
  });

  it('hands a refusal (co-management off) to the view', async () => {
    const { api, user, onRevoked } = setup();
    const dialog = await screen.findByRole('alertdialog');
    const off = new ApiError(403, 'co_management_off', 'Contoso Ltd switched co-management off.');
    api.unassignTeamsNumber.mockRejectedValue(off);
    await user.click(within(dialog).getByRole('button', { name: 'Unassign' }));
    await waitFor(() => expect(onRevoked).toHaveBeenCalledWith(off));
  });
});
