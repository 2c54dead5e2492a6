import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../tab/src/api/portal-api';
import { AssignNumberDialog } from '../../../tab/src/co-management/AssignNumberDialog';
import { customerView, teamsOperationView, teamsUserView } from '../../support/views';
import { fakeApi, renderInFluent } from '../support/render';

const customer = customerView({ id: 'c1', name: 'Contoso Ltd', canManage: true });

function setup(numbers: string[] | Error, user = teamsUserView()) {
  const api = fakeApi();
  if (numbers instanceof Error) api.listAssignableNumbers.mockRejectedValue(numbers);
  else api.listAssignableNumbers.mockResolvedValue({ numbers });
  const handlers = { onCancel: jest.fn(), onStarted: jest.fn(), onRevoked: jest.fn() };
  renderInFluent(<AssignNumberDialog api={api} customer={customer} user={user} open {...handlers} />);
  return { api, ...handlers, user: userEvent.setup() };
}

describe('AssignNumberDialog', () => {
  it("offers the customer's assignable numbers, narrowed by the digits typed", async () => {
    const { api, user, onStarted } = setup(['+12125550100', '+12125550101', '+13105550100']);
    const dialog = await screen.findByRole('dialog', { name: 'Assign a number to Adele Vance' });
    expect(within(dialog).getByText(/3 synced numbers are free in Teams/)).toBeInTheDocument();

    const combobox = within(dialog).getByRole('combobox', { name: /Number/ });
    await user.type(combobox, '310');
    expect((await screen.findAllByRole('option')).map((o) => o.textContent)).toEqual(['+13105550100']);
    await user.click(screen.getByRole('option', { name: '+13105550100' }));
    expect(combobox).toHaveValue('+13105550100');

    const operation = teamsOperationView({ telephoneNumber: '+13105550100' });
    api.assignTeamsNumber.mockResolvedValue(operation);
    await user.click(within(dialog).getByRole('button', { name: 'Assign' }));
    expect(api.assignTeamsNumber).toHaveBeenCalledWith('c1', 'u1', '+13105550100');
    await waitFor(() => expect(onStarted).toHaveBeenCalledWith(operation));
  });

  it('asks for a number before asking Microsoft', async () => {
    const { api, user } = setup(['+12125550100']);
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByRole('combobox');
    await user.click(within(dialog).getByRole('button', { name: 'Assign' }));
    expect(await within(dialog).findByText('Pick one of the numbers')).toBeInTheDocument();
    expect(api.assignTeamsNumber).not.toHaveBeenCalled();
  });

  it('says when there is no number to assign, and suggests adding and syncing', async () => {
    setup([]);
    const dialog = await screen.findByRole('dialog');
    const message = await within(dialog).findByText(/has no synced number that is free in Teams/);
    expect(message).toHaveTextContent('Add numbers to Contoso Ltd (Phone Numbers, Add) and sync it');
    expect(within(dialog).queryByRole('combobox')).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Assign' })).toBeDisabled();
  });

  it('says the user has a number that the new one replaces', async () => {
    setup(['+12125550100'], teamsUserView({ number: '+12125550199' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/Adele Vance has \+12125550199 in Teams now/)).toBeInTheDocument();
  });

  it("shows the API's problem with the number on the field", async () => {
    const { api, user, onStarted } = setup(['+12125550100']);
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('combobox'));
    await user.click(await screen.findByRole('option', { name: '+12125550100' }));
    api.assignTeamsNumber.mockRejectedValue(
      new ApiError(409, 'number_taken', '+12125550100 cannot be assigned: it is already assigned to someone else in Teams.', [
        { field: 'telephoneNumber', message: 'is already assigned in Teams' },
      ]),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Assign' }));
    expect(await within(dialog).findByText('is already assigned in Teams')).toBeInTheDocument();
    expect(within(dialog).getByText(/it is already assigned to someone else in Teams/)).toBeInTheDocument();
    expect(within(dialog).getByRole('combobox')).toHaveAttribute('aria-invalid', 'true');
    expect(onStarted).not.toHaveBeenCalled();
  });

  it('hands a refusal (co-management off) to the view', async () => {
    const off = new ApiError(403, 'co_management_off', 'Contoso Ltd has not allowed co-management.');
    const { onRevoked } = setup(off);
    await waitFor(() => expect(onRevoked).toHaveBeenCalledWith(off));
  });

  it('shows a Microsoft failure while loading, with a way to try again', async () => {
    const { api, user } = setup(new ApiError(502, 'microsoft_error', 'Microsoft answered: timeout'));
    const dialog = await screen.findByRole('dialog');
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Microsoft answered: timeout');
    api.listAssignableNumbers.mockResolvedValue({ numbers: ['+12125550100'] });
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await within(dialog).findByRole('combobox')).toBeInTheDocument();
  });
});
