import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium, screenshot } from './support/chromium';
import { startPortal, type PortalProcess } from './support/portal-process';

/**
 * Drift in Chromium against the app as `npm start` runs it: the demo's
 * Contoso holds a number its backend account does not (+12125550104). After a
 * sync, the customers table shows its drift with a warning, "Needs attention"
 * keeps only the customers that need a person, and Details lists the number
 * and why (where an alert's "Open in the portal" lands).
 */
describe('drift in a browser', () => {
  let portal: PortalProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(20_000);
    page = await context.newPage();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });
  const customers = () => page.getByRole('table', { name: 'Customers' });
  const rowOf = (name: string) => customers().getByRole('row').filter({ hasText: name });

  it('shows the drift a sync found in the customers table, and filters to the customers needing attention', async () => {
    await page.goto(portal.url);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(rowOf('Contoso Ltd'));
    // Before any sync nothing was compared.
    await visible(rowOf('Contoso Ltd').getByLabel('No sync yet'));

    await rowOf('Contoso Ltd').getByText('Contoso Ltd').click();
    await page.getByRole('button', { name: 'Sync' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Sync' }).click();
    await dialog.getByRole('table', { name: 'Numbers by status' }).waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The table is read again after the sync: one drifted number, with its warning.
    await visible(rowOf('Contoso Ltd').getByTitle('1 number drifted'));
    await screenshot(page, 'drift-01-customers');

    await page.getByRole('button', { name: 'Needs attention' }).click();
    await visible(customers().getByText('Contoso Ltd'));
    await expectGone(customers().getByText('Fabrikam Inc'));
    await screenshot(page, 'drift-02-needs-attention');
    await page.getByRole('button', { name: 'Needs attention' }).click();
    await visible(customers().getByText('Fabrikam Inc'));
  }, 90_000);

  it("lists the drifted number and why in the customer's Details", async () => {
    await rowOf('Contoso Ltd').getByText('Contoso Ltd').click();
    await page.getByRole('button', { name: 'Details' }).click();
    await visible(page.getByRole('heading', { name: 'Details: Contoso Ltd' }));
    const drifted = page.getByRole('table', { name: 'Drifted numbers' });
    const row = drifted.getByRole('row').filter({ hasText: '+12125550104' });
    await visible(row.getByText('In the portal, missing at the backend'));
    await visible(row.getByText('Needs to be added to portal (not in backend)'));
    await visible(page.getByText(/has not allowed co-management: Teams assignments were not compared/));
    await page.getByRole('heading', { name: 'Drift' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'drift-03-details');
  }, 60_000);

  async function expectGone(locator: Locator) {
    await locator.waitFor({ state: 'detached' });
  }
});
