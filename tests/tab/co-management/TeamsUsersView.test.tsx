import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type CustomerView, type Page, type TeamsUserView } from '../../../tab/src/api/portal-api';
import { TeamsUsersView } from '../../../tab/src/co-management/TeamsUsersView';
import { customerView, teamsOperationView, teamsUserView } from '../../support/views';
import { fakeApi, renderAs, renderInFluent } from '../support/render';

const customer: CustomerView = customerView({ id: 'c1', name: 'Contoso Ltd', canManage: true, customerTenantId: 'tid-1' });

const adele = teamsUserView();
const megan = teamsUserView({
  id: 'u2',
  displayName: 'Megan Bowen',
  userPrincipalName: 'megan@contoso.onmicrosoft.com',
  voiceEnabled: false,
  number: '+12125550199',
  voiceRoutingPolicy: 'US-Only',
});

function page(items: TeamsUserView[], total = items.length, pageNumber = 1): Page<TeamsUserView> {
  return { items, total, page: pageNumber, pageSize: 25 };
}

const OFF = new ApiError(
  403,
  'co_management_off',
  'Contoso Ltd switched co-management off on 2026-01-05: its Teams users and numbers can no longer be managed from the portal.',
);

function setup(answer: Page<TeamsUserView> = page([adele, megan])) {
  const api = fakeApi();
  api.listTeamsUsers.mockResolvedValue(answer);
  const onClose = jest.fn();
  const onRevoked = jest.fn();
  const user = userEvent.setup();
  const view = renderInFluent(<TeamsUsersView api={api} customer={customer} onClose={onClose} onRevoked={onRevoked} pollMs={10} />);
  return { api, onClose, onRevoked, user, view };
}

const button = (name: string) => screen.getByRole('button', { name });
const row = (name: string) => screen.getByRole('row', { name: new RegExp(name) });

/** The dialog is gone and the page is back for assistive technology. */
async function dialogClosed() {
  await waitFor(() => expect(screen.queryByRole('dialog', { hidden: true })).not.toBeInTheDocument());
  await waitFor(() => expect(screen.queryByRole('alertdialog', { hidden: true })).not.toBeInTheDocument());
  await screen.findByRole('table');
}

async function selectAndOpen(user: ReturnType<typeof userEvent.setup>, who: string, action: string) {
  await user.click(await screen.findByRole('radio', { name: `Select ${who}` }));
  await user.click(button(action));
}

