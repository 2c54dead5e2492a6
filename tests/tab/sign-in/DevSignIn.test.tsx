import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { publicApi } from '../../../tab/src/api/portal-api';
import { DevSignIn } from '../../../tab/src/sign-in/DevSignIn';
import { renderInFluent } from '../support/render';

describe('DevSignIn', () => {
  afterEach(() => jest.restoreAllMocks());

  it('lets the developer pick a registered partner and sign in as it', async () => {
    jest.spyOn(publicApi, 'devPartners').mockResolvedValue([
      { tenantId: 't-1', name: 'Northwind Telecom' },
      { tenantId: 't-2', name: 'Woodgrove Partners' },
    ]);
    const onSignedIn = jest.fn();
    const user = userEvent.setup();
    renderInFluent(<DevSignIn onSignedIn={onSignedIn} />);
    await user.selectOptions(await screen.findByLabelText('Partner'), 't-2');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onSignedIn).toHaveBeenCalledWith({ tenantId: 't-2', name: 'Woodgrove Partners' });
  });

  it('says when the partners cannot be read, and tries again', async () => {
    const partners = jest
      .spyOn(publicApi, 'devPartners')
      .mockRejectedValueOnce(new Error('The portal cannot be reached.'))
      .mockResolvedValueOnce([{ tenantId: 't-1', name: 'Northwind Telecom' }]);
    const user = userEvent.setup();
    renderInFluent(<DevSignIn onSignedIn={jest.fn()} />);
    expect(await screen.findByRole('alert')).toHaveTextContent('The portal cannot be reached.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeEnabled();
    expect(partners).toHaveBeenCalledTimes(2);
  });
});
