import type { Locator } from 'playwright-core';
import { screenshot } from './support/chromium';
import { portalSession } from './support/portal-session';

/**
 * Drift in Chromium against the app as `npm start` runs it: the demo's
 * Contoso holds a number its backend account does not (+12125550104). After a
 * sync, the customers table shows its drift with a warning, "Needs attention"
 * keeps only the customers that need a person, and Details lists the number
 * and why (where an alert's "Open in the portal" lands).
 */
describe('drift in a browser', () => {
  const session = portalSession();

  const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });
  const customers = () => session.page.getByRole('table', { name: 'Customers' });
  const rowOf = (name: string) => customers().getByRole('row').filter({ hasText: name });

  it('shows the drift a sync found in the customers table, and filters to the customers needing attention', async () => {
    await session.page.goto(session.portal.url);
    await session.page.getByRole('button', { name: 'Sign in' }).click();
    await visible(rowOf('Contoso Ltd'));
    // Before any sync nothing was compared.
    await visible(rowOf('Contoso Ltd').getByLabel('No sync yet'));

    await rowOf('Contoso Ltd').getByText('Contoso Ltd').click();
    await session.page.getByRole('button', { name: 'Sync' }).click();
    const dialog = session.page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Sync' }).click();
    await dialog.getByRole('table', { name: 'Numbers by status' }).waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The table is read again after the sync: one drifted number, with its warning.
    await visible(rowOf('Contoso Ltd').getByTitle('1 number drifted'));
    await screenshot(session.page, 'drift-01-customers');

    await session.page.getByRole('button', { name: 'Needs attention' }).click();
    await visible(customers().getByText('Contoso Ltd'));
    await expectGone(customers().getByText('Fabrikam Inc'));
    await screenshot(session.page, 'drift-02-needs-attention');
    await session.page.getByRole('button', { name: 'Needs attention' }).click();
    await visible(customers().getByText('Fabrikam Inc'));
  }, 90_000);

  it("lists the drifted number and why in the customer's Details", async () => {
    await rowOf('Contoso Ltd').getByText('Contoso Ltd').click();
    await session.page.getByRole('button', { name: 'Details' }).click();
    await visible(session.page.getByRole('heading', { name: 'Details: Contoso Ltd' }));
    const drifted = session.page.getByRole('table', { name: 'Drifted numbers' });
    const row = drifted.getByRole('row').filter({ hasText: '+12125550104' });
    await visible(row.getByText('In the portal, missing at the backend'));
    await visible(row.getByText('Needs to be added to portal (not in backend)'));
    await visible(session.page.getByText(/has not allowed co-management: Teams assignments were not compared/));
    await session.page.getByRole('heading', { name: 'Drift' }).scrollIntoViewIfNeeded();
    await screenshot(session.page, 'drift-03-details');
  }, 60_000);

  async function expectGone(locator: Locator) {
    await locator.waitFor({ state: 'detached' });
  }
});
