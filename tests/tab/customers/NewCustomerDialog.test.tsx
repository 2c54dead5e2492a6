import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type CreatedCustomer, type SyncRunView } from '../../../tab/src/api/portal-api';
import { NewCustomerDialog } from '../../../tab/src/customers/NewCustomerDialog';
import { fakeApi, renderInFluent } from '../support/render';

function createdCustomer(overrides: Partial<CreatedCustomer> = {}): CreatedCustomer {
  return {
    id: 'c1',
    accountId: 'acme-1',
    tenantName: 'acme.onmicrosoft.com',
    name: 'Acme',
    maxChannels: 5,
    seatType: 'unbundled',
    canManage: false,
    customerTenantId: null,
    numberCount: 0,
    lastSync: null,
    drift: null,
    createdAt: '2024-01-01T10:00:00.000Z',
    updatedAt: '2024-01-01T10:00:00.000Z',
    syncRun: null,
    ...overrides,
  };
}

/** A field's label, with or without the required mark. */
const labelled = (label: string) => new RegExp(`^${label}\\s*\\*?$`);

function setup() {
  const api = fakeApi();
  const onCancel = jest.fn();
  const onSaved = jest.fn();
  const user = userEvent.setup();
  renderInFluent(<NewCustomerDialog api={api} open onCancel={onCancel} onSaved={onSaved} />);
  const field = (label: string) => screen.getByLabelText(labelled(label), { selector: 'input' }) as HTMLInputElement;
  return { api, onCancel, onSaved, user, field };
}

async function fillRequired(user: ReturnType<typeof userEvent.setup>, field: (label: string) => HTMLInputElement) {
  await user.type(field('Account ID'), 'acme-1');
  await user.type(field('Office 365 Tenant Name'), 'acme.onmicrosoft.com');
  await user.type(field('Max Channels'), '5');
}

