import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  ApiError,
  type AuditEntryView,
  type CustomerDetailsView,
  type Page,
  type SyncRunView,
} from '../../../tab/src/api/portal-api';
import { CustomerDetails, describeChange } from '../../../tab/src/customers/CustomerDetails';
import { syncRunView } from '../../support/views';
import { fakeApi, renderAs, renderInFluent } from '../support/render';

const FATAL = "This number cannot be sync'ed automatically (backend reports fatal)";
const NOT_IN_BACKEND = 'Needs to be added to portal (not in backend)';

function details(overrides: Partial<CustomerDetailsView> = {}): CustomerDetailsView {
  return {
    id: 'c1',
    accountId: 'acme-1',
    tenantName: 'acme.onmicrosoft.com',
    name: 'Acme',
    maxChannels: 13,
    seatType: 'unbundled',
    canManage: true,
    customerTenantId: null,
    numberCount: 10,
    lastSync: {
      runId: 'r1',
      state: 'succeeded',
      startedAt: '2024-03-01T10:00:00.000Z',
      finishedAt: '2024-03-01T10:01:00.000Z',
    },
    drift: null,
    createdAt: '2024-01-01T10:00:00.000Z',
    updatedAt: '2024-02-01T10:00:00.000Z',
    numberCounts: { pending: 2, synced: 5, backend_fatal: 1, not_in_backend: 2 },
    pendingRemovals: 3,
    coManagement: { consentGrantedAt: null, consentGrantedBy: null, changedAt: null, changedBy: null },
    ...overrides,
  };
}

function run(overrides: Partial<SyncRunView> = {}): SyncRunView {
  return syncRunView({
    state: 'succeeded',
    phase: 'done',
    progress: { done: 3, total: 3 },
    counts: { pending: 2, synced: 5, backend_fatal: 1, not_in_backend: 2 },
    changeCounts: { routed: 4, imported: 0, removed: 1, released: 0, statusChanges: 0 },
    startedAt: '2024-03-01T10:00:00.000Z',
    finishedAt: '2024-03-01T10:01:00.000Z',
    ...overrides,
  });
}

const page = <T,>(items: T[]): Page<T> => ({ items, total: items.length, page: 1, pageSize: 10 });

const audit: AuditEntryView[] = [
  {
    id: 'a2',
    at: '2024-02-01T10:00:00.000Z',
    actor: { tid: 't', oid: 'o', name: 'Pat Partner' },
    action: 'numbers.added',
    customerId: 'c1',
    details: { count: 2, numbers: ['+15551230001', '+15551230002'] },
  },
  {
    id: 'a1',
    at: '2024-01-01T10:00:00.000Z',
    actor: { tid: 't', oid: 'o', name: 'Pat Partner' },
    action: 'customer.created',
    customerId: 'c1',
    details: { accountId: 'acme-1', tenantName: 'acme.onmicrosoft.com', maxChannels: 13 },
  },
];

