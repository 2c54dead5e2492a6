import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from './support/chromium';
import { startPortal, type PortalProcess } from './support/portal-process';
import { watchCspViolations } from './support/csp-violations';

const FATAL = "This number cannot be sync'ed automatically (backend reports fatal)";
const NOT_IN_BACKEND = 'Needs to be added to portal (not in backend)';

/**
 * The tab in headless Chromium against the app as `npm start` runs it: a
 * partner signs in, creates a customer whose backend account the simulator
 * has (litware-5000), pastes numbers, syncs, reads every status text, removes
 * one number with retain and one with delete, and searches the table.
 */
describe('the partner portal in a browser', () => {
  let portal: PortalProcess;
  let browser: Browser;
  let page: Page;
  let cspViolations: string[] = [];

  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    cspViolations = watchCspViolations(page);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  const customersTable = () => page.getByRole('table', { name: 'Customers' });
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });

  it('signs in with the local dev sign-in and shows the customers', async () => {
    await page.goto(portal.url);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screenshot(page, '01-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await customersTable().getByRole('row').nth(1).waitFor();
    await expectVisible(customersTable().getByText('Contoso Ltd'));
    await screenshot(page, '02-customers');
  }, 60_000);

  it('creates a customer', async () => {
    await page.getByRole('button', { name: 'New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New customer' });
    await dialog.getByLabel('Account ID').fill('litware-5000');
    await dialog.getByLabel('Office 365 Tenant Name').fill('litware.onmicrosoft.com');
    await dialog.getByLabel('Max Channels').fill('4');
    await dialog.getByLabel('Name', { exact: true }).fill('Litware Inc');
    await screenshot(page, '03-new-customer');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectVisible(customersTable().getByText('Litware Inc'));
  }, 60_000);

  it('adds pasted numbers and shows the outcome of every line', async () => {
    await customersTable().getByText('Litware Inc').click();
    await page.getByRole('button', { name: 'Phone Numbers' }).click();
    await page.getByRole('button', { name: 'Add' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Numbers').fill('+1 312 555 0140\n+1 (312) 555-0141, +1 312 555 0142; +13125550143\n12345');
    await dialog.getByRole('button', { name: 'Add' }).click();
    const outcome = dialog.getByRole('table', { name: 'Outcome of every line' });
    await outcome.waitFor();
    await expectVisible(outcome.getByRole('row').filter({ hasText: '+13125550143' }).first());
    await expectVisible(outcome.getByRole('row').filter({ hasText: '12345' }).filter({ hasText: /invalid|not valid|too short/i }));
    await screenshot(page, '04-add-numbers');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expectVisible(row('+13125550141'));
    await page.getByRole('button', { name: 'Close' }).click();
  }, 60_000);

  it('syncs the customer and shows every status text', async () => {
    await customersTable().getByText('Litware Inc').click();
    await page.getByRole('button', { name: 'Sync' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Sync' }).click();
    await dialog.getByRole('table', { name: 'Numbers by status' }).waitFor({ timeout: 30_000 });
    await expectVisible(dialog.getByRole('table', { name: 'Numbers that need attention' }).getByText('+13125550142'));
    await screenshot(page, '05-sync');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Phone Numbers' }).click();
    await expectVisible(row('+13125550140').getByText('Synced'));
    await expectVisible(row('+13125550141').getByText('Synced'));
    await expectVisible(row('+13125550142').getByText(FATAL));
    await expectVisible(row('+13125550143').getByText(NOT_IN_BACKEND));
    // The backend routed +13125550144 to Teams for this account: imported.
    await expectVisible(row('+13125550144').getByText('Synced'));
    await screenshot(page, '06-numbers-after-sync');
  }, 60_000);

  it('removes one number with retain and one with delete', async () => {
    await removeNumber('+13125550140', false);
    await removeNumber('+13125550141', true);
    await expectGone(row('+13125550140'));
    await expectGone(row('+13125550141'));
    await screenshot(page, '07-after-removals');
    await page.getByRole('button', { name: 'Close' }).click();
  }, 60_000);

  it('searches the customer table', async () => {
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('litware');
    await expectGone(customersTable().getByText('Contoso Ltd'));
    await expectVisible(customersTable().getByText('Litware Inc'));
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('9c8b7a');
    await expectVisible(customersTable().getByText('Fabrikam Inc'));
    await screenshot(page, '08-search');
    await customersTable().getByText('Fabrikam Inc').click();
    await page.getByRole('button', { name: 'Details' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Details: Fabrikam Inc' }));
    await expectVisible(page.getByText('9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49').locator('visible=true').first());
    await screenshot(page, '09-details');
  }, 60_000);

  it('broke no rule of the Content-Security-Policy on the way', () => {
    expect(cspViolations).toEqual([]);
  });

  async function removeNumber(e164: string, deleteFromBackend: boolean) {
    await row(e164).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Remove numbers' });
    if (deleteFromBackend) await dialog.getByRole('switch').check();
    await expectVisible(
      dialog.getByText(deleteFromBackend ? 'Delete the numbers from the backend' : 'Keep the numbers in the backend (only detach them)'),
    );
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }

  async function expectVisible(locator: ReturnType<Page['getByText']>) {
    await locator.waitFor({ state: 'visible', timeout: 15_000 });
  }

  async function expectGone(locator: ReturnType<Page['getByText']>) {
    await locator.waitFor({ state: 'detached', timeout: 15_000 });
  }

});
