import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PortalApi, type CustomerView } from '../../../tab/src/api/portal-api';
import { CustomersView } from '../../../tab/src/customers/CustomersView';
import { driftText } from '../../../tab/src/customers/CustomerTable';
import { customerView } from '../../support/views';
import { fakeApi, renderInFluent } from '../support/render';

const page = (items: CustomerView[]) => ({ items, total: items.length, page: 1, pageSize: 25 });
const AT = '2026-01-02T00:00:00.000Z';

const neverSynced = customerView({ id: 'c1', name: 'Never Synced' });
const clean = customerView({ id: 'c2', name: 'Clean Co', drift: { total: 0, consecutiveFailures: 0, needsAttention: false, computedAt: AT } });
const drifting = customerView({ id: 'c3', name: 'Drifting Co', drift: { total: 3, consecutiveFailures: 2, needsAttention: true, computedAt: AT } });

function setup(items = [neverSynced, clean, drifting]) {
  const api = fakeApi();
  api.listCustomers.mockResolvedValue(page(items));
  renderInFluent(<CustomersView api={api} onOpenDetails={jest.fn()} onOpenNumbers={jest.fn()} onManage={jest.fn()} />);
  return { api };
}

/** The Drift cell of the customer's row. */
async function driftCell(name: string) {
  const table = await screen.findByRole('table', { name: 'Customers' });
  const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
  const row = within(table).getByText(name).closest('tr')!;
  const cells = within(row).getAllByRole('cell');
  // The selection column has a header but no cell of role "cell".
  return cells[headers.indexOf('Drift') - (headers.length - cells.length)]!;
}

describe('the Drift column', () => {
  it('shows "—" before any sync, the count, and a warning badge with what needs attention', async () => {
    setup();
    expect(await screen.findByRole('columnheader', { name: 'Drift' })).toBeInTheDocument();
    expect((await driftCell('Never Synced')).textContent).toBe('—');
    expect((await driftCell('Clean Co')).textContent).toBe('0');

    const cell = await driftCell('Drifting Co');
    expect(within(cell).getByText('3')).toBeInTheDocument();
    expect(within(cell).getByText('3 numbers drifted · 2 failed syncs in a row')).toBeInTheDocument();
    expect(cell.querySelector('.fui-Badge')).not.toBeNull();
    expect((await driftCell('Clean Co')).querySelector('.fui-Badge')).toBeNull();
  });

  it('words drift and failures in the partner’s terms', () => {
    expect(driftText({ total: 1, consecutiveFailures: 0, needsAttention: true, computedAt: AT })).toBe('1 number drifted');
    expect(driftText({ total: 0, consecutiveFailures: 1, needsAttention: true, computedAt: AT })).toBe('1 failed sync in a row');
    expect(driftText({ total: 0, consecutiveFailures: 1, needsAttention: true, computedAt: null })).toBe('Not compared yet · 1 failed sync in a row');
  });
});

describe('the "Needs attention" filter', () => {
  it('asks the server for the customers needing attention only, from page 1, and back', async () => {
    const user = userEvent.setup();
    const { api } = setup();
    await screen.findByText('Drifting Co');
    const toggle = screen.getByRole('button', { name: 'Needs attention' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');

    api.listCustomers.mockResolvedValue(page([drifting]));
    await user.click(toggle);
    await waitFor(() => expect(api.listCustomers).toHaveBeenLastCalledWith({ search: '', page: 1, pageSize: 25, attention: true }));
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(screen.queryByText('Clean Co')).not.toBeInTheDocument());

    api.listCustomers.mockResolvedValue(page([]));
    await user.click(toggle);
    await waitFor(() => expect(api.listCustomers).toHaveBeenLastCalledWith({ search: '', page: 1, pageSize: 25 }));
  });

  it('says when no customer needs attention', async () => {
    const user = userEvent.setup();
    const { api } = setup([clean]);
    await screen.findByText('Clean Co');
    api.listCustomers.mockResolvedValue(page([]));
    await user.click(screen.getByRole('button', { name: 'Needs attention' }));
    expect(await screen.findByText('No customer needs attention.')).toBeInTheDocument();
  });

  it('is sent as attention=true by the API client, and not at all when off', async () => {
    const fetchMock = jest.fn(() =>
      Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(JSON.stringify(page([]))) }),
    );
    global.fetch = fetchMock as unknown as typeof fetch;
    const api = new PortalApi({ getToken: () => Promise.resolve('t') });
    await api.listCustomers({ page: 1, pageSize: 25, attention: true });
    await api.listCustomers({ page: 1, pageSize: 25, attention: false });
    expect((fetchMock.mock.calls as unknown as [string][]).map(([url]) => url)).toEqual([
      '/api/v1/customers?page=1&pageSize=25&attention=true',
      '/api/v1/customers?page=1&pageSize=25',
    ]);
  });
});