describe('NewCustomerDialog', () => {
  it('shows the form with the fields of the article', () => {
    setup();
    const dialog = screen.getByRole('dialog', { name: 'New customer' });
    for (const label of ['Account ID', 'Office 365 Tenant Name', 'Max Channels', 'Name']) {
      expect(within(dialog).getByLabelText(labelled(label), { selector: 'input' })).toBeInTheDocument();
    }
    expect(within(dialog).getByRole('switch', { name: 'Sync after save' })).not.toBeChecked();
    expect(within(dialog).getByRole('button', { name: 'Save' })).toBeEnabled();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeEnabled();
  });

  it('sends every field and hands the new customer back', async () => {
    const { api, user, field, onSaved } = setup();
    api.suggestMaxChannels.mockResolvedValue({ maxChannels: 10, rule: 'MS Teams bundled seats: one channel per seat' });
    const customer = createdCustomer({ seatType: 'bundled', maxChannels: 10 });
    api.createCustomer.mockResolvedValue(customer);

    await user.type(field('Account ID'), 'acme-1');
    await user.type(field('Office 365 Tenant Name'), 'acme.onmicrosoft.com');
    await user.click(screen.getByRole('radio', { name: 'MS Teams bundled' }));
    await user.type(field('Max Channels'), '10');
    await user.type(field('Name'), 'Acme');
    await user.click(screen.getByRole('switch', { name: 'Sync after save' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(customer));
    expect(api.createCustomer).toHaveBeenCalledWith({
      accountId: 'acme-1',
      tenantName: 'acme.onmicrosoft.com',
      maxChannels: 10,
      name: 'Acme',
      seatType: 'bundled',
      syncAfterSave: true,
    });
  });

  it('suggests Max Channels from the seat type and count, and fills it in', async () => {
    const { api, user, field } = setup();
    api.suggestMaxChannels.mockResolvedValue({
      maxChannels: 13,
      rule: 'MS Teams unbundled seats: one tenth of the seats, rounded up',
    });

    await user.click(screen.getByRole('radio', { name: 'MS Teams unbundled' }));
    await user.type(field('Seat count'), '125');

    const use = await screen.findByRole('button', { name: 'Use 13' });
    expect(api.suggestMaxChannels).toHaveBeenLastCalledWith('unbundled', 125);
    expect(screen.getByText(/one tenth of the seats, rounded up/)).toBeInTheDocument();
    await user.click(use);
    expect(field('Max Channels')).toHaveValue(13);
  });

  it('checks the required fields before asking the API', async () => {
    const { api, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('Account ID is required')).toBeInTheDocument();
    expect(screen.getByText('Office 365 Tenant Name is required')).toBeInTheDocument();
    expect(screen.getByText('Max Channels is required')).toBeInTheDocument();
    expect(api.createCustomer).not.toHaveBeenCalled();
  });

  it("shows the API's field errors at each field and keeps what was typed", async () => {
    const { api, user, field, onSaved } = setup();
    api.createCustomer.mockRejectedValue(
      new ApiError(400, 'invalid_request', 'Invalid input', [
        { field: 'tenantName', message: 'Office 365 Tenant Name must be a domain such as contoso.onmicrosoft.com or contoso.com' },
        { field: 'maxChannels', message: 'Max Channels must be a whole number from 1 to 10000' },
      ]),
    );
    await user.type(field('Account ID'), 'acme-1');
    await user.type(field('Office 365 Tenant Name'), 'not a domain');
    await user.type(field('Max Channels'), '20000');
    await user.type(field('Name'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const tenant = field('Office 365 Tenant Name');
    await waitFor(() => expect(tenant).toHaveAttribute('aria-invalid', 'true'));
    expect(tenant).toHaveAccessibleDescription(expect.stringContaining('must be a domain such as contoso.onmicrosoft.com'));
    expect(field('Max Channels')).toHaveAccessibleDescription(
      expect.stringContaining('Max Channels must be a whole number from 1 to 10000'),
    );
    expect(field('Account ID')).not.toHaveAttribute('aria-invalid', 'true');
    // Focus goes to the first field to fix.
    expect(tenant).toHaveFocus();

    // Nothing typed is lost.
    expect(field('Account ID')).toHaveValue('acme-1');
    expect(tenant).toHaveValue('not a domain');
    expect(field('Max Channels')).toHaveValue(20000);
    expect(field('Name')).toHaveValue('Acme');
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('shows an Account ID already taken (409) at Account ID', async () => {
    const { api, user, field } = setup();
    api.createCustomer.mockRejectedValue(
      new ApiError(409, 'account_id_taken', 'You already have a customer with Account ID acme-1', [
        { field: 'accountId', message: 'is already used by another of your customers' },
      ]),
    );
    await fillRequired(user, field);
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const accountId = field('Account ID');
    await waitFor(() => expect(accountId).toHaveAttribute('aria-invalid', 'true'));
    expect(accountId).toHaveAccessibleDescription('You already have a customer with Account ID acme-1');
    expect(accountId).toHaveValue('acme-1');
  });

  it('says what went wrong when the portal cannot be reached, keeping the input', async () => {
    const { api, user, field } = setup();
    api.createCustomer.mockRejectedValueOnce(
      new ApiError(0, 'network', 'The portal cannot be reached. Check your connection and try again.'),
    );
    await fillRequired(user, field);
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText(/The portal cannot be reached/)).toBeInTheDocument();
    expect(field('Account ID')).toHaveValue('acme-1');
    expect(field('Office 365 Tenant Name')).toHaveValue('acme.onmicrosoft.com');
    expect(field('Max Channels')).toHaveValue(5);

    // Saving again works with what is still there.
    api.createCustomer.mockResolvedValueOnce(createdCustomer());
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.createCustomer).toHaveBeenCalledTimes(2));
    expect(api.createCustomer.mock.calls[1]?.[0]).toEqual(api.createCustomer.mock.calls[0]?.[0]);
  });

  it('shows a spinner and disables Save while saving', async () => {
    const { api, user, field, onSaved } = setup();
    let answer: (customer: CreatedCustomer) => void = () => undefined;
    api.createCustomer.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    await fillRequired(user, field);
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(screen.getByRole('button', { name: /Save/ })).toBeDisabled();
    expect(screen.getByLabelText('Saving')).toBeInTheDocument();
    answer(createdCustomer());
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it('says that a sync started when Sync after save is on', async () => {
    const { api, user, field, onSaved } = setup();
    const customer = createdCustomer({ syncRun: { id: 'r1', state: 'queued' } as SyncRunView });
    api.createCustomer.mockResolvedValue(customer);
    await fillRequired(user, field);
    await user.click(screen.getByRole('switch', { name: 'Sync after save' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByText(/A sync of its numbers has started/)).toBeInTheDocument();
    expect(onSaved).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onSaved).toHaveBeenCalledWith(customer);
  });

  it('a save that lands after Cancel still hands the customer back, so the list shows it', async () => {
    const { api, user, field, onCancel, onSaved } = setup();
    let answer: (customer: CreatedCustomer) => void = () => undefined;
    api.createCustomer.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    await fillRequired(user, field);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    const customer = createdCustomer();
    answer(customer);
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(customer));
  });

  it('Cancel leaves without saving', async () => {
    const { api, user, field, onCancel } = setup();
    await user.type(field('Account ID'), 'acme-1');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(api.createCustomer).not.toHaveBeenCalled();
  });
});
