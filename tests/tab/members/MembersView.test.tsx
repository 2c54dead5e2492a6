import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../../../tab/src/api/portal-api';
import { MembersView } from '../../../tab/src/members/MembersView';
import { memberView } from '../../support/views';
import { fakeApi, renderAs } from '../support/render';

const ANN = memberView();
const OLIVE = memberView({
  oid: 'olive-oid',
  name: 'Olive Operator',
  role: 'operator',
  grantedBy: { how: 'admin', oid: 'user-ann', name: 'Ann Admin' },
  grantedAt: '2026-11-20T14:00:00.000Z',
});
const NEW = memberView({ oid: 'new-oid', name: null, role: 'viewer', grantedBy: { how: 'first_sign_in' } });
const GLOBAL = memberView({ oid: 'ga-oid', name: 'Gail Global', role: 'viewer', globalAdministrator: true, grantedBy: { how: 'global_administrator' } });

function setup() {
  const user = userEvent.setup();
  const api = fakeApi();
  api.listMembers.mockResolvedValue({ items: [ANN, OLIVE, NEW, GLOBAL] });
  api.getSettings.mockResolvedValue({ newMembers: 'viewer' });
  const onChanged = jest.fn();
  renderAs('admin', <MembersView api={api} onChanged={onChanged} />);
  return { user, api, onChanged };
}

const row = (name: RegExp) => screen.getByRole('row', { name });

describe('MembersView', () => {
  it('lists the members with role, who granted it and when', async () => {
    setup();
    expect(await screen.findByRole('heading', { name: 'Members of Northwind Telecom (4 members)' })).toBeInTheDocument();
    const headers = within(screen.getByRole('table')).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Name', 'Object ID', 'Role', 'Granted by', 'When']);
    expect(row(/Ann Admin \(you\)/)).toHaveTextContent('user-annAdminThe carrier, at registration');
    expect(row(/Olive Operator/)).toHaveTextContent('olive-oidOperatorAnn Admin');
    expect(row(/Olive Operator/)).toHaveTextContent(new Date('2026-11-20T14:00:00.000Z').toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
    expect(row(/new-oid/)).toHaveTextContent('(not signed in yet)new-oidViewerFirst sign-in');
    expect(row(/Gail Global/)).toHaveTextContent('Viewer (Global Administrator: acts as Admin)Global Administrator of the tenant');
  });

  it("changes a member's role, says so, and tells the app to read the caller's own again", async () => {
    const { user, api, onChanged } = setup();
    await user.click(await screen.findByRole('radio', { name: 'Select Olive Operator' }));
    await user.click(screen.getByRole('button', { name: 'Change role' }));
    const dialog = await screen.findByRole('dialog', { name: 'Change role of Olive Operator' });
    expect(within(dialog).getByRole('radio', { name: /^Operator:/ })).toBeChecked();
    api.setMemberRole.mockResolvedValue({ ...OLIVE, role: 'viewer' });
    api.listMembers.mockResolvedValue({ items: [ANN, { ...OLIVE, role: 'viewer' }, NEW, GLOBAL] });
    await user.click(within(dialog).getByRole('radio', { name: /^Viewer:/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(api.setMemberRole).toHaveBeenCalledWith('olive-oid', 'viewer', undefined);
    expect(await screen.findByText('Olive Operator is now Viewer, from their next request.')).toBeInTheDocument();
    await waitFor(() => expect(row(/Olive Operator/)).toHaveTextContent('olive-oidViewer'));
    expect(onChanged).toHaveBeenCalledTimes(1);
  });

  it('keeps the dialog open with the API\'s words when the last Admin would be demoted', async () => {
    const { user, api, onChanged } = setup();
    await user.click(await screen.findByRole('radio', { name: 'Select Ann Admin' }));
    await user.click(screen.getByRole('button', { name: 'Change role' }));
    const dialog = await screen.findByRole('dialog', { name: 'Change role of Ann Admin' });
    api.setMemberRole.mockRejectedValue(
      new ApiError(409, 'last_admin', 'Ann Admin is the last Admin of Northwind Telecom: make someone else Admin first.'),
    );
    await user.click(within(dialog).getByRole('radio', { name: /^Operator:/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The partner needs an Admin');
    expect(alert).toHaveTextContent('Ann Admin is the last Admin of Northwind Telecom: make someone else Admin first.');
    expect(onChanged).not.toHaveBeenCalled();
  });

  it('adds a member by object id with a name and a role; the object id is required', async () => {
    const { user, api } = setup();
    await user.click(await screen.findByRole('button', { name: 'Add member' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add member' });
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));
    expect(within(dialog).getByText('Enter the object ID of the user.')).toBeInTheDocument();
    expect(api.setMemberRole).not.toHaveBeenCalled();
    await user.type(within(dialog).getByRole('textbox', { name: /Object ID/ }), ' 7d1c-oid ');
    await user.type(within(dialog).getByRole('textbox', { name: /Name/ }), 'Paul Operator');
    await user.click(within(dialog).getByRole('radio', { name: /^Operator:/ }));
    api.setMemberRole.mockResolvedValue(memberView({ oid: '7d1c-oid', name: 'Paul Operator', role: 'operator' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));
    expect(api.setMemberRole).toHaveBeenCalledWith('7d1c-oid', 'operator', 'Paul Operator');
    expect(await screen.findByText('Paul Operator is now Operator.')).toBeInTheDocument();
  });

  it('removes a member after a confirmation that says what follows', async () => {
    const { user, api, onChanged } = setup();
    await user.click(await screen.findByRole('radio', { name: 'Select Olive Operator' }));
    await user.click(screen.getByRole('button', { name: 'Remove' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove member' });
    expect(dialog).toHaveTextContent('signing in again makes them a Viewer');
    api.removeMember.mockResolvedValue(undefined);
    api.listMembers.mockResolvedValue({ items: [ANN, NEW, GLOBAL] });
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(api.removeMember).toHaveBeenCalledWith('olive-oid');
    expect(await screen.findByText('Olive Operator is no longer a member.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('row', { name: /Olive Operator/ })).not.toBeInTheDocument());
    expect(onChanged).toHaveBeenCalled();
  });

  it('sets the rule for new members when it is picked', async () => {
    const { user, api } = setup();
    const rule = await screen.findByRole('radiogroup', { name: 'New members' });
    expect(within(rule).getByRole('radio', { name: 'They join as Viewer' })).toBeChecked();
    api.updateSettings.mockResolvedValue({ newMembers: 'none' });
    await user.click(within(rule).getByRole('radio', { name: 'They wait until an admin adds them here' }));
    expect(api.updateSettings).toHaveBeenCalledWith({ newMembers: 'none' });
    expect(await screen.findByText('Saved: the rule applies to the next first sign-in.')).toBeInTheDocument();
    expect(within(rule).getByRole('radio', { name: 'They wait until an admin adds them here' })).toBeChecked();
  });
});
