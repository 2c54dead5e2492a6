import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../tab/src/api/portal-api';
import { VoiceRoutingPolicyDialog } from '../../../tab/src/co-management/VoiceRoutingPolicyDialog';
import { customerView, teamsUserView } from '../../support/views';
import { fakeApi, renderInFluent } from '../support/render';

const customer = customerView({ id: 'c1', name: 'Contoso Ltd', canManage: true });

function setup(user = teamsUserView({ voiceRoutingPolicy: 'US-Only' })) {
  const api = fakeApi();
  api.listVoiceRoutingPolicies.mockResolvedValue({ names: ['International', 'US-Only'] });
  const handlers = { onCancel: jest.fn(), onSaved: jest.fn(), onRevoked: jest.fn() };
  renderInFluent(<VoiceRoutingPolicyDialog api={api} customer={customer} user={user} open {...handlers} />);
  return { api, ...handlers, user: userEvent.setup() };
}

describe('VoiceRoutingPolicyDialog', () => {
  it("starts from the user's policy and lists the tenant's policies", async () => {
    const { api, user } = setup();
    const dialog = await screen.findByRole('dialog', { name: 'Voice routing policy of Adele Vance' });
    expect(api.listVoiceRoutingPolicies).toHaveBeenCalledWith('c1');
    const combobox = within(dialog).getByRole('combobox', { name: /Voice routing policy/ });
    expect(combobox).toHaveValue('US-Only');
    await user.clear(combobox);
    await user.click(combobox);
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['International', 'US-Only']));
  });

  it('accepts a typed name that no user has yet', async () => {
    const { api, user, onSaved } = setup();
    const dialog = await screen.findByRole('dialog');
    const combobox = within(dialog).getByRole('combobox', { name: /Voice routing policy/ });
    await user.clear(combobox);
    await user.type(combobox, 'EMEA-Premium');
    const saved = teamsUserView({ voiceRoutingPolicy: 'EMEA-Premium' });
    api.setVoiceRoutingPolicy.mockResolvedValue(saved);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(api.setVoiceRoutingPolicy).toHaveBeenCalledWith('c1', 'u1', 'EMEA-Premium');
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(saved));
  });

  it("shows the API's field error for the name and keeps the dialog open", async () => {
    const { api, user, onSaved } = setup();
    const dialog = await screen.findByRole('dialog');
    const combobox = within(dialog).getByRole('combobox', { name: /Voice routing policy/ });
    await user.clear(combobox);
    await user.type(combobox, 'Nope');
    const problem = 'Contoso Ltd\'s tenant has no voice routing policy named "Nope"';
    api.setVoiceRoutingPolicy.mockRejectedValue(new ApiError(400, 'invalid_request', `name: ${problem}`, [{ field: 'name', message: problem }]));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(await within(dialog).findByText(problem)).toBeInTheDocument();
    expect(combobox).toHaveAttribute('aria-invalid', 'true');
    expect(onSaved).not.toHaveBeenCalled();

    // Typing again clears the problem.
    await user.type(combobox, 'X');
    expect(within(dialog).queryByText(problem)).not.toBeInTheDocument();
  });

  it('asks for a name', async () => {
    const { api, user } = setup(teamsUserView());
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(await within(dialog).findByText('Type or pick a policy name')).toBeInTheDocument();
    expect(api.setVoiceRoutingPolicy).not.toHaveBeenCalled();
  });

  it('hands a refusal (co-management off) to the view', async () => {
    const { api, user, onRevoked } = setup();
    const dialog = await screen.findByRole('dialog');
    const off = new ApiError(403, 'co_management_off', 'Contoso Ltd switched co-management off.');
    api.setVoiceRoutingPolicy.mockRejectedValue(off);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onRevoked).toHaveBeenCalledWith(off));
  });
});