describe('CustomerDetails', () => {
  it('offers the activation link to an Operator and not to a Viewer', async () => {
    for (const [role, shown] of [['viewer', false], ['operator', true]] as const) {
      const api = fakeApi();
      api.getCustomer.mockResolvedValue(details());
      api.listSyncRuns.mockResolvedValue(page([]));
      api.listAudit.mockResolvedValue(page([]));
      const view = renderAs(role, <CustomerDetails api={api} customerId="c1" onClose={jest.fn()} />);
      expect(await screen.findByRole('heading', { name: 'Details: Acme' })).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Send activation link' }) !== null).toBe(shown);
      view.unmount();
    }
  });

  it('shows everything about the customer, read-only, with counts by status and the last sync', async () => {
    const api = fakeApi();
    api.getCustomer.mockResolvedValue(details());
    api.listSyncRuns.mockResolvedValue(page([run(), run({ id: 'r0', dryRun: true, trigger: 'tab' })]));
    api.listAudit.mockResolvedValue(page(audit));
    renderInFluent(<CustomerDetails api={api} customerId="c1" onClose={jest.fn()} />);

    expect(screen.getByText('Loading the customer')).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Details: Acme' })).toBeInTheDocument();
    expect(api.getCustomer).toHaveBeenCalledWith('c1');

    const facts = screen.getByRole('region', { name: 'Customer' });
    const fact = (term: string) => within(facts).getByText(term).nextElementSibling;
    expect(fact('Account ID')).toHaveTextContent('acme-1');
    expect(fact('Office 365 Tenant Name')).toHaveTextContent('acme.onmicrosoft.com');
    expect(fact('Name')).toHaveTextContent('Acme');
    expect(fact('Max Channels')).toHaveTextContent('13');
    expect(fact('Seat type')).toHaveTextContent('MS Teams unbundled');
    expect(fact('Phone numbers')).toHaveTextContent('10');
    expect(fact('Pending removals')).toHaveTextContent('3 numbers');
    expect(fact('Last sync')).toHaveTextContent('Succeeded');
    // Read-only: nothing to type into.
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();

    const counts = screen.getByRole('table', { name: 'Numbers by status' });
    const row = (text: string) => within(counts).getByText(text).closest('tr');
    expect(row(FATAL)).toHaveTextContent('1');
    expect(row(NOT_IN_BACKEND)).toHaveTextContent('2');
    expect(row('Synced')).toHaveTextContent('5');
    expect(row('Added, waiting for sync')).toHaveTextContent('2');

    const syncs = await screen.findByRole('table', { name: 'Recent syncs' });
    expect(within(syncs).getAllByRole('row')).toHaveLength(3);
    expect(within(syncs).getByText(/4 numbers routed, 1 number removed/)).toBeInTheDocument();
    expect(within(syncs).getByText(/Preview/)).toBeInTheDocument();
    expect(api.listSyncRuns).toHaveBeenCalledWith('c1', 1, 10);

    const changes = await screen.findByRole('table', { name: 'Recent changes' });
    expect(within(changes).getByText('2 numbers added: +15551230001, +15551230002')).toBeInTheDocument();
    expect(within(changes).getByText(/Created: Account ID acme-1/)).toBeInTheDocument();
    expect(api.listAudit).toHaveBeenCalledWith('c1', 1, 20);
  });

  it('says when the customer has never synced', async () => {
    const api = fakeApi();
    api.getCustomer.mockResolvedValue(details({ lastSync: null, seatType: null, canManage: false, pendingRemovals: 0 }));
    api.listSyncRuns.mockResolvedValue(page([]));
    api.listAudit.mockResolvedValue(page([]));
    renderInFluent(<CustomerDetails api={api} customerId="c1" onClose={jest.fn()} />);

    const facts = await screen.findByRole('region', { name: 'Customer' });
    const fact = (term: string) => within(facts).getByText(term).nextElementSibling;
    expect(fact('Last sync')).toHaveTextContent('Never');
    expect(fact('Seat type')).toHaveTextContent('Not given');
    expect(fact('Pending removals')).toHaveTextContent('None');
    const co = screen.getByRole('region', { name: 'Co-management' });
    const coFact = (term: string) => within(co).getByText(term).nextElementSibling;
    expect(coFact('Can manage?')).toHaveTextContent('No');
    expect(coFact('Consent granted')).toHaveTextContent('Not yet');
    expect(coFact('Last switched')).toHaveTextContent('Never');
    expect(await screen.findByText('No sync has run yet.')).toBeInTheDocument();
    expect(await screen.findByText('No changes recorded.')).toBeInTheDocument();
  });

  it('says what went wrong and tries again', async () => {
    const api = fakeApi();
    api.getCustomer.mockRejectedValueOnce(new ApiError(404, 'not_found', 'No such customer'));
    api.listSyncRuns.mockResolvedValue(page([]));
    api.listAudit.mockResolvedValue(page([]));
    const onClose = jest.fn();
    const user = userEvent.setup();
    renderInFluent(<CustomerDetails api={api} customerId="c1" onClose={onClose} />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Not found');
    expect(alert).toHaveTextContent('No such customer');

    api.getCustomer.mockResolvedValueOnce(details());
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Details: Acme' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the customer even when its history cannot be read', async () => {
    const api = fakeApi();
    api.getCustomer.mockResolvedValue(details());
    api.listSyncRuns.mockRejectedValue(new ApiError(503, 'database_unavailable', 'MongoDB does not answer'));
    api.listAudit.mockResolvedValue(page(audit));
    renderInFluent(<CustomerDetails api={api} customerId="c1" onClose={jest.fn()} />);

    expect(await screen.findByRole('heading', { name: 'Details: Acme' })).toBeInTheDocument();
    const syncs = screen.getByRole('region', { name: 'Recent syncs' });
    expect(await within(syncs).findByRole('alert')).toHaveTextContent('MongoDB does not answer');
    expect(await screen.findByRole('table', { name: 'Recent changes' })).toBeInTheDocument();
  });

  it('Close goes back', async () => {
    const api = fakeApi();
    api.getCustomer.mockResolvedValue(details());
    api.listSyncRuns.mockResolvedValue(page([]));
    api.listAudit.mockResolvedValue(page([]));
    const onClose = jest.fn();
    const user = userEvent.setup();
    renderInFluent(<CustomerDetails api={api} customerId="c1" onClose={onClose} />);
    await screen.findByRole('heading', { name: 'Details: Acme' });
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  describe('Co-management', () => {
    const LINK = 'https://portal.example.com/activate.html#link=abc123';

    function setup(overrides: Partial<CustomerDetailsView> = {}) {
      const api = fakeApi();
      api.getCustomer.mockResolvedValue(details(overrides));
      api.listSyncRuns.mockResolvedValue(page([]));
      api.listAudit.mockResolvedValue(page([]));
      const user = userEvent.setup();
      renderInFluent(<CustomerDetails api={api} customerId="c1" onClose={jest.fn()} />);
      return { api, user };
    }

    async function section() {
      return screen.findByRole('region', { name: 'Co-management' });
    }

    it('says whether the customer can be managed, who granted consent and who last switched it, and when', async () => {
      setup({
        canManage: true,
        customerTenantId: 'tid-acme',
        coManagement: {
          consentGrantedAt: '2024-03-01T10:00:00.000Z',
          consentGrantedBy: 'admin@acme.onmicrosoft.com',
          changedAt: '2024-03-02T10:00:00.000Z',
          changedBy: 'it@acme.onmicrosoft.com',
        },
      });
      const co = await section();
      const fact = (term: string) => within(co).getByText(term).nextElementSibling;
      expect(fact('Can manage?')).toHaveTextContent('Yes');
      expect(fact('Consent granted')).toHaveTextContent('by admin@acme.onmicrosoft.com');
      expect(fact('Consent granted')).toHaveTextContent('2024');
      expect(fact('Last switched')).toHaveTextContent(/^On, .*2024.* by it@acme\.onmicrosoft\.com$/);
      expect(fact('Customer tenant ID')).toHaveTextContent('tid-acme');
    });

    it('says when the customer last switched it off', async () => {
      setup({
        canManage: false,
        coManagement: { consentGrantedAt: null, consentGrantedBy: null, changedAt: '2024-03-02T10:00:00.000Z', changedBy: 'it@acme.onmicrosoft.com' },
      });
      const co = await section();
      expect(within(co).getByText('Last switched').nextElementSibling).toHaveTextContent(/^Off, .* by it@acme\.onmicrosoft\.com$/);
    });

    it('creates an activation link, shows it with its expiry, and copies it', async () => {
      const { api, user } = setup();
      const co = await section();
      expect(co).toHaveTextContent(
        "Send this link to the customer's Microsoft 365 administrator. Creating a new link makes older links stop working.",
      );
      const writeText = jest.fn(() => Promise.resolve());
      Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
      api.createActivationLink.mockResolvedValue({ url: LINK, expiresAt: '2024-03-08T10:00:00.000Z' });

      await user.click(within(co).getByRole('button', { name: 'Send activation link' }));

      expect(api.createActivationLink).toHaveBeenCalledWith('c1');
      const input = await within(co).findByRole('textbox', { name: 'Activation link for Acme' });
      expect(input).toHaveValue(LINK);
      expect(input).toHaveAttribute('readonly');
      expect(co).toHaveTextContent(`Works until ${new Date('2024-03-08T10:00:00.000Z').toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`);

      await user.click(within(co).getByRole('button', { name: 'Copy' }));
      expect(writeText).toHaveBeenCalledWith(LINK);
      expect(await within(co).findByRole('button', { name: 'Copied' })).toBeInTheDocument();
      expect(within(co).getByRole('status')).toHaveTextContent('The link is copied.');

      // A new link replaces the one shown.
      api.createActivationLink.mockResolvedValue({ url: `${LINK}-2`, expiresAt: '2024-03-09T10:00:00.000Z' });
      await user.click(within(co).getByRole('button', { name: 'Create a new activation link' }));
      await waitFor(() => expect(input).toHaveValue(`${LINK}-2`));
      expect(within(co).getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    });

    it('selects the link for Ctrl+C when the clipboard is refused', async () => {
      const { api, user } = setup();
      const co = await section();
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) },
      });
      api.createActivationLink.mockResolvedValue({ url: LINK, expiresAt: '2024-03-08T10:00:00.000Z' });
      await user.click(within(co).getByRole('button', { name: 'Send activation link' }));
      const input = (await within(co).findByRole('textbox')) as HTMLInputElement;

      await user.click(within(co).getByRole('button', { name: 'Copy' }));

      expect(await within(co).findByText(/the link is selected, press Ctrl\+C/)).toBeInTheDocument();
      expect(input).toHaveFocus();
      expect(input.selectionStart).toBe(0);
      expect(input.selectionEnd).toBe(LINK.length);
    });

    it('says why no link could be created', async () => {
      const { api, user } = setup();
      const co = await section();
      api.createActivationLink.mockRejectedValue(
        new ApiError(503, 'co_management_not_configured', 'Co-management is not configured: the operator must set ENTRA_CLIENT_SECRET.'),
      );
      await user.click(within(co).getByRole('button', { name: 'Send activation link' }));
      const alert = await within(co).findByRole('alert');
      expect(alert).toHaveTextContent('Co-management is not set up');
      expect(alert).toHaveTextContent('the operator must set ENTRA_CLIENT_SECRET');
      expect(within(co).queryByRole('textbox')).not.toBeInTheDocument();
    });
  });

  it('describes co-management changes in words', () => {
    const entry = (action: string, details: Record<string, unknown> = {}): AuditEntryView => ({
      id: 'x',
      at: '2024-01-01T10:00:00.000Z',
      actor: { tid: 't', oid: 'o', name: 'Pat' },
      action,
      customerId: 'c1',
      details,
    });
    expect(describeChange(entry('co_management.switched_off'))).toBe('Co-management switched off by the customer');
    expect(describeChange(entry('teams.operation_finished', { kind: 'assign', telephoneNumber: '+1212', state: 'failed', reason: 'No license' }))).toBe(
      'Assignment of +1212 failed: No license',
    );
    expect(describeChange(entry('teams.voice_routing_policy_set', { user: 'adele@x', from: null, to: 'US' }))).toBe(
      'Voice routing policy of adele@x: (none) → US',
    );
  });
});