describe('TeamsUsersView', () => {
  it("shows a Viewer the customer's Teams users with no assign, unassign or policy action", async () => {
    const actions = ['Assign number', 'Unassign number', 'Voice routing policy'];
    for (const [role, shown] of [['viewer', false], ['operator', true]] as const) {
      const api = fakeApi();
      api.listTeamsUsers.mockResolvedValue(page([adele, megan]));
      const view = renderAs(role, <TeamsUsersView api={api} customer={customer} onClose={jest.fn()} onRevoked={jest.fn()} />);
      expect(await screen.findByText('Megan Bowen')).toBeInTheDocument();
      for (const name of actions) expect(screen.queryByRole('button', { name }) !== null).toBe(shown);
      expect(screen.getByRole('button', { name: 'Refresh' })).toBeInTheDocument();
      view.unmount();
    }
  });

  it("lists the tenant's users with sign-in name, Teams voice, number, policy and the latest assignment", async () => {
    const failed = teamsOperationView({ id: 'op9', userId: 'u2', state: 'failed', reason: 'No Teams Phone license.' });
    const { api } = setup(page([adele, { ...megan, operation: failed }]));

    expect(await screen.findByRole('heading', { name: /Users of Contoso Ltd \(2 users\)/ })).toBeInTheDocument();
    expect(api.listTeamsUsers).toHaveBeenCalledWith('c1', { page: 1, pageSize: 25 });
    const table = screen.getByRole('table', { name: 'Users of Contoso Ltd' });
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Name',
      'Sign-in name',
      'Teams voice',
      'Number',
      'Voice routing policy',
      'Latest assignment',
    ]);
    const first = row('Adele Vance');
    expect(within(first).getByText('adele@contoso.onmicrosoft.com')).toBeInTheDocument();
    expect(within(first).getByText('Enabled')).toBeInTheDocument();
    expect(within(first).getByText('None')).toBeInTheDocument();
    expect(within(first).getByText('Default (Global)')).toBeInTheDocument();
    const second = row('Megan Bowen');
    expect(within(second).getByText('Off')).toBeInTheDocument();
    expect(within(second).getByText('+12125550199')).toBeInTheDocument();
    expect(within(second).getByText('US-Only')).toBeInTheDocument();
    expect(second).toHaveTextContent('Failed: No Teams Phone license.');
  });

  it('searches on the server once typing pauses, and pages from there', async () => {
    const { api, user } = setup(page([adele, megan], 60));
    await screen.findByText('1–25 of 60');
    await user.click(button('Next'));
    await waitFor(() => expect(api.listTeamsUsers).toHaveBeenLastCalledWith('c1', { page: 2, pageSize: 25 }));
    expect(await screen.findByText('26–50 of 60')).toBeInTheDocument();
    api.listTeamsUsers.mockClear();

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'megan');
    await waitFor(() => expect(api.listTeamsUsers).toHaveBeenLastCalledWith('c1', { search: 'megan', page: 1, pageSize: 25 }));
    // Debounced: not one request per key.
    expect(api.listTeamsUsers.mock.calls.length).toBeLessThan(3);
    expect(await screen.findByRole('heading', { name: /matching/ })).toBeInTheDocument();
  });

  it('enables the actions for the selected user; rows select by mouse and keyboard', async () => {
    const { user } = setup();
    await screen.findByText('Adele Vance');
    for (const name of ['Assign number', 'Unassign number', 'Voice routing policy']) expect(button(name)).toBeDisabled();

    await user.click(screen.getByText('Adele Vance'));
    expect(row('Adele Vance')).toHaveAttribute('aria-selected', 'true');
    expect(button('Assign number')).toBeEnabled();
    expect(button('Voice routing policy')).toBeEnabled();
    // Adele has no number to unassign.
    expect(button('Unassign number')).toBeDisabled();

    const radio = screen.getByRole('radio', { name: 'Select Megan Bowen' });
    radio.focus();
    await user.keyboard(' ');
    expect(row('Megan Bowen')).toHaveAttribute('aria-selected', 'true');
    expect(row('Adele Vance')).toHaveAttribute('aria-selected', 'false');
    expect(button('Unassign number')).toBeEnabled();
  });

  it('assigns a number: pending at Microsoft, read again until done, then the page is read again', async () => {
    const { api, user } = setup();
    api.listAssignableNumbers.mockResolvedValue({ numbers: ['+12125550100', '+12125550101'] });
    await selectAndOpen(user, 'Adele Vance', 'Assign number');

    const dialog = await screen.findByRole('dialog', { name: 'Assign a number to Adele Vance' });
    expect(api.listAssignableNumbers).toHaveBeenCalledWith('c1');
    await user.click(await within(dialog).findByRole('combobox', { name: /Number/ }));
    await user.click(await screen.findByRole('option', { name: '+12125550101' }));

    const pending = teamsOperationView({ telephoneNumber: '+12125550101' });
    api.assignTeamsNumber.mockResolvedValue(pending);
    // Pending at Microsoft until the test says it is done.
    let microsoftDone = false;
    api.getTeamsOperation.mockImplementation(() =>
      Promise.resolve(microsoftDone ? { ...pending, state: 'done', finishedAt: '2026-01-02T10:00:05.000Z' } : pending),
    );
    api.listTeamsUsers.mockClear();
    await user.click(within(dialog).getByRole('button', { name: 'Assign' }));

    expect(api.assignTeamsNumber).toHaveBeenCalledWith('c1', 'u1', '+12125550101');
    await dialogClosed();
    expect(row('Adele Vance')).toHaveTextContent('Assigning +12125550101… (pending at Microsoft)');
    // Actions on a user with an assignment under way wait for it.
    expect(button('Assign number')).toBeDisabled();

    await waitFor(() => expect(api.getTeamsOperation.mock.calls.length).toBeGreaterThanOrEqual(2));
    expect(row('Adele Vance')).toHaveTextContent('(pending at Microsoft)');
    api.listTeamsUsers.mockResolvedValue(page([{ ...adele, number: '+12125550101' }, megan]));
    microsoftDone = true;
    await waitFor(() => expect(row('Adele Vance')).toHaveTextContent('Done'));
    expect(api.getTeamsOperation).toHaveBeenCalledWith('c1', 'op1');
    expect(screen.getByText('+12125550101 is assigned to Adele Vance.')).toBeInTheDocument();
    await waitFor(() => expect(api.listTeamsUsers).toHaveBeenCalledWith('c1', { page: 1, pageSize: 25 }));
    expect(await within(row('Adele Vance')).findByRole('cell', { name: '+12125550101' })).toBeInTheDocument();

    // Done: no more reading.
    const reads = api.getTeamsOperation.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(api.getTeamsOperation.mock.calls.length).toBe(reads);
  });

  it("shows Microsoft's reason when an assignment fails", async () => {
    const { api, user } = setup();
    api.listAssignableNumbers.mockResolvedValue({ numbers: ['+12125550100'] });
    await selectAndOpen(user, 'Adele Vance', 'Assign number');
    const dialog = await screen.findByRole('dialog');
    await user.click(await within(dialog).findByRole('combobox', { name: /Number/ }));
    await user.click(await screen.findByRole('option', { name: '+12125550100' }));

    const pending = teamsOperationView();
    api.assignTeamsNumber.mockResolvedValue(pending);
    const reason = 'The user adele@contoso.onmicrosoft.com does not have a Teams Phone license.';
    api.getTeamsOperation.mockResolvedValue({ ...pending, state: 'failed', reason, finishedAt: '2026-01-02T10:00:05.000Z' });
    await user.click(within(dialog).getByRole('button', { name: 'Assign' }));

    await waitFor(() => expect(row('Adele Vance')).toHaveTextContent(`Failed: ${reason}`));
    expect(screen.getByText(`+12125550100 could not be assigned to Adele Vance: ${reason}`)).toBeInTheDocument();
  });

  it('follows an assignment still pending when the page loads', async () => {
    const pending = teamsOperationView({ id: 'op7', userId: 'u2', userName: 'Megan Bowen', kind: 'unassign', telephoneNumber: '+12125550199' });
    const { api } = setup(page([adele, { ...megan, operation: pending }]));
    api.getTeamsOperation.mockResolvedValue({ ...pending, state: 'done', finishedAt: '2026-01-02T10:00:05.000Z' });

    expect(await screen.findByText('Unassigning +12125550199… (pending at Microsoft)')).toBeInTheDocument();
    await waitFor(() => expect(api.getTeamsOperation).toHaveBeenCalledWith('c1', 'op7'));
    await waitFor(() => expect(row('Megan Bowen')).toHaveTextContent('Done'));
  });

  it('stops reading pending assignments when the view closes', async () => {
    const pending = teamsOperationView();
    const { api, view } = setup(page([{ ...adele, operation: pending }]));
    api.getTeamsOperation.mockResolvedValue(pending);
    await waitFor(() => expect(api.getTeamsOperation).toHaveBeenCalled());
    view.unmount();
    const reads = api.getTeamsOperation.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(api.getTeamsOperation.mock.calls.length).toBeLessThanOrEqual(reads + 1);
  });

  it('unassigns after a confirmation naming the number and the user', async () => {
    const { api, user } = setup();
    await selectAndOpen(user, 'Megan Bowen', 'Unassign number');
    const dialog = await screen.findByRole('alertdialog', { name: 'Unassign number' });
    expect(dialog).toHaveTextContent('Unassign +12125550199 from Megan Bowen?');

    const pending = teamsOperationView({ id: 'op2', kind: 'unassign', userId: 'u2', userName: 'Megan Bowen', telephoneNumber: '+12125550199' });
    api.unassignTeamsNumber.mockResolvedValue(pending);
    api.getTeamsOperation.mockResolvedValue(pending);
    await user.click(within(dialog).getByRole('button', { name: 'Unassign' }));

    expect(api.unassignTeamsNumber).toHaveBeenCalledWith('c1', 'u2');
    expect(await screen.findByText('Unassigning +12125550199… (pending at Microsoft)')).toBeInTheDocument();
  });

  it('cancels an unassignment without asking Microsoft', async () => {
    const { api, user } = setup();
    await selectAndOpen(user, 'Megan Bowen', 'Unassign number');
    const dialog = await screen.findByRole('alertdialog');
    // Closed from the keyboard, focus goes back to the button that opened it.
    within(dialog).getByRole('button', { name: 'Cancel' }).focus();
    await user.keyboard('{Enter}');
    await dialogClosed();
    expect(api.unassignTeamsNumber).not.toHaveBeenCalled();
    await waitFor(() => expect(button('Unassign number')).toHaveFocus());
  });

  it("sets a voice routing policy picked from the tenant's, and updates the row", async () => {
    const { api, user } = setup();
    api.listVoiceRoutingPolicies.mockResolvedValue({ names: ['International', 'US-Only'] });
    await selectAndOpen(user, 'Adele Vance', 'Voice routing policy');
    const dialog = await screen.findByRole('dialog', { name: 'Voice routing policy of Adele Vance' });
    await user.click(within(dialog).getByRole('combobox', { name: /Voice routing policy/ }));
    await user.click(await screen.findByRole('option', { name: 'International' }));

    api.setVoiceRoutingPolicy.mockResolvedValue({ ...adele, voiceRoutingPolicy: 'International' });
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(api.setVoiceRoutingPolicy).toHaveBeenCalledWith('c1', 'u1', 'International');
    await dialogClosed();
    expect(within(row('Adele Vance')).getByText('International')).toBeInTheDocument();
    expect(screen.getByText("Adele Vance's voice routing policy is now International.")).toBeInTheDocument();
  });

  it('says the customer switched co-management off, disables every action and tells the app', async () => {
    const { api, user, onRevoked } = setup();
    api.listAssignableNumbers.mockRejectedValue(OFF);
    await selectAndOpen(user, 'Adele Vance', 'Assign number');

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Co-management is off');
    expect(alert).toHaveTextContent('Contoso Ltd switched co-management off on 2026-01-05');
    await waitFor(() => expect(screen.queryByRole('dialog', { hidden: true })).not.toBeInTheDocument());
    expect(onRevoked).toHaveBeenCalledTimes(1);
    for (const name of ['Assign number', 'Unassign number', 'Voice routing policy', 'Previous', 'Next']) {
      expect(screen.queryByRole('button', { name }) ?? { disabled: true }).toHaveProperty('disabled', true);
    }
    expect(screen.getByRole('searchbox', { name: 'Search' })).toBeDisabled();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(button('Close')).toBeEnabled();
  });

  it('says co-management is off when the list itself is refused', async () => {
    const api = fakeApi();
    api.listTeamsUsers.mockRejectedValue(OFF);
    const onRevoked = jest.fn();
    renderInFluent(<TeamsUsersView api={api} customer={customer} onClose={jest.fn()} onRevoked={onRevoked} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('Co-management is off');
    expect(onRevoked).toHaveBeenCalledTimes(1);
    expect(button('Assign number')).toBeDisabled();
    expect(api.listTeamsUsers).toHaveBeenCalledTimes(1);
  });

  it('stops following assignments when co-management is switched off meanwhile', async () => {
    const pending = teamsOperationView();
    const { api, onRevoked } = setup(page([{ ...adele, operation: pending }]));
    api.getTeamsOperation.mockRejectedValue(OFF);
    expect(await screen.findByRole('alert')).toHaveTextContent('Co-management is off');
    expect(onRevoked).toHaveBeenCalledTimes(1);
    const reads = api.getTeamsOperation.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(api.getTeamsOperation.mock.calls.length).toBe(reads);
  });

  it.each([
    [new ApiError(409, 'microsoft_consent_missing', 'Microsoft refused access to contoso.onmicrosoft.com: consent revoked.'), 'Microsoft refused access'],
    [new ApiError(502, 'microsoft_error', 'Microsoft answered: 503 Service Unavailable'), 'Microsoft had a problem'],
  ])('shows a Microsoft failure (%s) with a way to try again', async (failure, title) => {
    const api = fakeApi();
    api.listTeamsUsers.mockRejectedValueOnce(failure).mockResolvedValue(page([adele]));
    const onRevoked = jest.fn();
    const user = userEvent.setup();
    renderInFluent(<TeamsUsersView api={api} customer={customer} onClose={jest.fn()} onRevoked={onRevoked} />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(title);
    expect(alert).toHaveTextContent(failure.message);
    expect(onRevoked).not.toHaveBeenCalled();
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('Adele Vance')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('Close goes back', async () => {
    const { onClose, user } = setup();
    await screen.findByText('Adele Vance');
    await user.click(button('Close'));
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});
