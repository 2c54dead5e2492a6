import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type CustomerView } from '../../../tab/src/api/portal-api';
import { CustomersView } from '../../../tab/src/customers/CustomersView';
import { customerView } from '../../support/views';
import { fakeApi, renderAs, renderInFluent } from '../support/render';

const customer = (overrides: Partial<CustomerView> = {}): CustomerView => customerView({ numberCount: 3, ...overrides });

const page = (items: CustomerView[], total = items.length, pageNumber = 1) => ({ items, total, page: pageNumber, pageSize: 25 });

function setup(items = [customer(), customer({ id: 'c2', accountId: 'acct-2', name: 'Fabrikam', canManage: true })]) {
  const api = fakeApi();
  api.listCustomers.mockResolvedValue(page(items));
  const handlers = { onOpenDetails: jest.fn(), onOpenNumbers: jest.fn(), onManage: jest.fn() };
  renderInFluent(<CustomersView api={api} {...handlers} />);
  return { api, ...handlers };
}

const button = (name: string) => screen.getByRole('button', { name });

describe('CustomersView', () => {
  it('shows a Viewer no New and no Sync, and an Operator both', async () => {
    for (const [role, shown] of [['viewer', false], ['operator', true]] as const) {
      const api = fakeApi();
      api.listCustomers.mockResolvedValue(page([]));
      const view = renderAs(role, <CustomersView api={api} onOpenDetails={jest.fn()} onOpenNumbers={jest.fn()} onManage={jest.fn()} />);
      expect(await screen.findByText(shown ? 'No customers yet. Press New to create one.' : 'No customers yet.')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'New' }) !== null).toBe(shown);
      expect(screen.queryByRole('button', { name: 'Sync' }) !== null).toBe(shown);
      expect(screen.queryByRole('button', { name: 'Import' }) !== null).toBe(shown);
      // Export is a read: a Viewer may.
      expect(button('Export')).toBeInTheDocument();
      expect(button('Details')).toBeInTheDocument();
      view.unmount();
    }
  });

  it('exports the customers the search matches, and opens Import customers', async () => {
    const api = fakeApi();
    api.listCustomers.mockResolvedValue(page([]));
    api.exportCustomers.mockResolvedValue({ blob: new Blob(['x']), fileName: 'customers.csv' });
    URL.createObjectURL = jest.fn(() => 'blob:x');
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderAs('operator', <CustomersView api={api} onOpenDetails={jest.fn()} onOpenNumbers={jest.fn()} onManage={jest.fn()} />);
    const user = userEvent.setup();
    await user.type(screen.getByRole('searchbox', { name: 'Search customers' }), 'contoso');
    await waitFor(() => expect(api.listCustomers).toHaveBeenLastCalledWith(expect.objectContaining({ search: 'contoso' })));
    await user.click(button('Export'));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(api.exportCustomers).toHaveBeenCalledWith('contoso');
    click.mockRestore();
    await user.click(button('Import'));
    expect(await screen.findByRole('dialog', { name: 'Import customers' })).toBeInTheDocument();
  });

  it('lists the customers with every column', async () => {
    setup();
    const table = await screen.findByRole('table', { name: 'Customers' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(within(rows[1]!).getByText('Contoso Ltd')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('acct-1')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('contoso.onmicrosoft.com')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Never')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('No')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Yes')).toBeInTheDocument();
  });

  it('enables the buttons as the article says', async () => {
    const user = userEvent.setup();
    const { onOpenDetails, onOpenNumbers, onManage } = setup();
    await screen.findByText('Contoso Ltd');
    expect(button('New')).toBeEnabled();
    for (const name of ['Details', 'Phone Numbers', 'Manage', 'Sync']) expect(button(name)).toBeDisabled();

    await user.click(screen.getByText('Contoso Ltd'));
    expect(button('Details')).toBeEnabled();
    expect(button('Phone Numbers')).toBeEnabled();
    expect(button('Sync')).toBeEnabled();
    expect(button('Manage')).toBeDisabled();

    await user.click(screen.getByText('Fabrikam'));
    expect(button('Manage')).toBeEnabled();

    await user.click(button('Details'));
    expect(onOpenDetails).toHaveBeenCalledWith(expect.objectContaining({ id: 'c2' }));
    await user.click(button('Phone Numbers'));
    expect(onOpenNumbers).toHaveBeenCalledWith(expect.objectContaining({ id: 'c2' }));
    await user.click(button('Manage'));
    expect(onManage).toHaveBeenCalledWith(expect.objectContaining({ id: 'c2' }));
  });

  it('selects with the keyboard and opens the details with Enter', async () => {
    const user = userEvent.setup();
    const { onOpenDetails } = setup();
    await screen.findByText('Contoso Ltd');
    const row = screen.getByText('Contoso Ltd').closest('tr')!;
    row.focus();
    await user.keyboard(' ');
    expect(row).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{Enter}');
    expect(onOpenDetails).toHaveBeenCalledWith(expect.objectContaining({ id: 'c1' }));
  });

  it('searches on the server as the partner types, from page 1', async () => {
    const user = userEvent.setup();
    const { api } = setup();
    await screen.findByText('Contoso Ltd');
    api.listCustomers.mockResolvedValue(page([customer({ id: 'c3', name: 'Adatum' })]));
    await user.type(screen.getByRole('searchbox', { name: 'Search customers' }), 'ada');
    await screen.findByText('Adatum');
    expect(api.listCustomers).toHaveBeenLastCalledWith({ search: 'ada', page: 1, pageSize: 25 });
  });

  it('pages through the customers', async () => {
    const user = userEvent.setup();
    const api = fakeApi();
    api.listCustomers.mockResolvedValueOnce(page([customer()], 60));
    renderInFluent(<CustomersView api={api} onOpenDetails={jest.fn()} onOpenNumbers={jest.fn()} onManage={jest.fn()} />);
    await screen.findByText('1–25 of 60');
    expect(button('Previous')).toBeDisabled();
    api.listCustomers.mockResolvedValueOnce(page([customer({ id: 'c9', name: 'Page Two' })], 60, 2));
    await user.click(button('Next'));
    await screen.findByText('Page Two');
    expect(api.listCustomers).toHaveBeenLastCalledWith({ search: '', page: 2, pageSize: 25 });
    expect(screen.getByText('26–50 of 60')).toBeInTheDocument();
  });

  it('says what went wrong and retries', async () => {
    const user = userEvent.setup();
    const api = fakeApi();
    api.listCustomers.mockRejectedValueOnce(new ApiError(503, 'database_unavailable', 'MongoDB does not answer'));
    renderInFluent(<CustomersView api={api} onOpenDetails={jest.fn()} onOpenNumbers={jest.fn()} onManage={jest.fn()} />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('MongoDB does not answer');
    api.listCustomers.mockResolvedValueOnce(page([customer()]));
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByText('Contoso Ltd');
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
  });

  it('invites to create the first customer when there is none', async () => {
    setup([]);
    expect(await screen.findByText('No customers yet. Press New to create one.')).toBeInTheDocument();
  });
});
