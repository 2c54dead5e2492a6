import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { act } from 'react';
import { ApiError, type CustomerView } from '../../../tab/src/api/portal-api';
import { App } from '../../../tab/src/app/App';
import type { Host, ThemeName } from '../../../tab/src/app/teams-host';
import { customerView, memberView, meView, teamsNumberView, teamsUserView } from '../../support/views';
import { fakeApi } from '../support/render';

const contoso: CustomerView = customerView();

function host(theme: ThemeName): Host & { change(theme: ThemeName): void } {
  let listener: (theme: ThemeName) => void = () => undefined;
  return {
    inTeams: true,
    theme,
    onThemeChange: (l) => {
      listener = l;
    },
    change: (next) => listener(next),
  };
}

describe('App', () => {
  it('opens on the Customers tab of the left-hand menu', async () => {
    const api = fakeApi();
    api.listCustomers.mockResolvedValue({ items: [contoso], total: 1, page: 1, pageSize: 25 });
    render(<App api={api} host={host('default')} />);
    const menu = await screen.findByRole('navigation', { name: 'Portal menu' });
    // /me answers after the menu shows (a loaded machine may take a while).
    await waitFor(() => expect(within(menu).getByRole('group', { name: 'Signed in' })).toHaveTextContent('Northwind TelecomAnn Admin · Admin'));
    expect(screen.getByRole('tab', { name: 'Customers' })).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByText('Contoso Ltd')).toBeInTheDocument();
  });

  it('follows the theme Teams reports, also when it changes', async () => {
    const api = fakeApi();
    api.listCustomers.mockResolvedValue({ items: [], total: 0, page: 1, pageSize: 25 });
    const teams = host('dark');
    const { container } = render(<App api={api} host={teams} />);
    await screen.findByText('No customers yet. Press New to create one.');
    const provider = container.firstElementChild as HTMLElement;
    const providerClass = [...provider.classList].find((c) => /^fui-FluentProvider.+/.test(c))!;
    // FluentProvider writes its theme as CSS variables in a style rule for its own class.
    const background = () => {
      const sheet = (document.getElementById(providerClass) as HTMLStyleElement).sheet!;
      const css = [...sheet.cssRules].map((rule) => rule.cssText).join('\n');
      return /--colorNeutralBackground1:\s*([^;]+);/.exec(css)?.[1];
    };
    expect(background()).toBe('#292929');
    act(() => teams.change('default'));
    expect(background()).toBe('#ffffff');
    act(() => teams.change('contrast'));
    expect(background()).toBe('#000000');
  });

  it("opens the Details of the customer a deep link names (an alert's \"Open in the portal\")", async () => {
    const api = fakeApi();
    api.listCustomers.mockResolvedValue({ items: [contoso], total: 1, page: 1, pageSize: 25 });
    // Never answers: the test looks only at which customer is read.
    api.getCustomer.mockReturnValue(new Promise(() => undefined));
    render(<App api={api} host={{ ...host('default'), openCustomerId: '0123456789abcdef01234567' }} />);
    await waitFor(() => expect(api.getCustomer).toHaveBeenCalledWith('0123456789abcdef01234567'));
  });

  it('goes to the phone numbers of a customer and back with Close', async () => {
    const user = userEvent.setup();
    const api = fakeApi();
    api.listCustomers.mockResolvedValue({ items: [contoso], total: 1, page: 1, pageSize: 25 });
    api.listNumbers.mockResolvedValue({ items: [], total: 0, page: 1, pageSize: 50 });
    render(<App api={api} host={host('default')} />);
    await user.click(await screen.findByText('Contoso Ltd'));
    await user.click(screen.getByRole('button', { name: 'Phone Numbers' }));
    expect(await screen.findByRole('heading', { name: /Phone Numbers of Contoso Ltd/ })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(await screen.findByRole('table', { name: 'Customers' })).toBeInTheDocument();
  });

  describe('Manage', () => {
    const fabrikam = customerView({ id: 'c2', accountId: 'acct-2', name: 'Fabrikam', canManage: true, customerTenantId: 'tid-2' });
    const adatum = customerView({ id: 'c3', accountId: 'acct-3', name: 'Adatum', canManage: true, customerTenantId: 'tid-3' });

    function setup() {
      const user = userEvent.setup();
      const api = fakeApi();
      api.listCustomers.mockResolvedValue({ items: [contoso, fabrikam, adatum], total: 3, page: 1, pageSize: 25 });
      api.listTeamsUsers.mockImplementation((customerId) =>
        Promise.resolve({
          items: [teamsUserView({ displayName: customerId === 'c2' ? 'Fabrikam Admin' : 'Adatum Admin' })],
          total: 1,
          page: 1,
          pageSize: 25,
        }),
      );
      api.listTeamsNumbers.mockResolvedValue({ items: [teamsNumberView()], total: 1, page: 1, pageSize: 50, attentionCount: 0 });
      render(<App api={api} host={host('default')} />);
      return { api, user };
    }

    const menu = () => screen.getByRole('navigation', { name: 'Portal menu' });

    async function manage(user: ReturnType<typeof userEvent.setup>, name: string) {
      await user.click(await screen.findByRole('tab', { name: 'Customers' }));
      await user.click(await screen.findByText(name));
      await user.click(screen.getByRole('button', { name: 'Manage' }));
    }

    it("opens the customer's Users and Phone Numbers tabs, Users first", async () => {
      const { api, user } = setup();
      await screen.findByText('Contoso Ltd');
      expect(within(menu()).queryByRole('tab', { name: 'Users' })).not.toBeInTheDocument();

      await manage(user, 'Fabrikam');

      expect(await screen.findByRole('heading', { name: /Users of Fabrikam/ })).toBeInTheDocument();
      expect(api.listTeamsUsers).toHaveBeenCalledWith('c2', { page: 1, pageSize: 25 });
      const group = within(menu()).getByRole('tablist', { name: 'Fabrikam' });
      expect(within(group).getAllByRole('tab')).toEqual([
        within(group).getByRole('tab', { name: 'Users' }),
        within(group).getByRole('tab', { name: 'Phone Numbers' }),
      ]);
      expect(within(group).getByRole('tab', { name: 'Users' })).toHaveAttribute('aria-selected', 'true');
      expect(within(menu()).getByRole('tab', { name: 'Customers' })).toHaveAttribute('aria-selected', 'false');
      expect(await screen.findByText('Fabrikam Admin')).toBeInTheDocument();

      await user.click(within(group).getByRole('tab', { name: 'Phone Numbers' }));
      expect(await screen.findByRole('heading', { name: /Phone Numbers of Fabrikam in Teams/ })).toBeInTheDocument();
      expect(api.listTeamsNumbers).toHaveBeenCalledWith('c2', { view: 'all', page: 1, pageSize: 50 });
      expect(within(group).getByRole('tab', { name: 'Phone Numbers' })).toHaveAttribute('aria-selected', 'true');

      // The tabs stay while the partner goes back to Customers.
      await user.click(within(menu()).getByRole('tab', { name: 'Customers' }));
      expect(await screen.findByRole('table', { name: 'Customers' })).toBeInTheDocument();
      expect(within(menu()).getByRole('tab', { name: 'Users' })).toBeInTheDocument();
      await user.click(within(menu()).getByRole('tab', { name: 'Users' }));
      expect(await screen.findByRole('heading', { name: /Users of Fabrikam/ })).toBeInTheDocument();
    });

    it('reads Microsoft again when a managed tab is shown again, so it is never stale', async () => {
      const { api, user } = setup();
      await manage(user, 'Fabrikam');
      await screen.findByText('Fabrikam Admin');
      const group = within(menu()).getByRole('tablist', { name: 'Fabrikam' });
      await user.click(within(group).getByRole('tab', { name: 'Phone Numbers' }));
      await waitFor(() => expect(api.listTeamsNumbers).toHaveBeenCalledTimes(1));
      const usersReads = api.listTeamsUsers.mock.calls.length;
      await user.click(within(group).getByRole('tab', { name: 'Users' }));
      await waitFor(() => expect(api.listTeamsUsers.mock.calls.length).toBe(usersReads + 1));
      await user.click(within(group).getByRole('tab', { name: 'Phone Numbers' }));
      await waitFor(() => expect(api.listTeamsNumbers).toHaveBeenCalledTimes(2));
    });

    it("another customer's Manage replaces the tabs", async () => {
      const { user } = setup();
      await screen.findByText('Contoso Ltd');
      await manage(user, 'Fabrikam');
      await screen.findByText('Fabrikam Admin');
      await manage(user, 'Adatum');

      expect(await screen.findByRole('heading', { name: /Users of Adatum/ })).toBeInTheDocument();
      expect(await screen.findByText('Adatum Admin')).toBeInTheDocument();
      expect(within(menu()).queryByRole('tablist', { name: 'Fabrikam' })).not.toBeInTheDocument();
      expect(within(menu()).getByRole('tablist', { name: 'Adatum' })).toBeInTheDocument();
      expect(within(menu()).getAllByRole('tab', { name: 'Users' })).toHaveLength(1);
    });

    it('Close returns to Customers and removes the tabs', async () => {
      const { user } = setup();
      await screen.findByText('Contoso Ltd');
      await manage(user, 'Fabrikam');
      await screen.findByText('Fabrikam Admin');

      await user.click(screen.getByRole('button', { name: 'Close' }));
      expect(await screen.findByRole('table', { name: 'Customers' })).toBeInTheDocument();
      expect(within(menu()).queryByRole('tab', { name: 'Users' })).not.toBeInTheDocument();
      expect(within(menu()).queryByRole('tab', { name: 'Phone Numbers' })).not.toBeInTheDocument();
      expect(within(menu()).getByRole('tab', { name: 'Customers' })).toHaveAttribute('aria-selected', 'true');
    });

    it('reads the customers again when the customer switches co-management off, so Manage turns off', async () => {
      const { api, user } = setup();
      await screen.findByText('Contoso Ltd');
      await manage(user, 'Fabrikam');
      await screen.findByText('Fabrikam Admin');

      api.listCustomers.mockClear();
      api.listCustomers.mockResolvedValue({
        items: [contoso, { ...fabrikam, canManage: false }, adatum],
        total: 3,
        page: 1,
        pageSize: 25,
      });
      api.listAssignableNumbers.mockRejectedValue(new ApiError(403, 'co_management_off', 'Fabrikam switched co-management off on 2026-01-05.'));
      await user.click(screen.getByRole('radio', { name: 'Select Fabrikam Admin' }));
      await user.click(screen.getByRole('button', { name: 'Assign number' }));

      expect(await screen.findByText(/Fabrikam switched co-management off on 2026-01-05/)).toBeInTheDocument();
      await waitFor(() => expect(api.listCustomers).toHaveBeenCalledTimes(1));

      await user.click(within(menu()).getByRole('tab', { name: 'Customers' }));
      await screen.findByRole('table', { name: 'Customers' });
      // Fabrikam is still selected, and Manage is off now.
      await waitFor(() => expect(screen.getByRole('button', { name: 'Manage' })).toBeDisabled());
    });
  });

  describe('roles', () => {
    const customers = { items: [contoso], total: 1, page: 1, pageSize: 25 };
    const menu = () => screen.getByRole('navigation', { name: 'Portal menu' });

    it('shows a Viewer their role and no New, Sync or Members', async () => {
      const api = fakeApi();
      api.me.mockResolvedValue(meView('viewer', { name: 'Victor Viewer' }));
      api.listCustomers.mockResolvedValue(customers);
      render(<App api={api} host={host('default')} />);
      await screen.findByText('Contoso Ltd');
      expect(within(menu()).getByRole('group', { name: 'Signed in' })).toHaveTextContent('Victor Viewer · Viewer');
      expect(within(menu()).queryByRole('tab', { name: 'Members' })).not.toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'New' })).not.toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Sync' })).not.toBeInTheDocument();
      // Reading stays: Details, Phone Numbers and Manage (the Teams users are read-only for a Viewer).
      for (const name of ['Details', 'Phone Numbers', 'Manage']) expect(screen.getByRole('button', { name })).toBeInTheDocument();
    });

    it('opens Members from the menu for an Admin', async () => {
      const user = userEvent.setup();
      const api = fakeApi();
      api.listCustomers.mockResolvedValue(customers);
      api.listMembers.mockResolvedValue({ items: [memberView(), memberView({ oid: 'v1', name: 'Victor Viewer', role: 'viewer' })] });
      api.getSettings.mockResolvedValue({ newMembers: 'viewer' });
      render(<App api={api} host={host('default')} />);
      await user.click(await within(await screen.findByRole('navigation', { name: 'Portal menu' })).findByRole('tab', { name: 'Members' }));
      expect(await screen.findByRole('heading', { name: 'Members of Northwind Telecom (2 members)' })).toBeInTheDocument();
      expect(within(menu()).getByRole('tab', { name: 'Members' })).toHaveAttribute('aria-selected', 'true');
      expect(screen.getByRole('row', { name: /Victor Viewer/ })).toHaveTextContent('Viewer');
    });

    it('reads the role again when the API refuses a call for it, and hides what no longer works', async () => {
      const user = userEvent.setup();
      const api = fakeApi();
      let refused: () => void = () => undefined;
      api.onRoleRefused.mockImplementation((listener: () => void) => {
        refused = listener;
        return () => undefined;
      });
      api.listCustomers.mockResolvedValue(customers);
      api.listMembers.mockResolvedValue({ items: [memberView()] });
      api.getSettings.mockResolvedValue({ newMembers: 'viewer' });
      api.me.mockResolvedValueOnce(meView('admin')).mockResolvedValue(meView('viewer'));
      render(<App api={api} host={host('default')} />);
      await user.click(await screen.findByRole('tab', { name: 'Members' }));
      await screen.findByRole('heading', { name: /Members of Northwind Telecom/ });
      expect(api.me).toHaveBeenCalledTimes(1);

      act(() => refused());
      await waitFor(() => expect(within(menu()).queryByRole('tab', { name: 'Members' })).not.toBeInTheDocument());
      expect(api.me).toHaveBeenCalledTimes(2);
      // Back on Customers, as a Viewer now.
      expect(within(menu()).getByRole('tab', { name: 'Customers' })).toHaveAttribute('aria-selected', 'true');
      expect(within(menu()).getByRole('group', { name: 'Signed in' })).toHaveTextContent('· Viewer');
      expect(screen.queryByRole('button', { name: 'New' })).not.toBeInTheDocument();
    });

    it('says what to do when the user is not a member, with no menu', async () => {
      const api = fakeApi();
      api.me.mockRejectedValue(new ApiError(403, 'not_a_member', 'Ask an admin of Northwind Telecom for access.'));
      const onSignOut = jest.fn();
      const user = userEvent.setup();
      render(<App api={api} host={host('default')} onSignOut={onSignOut} />);
      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent('No access yet');
      expect(alert).toHaveTextContent('Ask an admin of Northwind Telecom for access.');
      expect(screen.queryByRole('navigation', { name: 'Portal menu' })).not.toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Sign out' }));
      expect(onSignOut).toHaveBeenCalled();
    });
  });
});
