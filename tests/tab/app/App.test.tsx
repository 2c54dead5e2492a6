import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { act } from 'react';
import type { CustomerView } from '../../../tab/src/api/portal-api';
import { App } from '../../../tab/src/app/App';
import type { Host, ThemeName } from '../../../tab/src/app/teams-host';
import { customerView } from '../../support/views';
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
    render(<App api={api} host={host('default')} partnerLabel="Northwind Telecom" />);
    const menu = screen.getByRole('navigation', { name: 'Portal menu' });
    expect(menu).toHaveTextContent('Northwind Telecom');
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
});
