import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { publicApi } from '../../../tab/src/api/portal-api';
import { DevSignIn } from '../../../tab/src/sign-in/DevSignIn';
import { renderInFluent } from '../support/render';

const PARTNERS = [
  {
    tenantId: 't-1',
    name: 'Northwind Telecom',
    members: [
      { oid: 'victor', name: 'Victor Viewer', role: 'viewer' as const },
      { oid: 'ann', name: 'Ann Admin', role: 'admin' as const },
    ],
  },
  { tenantId: 't-2', name: 'Woodgrove Partners', members: [{ oid: 'olga', name: null, role: 'operator' as const }] },
];

describe('DevSignIn', () => {
  afterEach(() => jest.restoreAllMocks());

  it('signs in as an Admin of the first partner unless told otherwise', async () => {
    jest.spyOn(publicApi, 'devPartners').mockResolvedValue(PARTNERS);
    const onSignedIn = jest.fn();
    const user = userEvent.setup();
    renderInFluent(<DevSignIn onSignedIn={onSignedIn} />);
    expect(await screen.findByLabelText('Sign in as')).toHaveDisplayValue('Ann Admin (Admin)');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignedIn).toHaveBeenCalledWith({ tenantId: 't-1', userId: 'ann', name: 'Ann Admin' });
  });

  it("lets the developer pick a partner and one of its members, as a Global Administrator if they like", async () => {
    jest.spyOn(publicApi, 'devPartners').mockResolvedValue(PARTNERS);
    const onSignedIn = jest.fn();
    const user = userEvent.setup();
    renderInFluent(<DevSignIn onSignedIn={onSignedIn} />);
    await user.selectOptions(await screen.findByLabelText('Partner'), 't-2');
    expect(screen.getByLabelText('Sign in as')).toHaveDisplayValue('olga (Operator)');
    await user.click(screen.getByRole('checkbox', { name: /Global Administrator/ }));
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignedIn).toHaveBeenCalledWith({ tenantId: 't-2', userId: 'olga', name: 'olga', globalAdministrator: true });
  });

  it('signs in someone new by the object id typed, for a first sign-in', async () => {
    jest.spyOn(publicApi, 'devPartners').mockResolvedValue(PARTNERS);
    const onSignedIn = jest.fn();
    const user = userEvent.setup();
    renderInFluent(<DevSignIn onSignedIn={onSignedIn} />);
    await user.selectOptions(await screen.findByLabelText('Sign in as'), 'Someone new (first sign-in)');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();
    await user.type(screen.getByLabelText('Object ID of the new user'), 'new-oid-1');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignedIn).toHaveBeenCalledWith({ tenantId: 't-1', userId: 'new-oid-1', name: 'New user new-oid-1' });
  });

  it('says when the partners cannot be read, and tries again', async () => {
    const partners = jest
      .spyOn(publicApi, 'devPartners')
      .mockRejectedValueOnce(new Error('The portal cannot be reached.'))
      .mockResolvedValueOnce(PARTNERS);
    const user = userEvent.setup();
    renderInFluent(<DevSignIn onSignedIn={jest.fn()} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('The portal cannot be reached.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeEnabled();
    expect(partners).toHaveBeenCalledTimes(2);
  });
});
