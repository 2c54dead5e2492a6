import type { Page } from 'playwright-core';
import { screenshot } from './support/chromium';
import { portalSession } from './support/portal-session';

const QUEUED = 'A sync was already running; your change will be applied by the next sync, which starts when it ends.';

/**
 * The trust issue as a partner meets it in the tab: another partner's backend
 * account is refused at its field, the form keeping what was typed; and two
 * removals back to back (delete, then retain) and a Sync press while the first
 * clean-up sync runs are applied by the one sync queued behind it. The backend
 * answers slowly (SIMULATOR_LATENCY_MS), so the first sync is still under way.
 */
describe('the tab: backend accounts of the partner only, and every confirmed change applied', () => {
  const session = portalSession({}, { SIMULATOR_LATENCY_MS: '800' });
  let page: Page;
  beforeAll(async () => {
    page = session.page;
    await page.goto(session.portal.url);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await customersTable().getByText('Contoso Ltd').waitFor();
  });

  const customersTable = () => page.getByRole('table', { name: 'Customers' });
  const row = (text: string) => page.getByRole('row').filter({ hasText: text });

  it("refuses the second demo partner's account at the Account ID field, keeping the form as typed", async () => {
    await page.getByRole('button', { name: 'New' }).click();
    const dialog = page.getByRole('dialog', { name: 'New customer' });
    await dialog.getByLabel('Account ID').fill('woodgrove-1');
    await dialog.getByLabel('Office 365 Tenant Name').fill('woodgrovebank.com');
    await dialog.getByLabel('Max Channels').fill('2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText("is not an account under your reseller account on the carrier's backend").waitFor();
    expect(await dialog.getByLabel('Account ID').inputValue()).toBe('woodgrove-1');
    expect(await dialog.getByLabel('Office 365 Tenant Name').inputValue()).toBe('woodgrovebank.com');
    await screenshot(page, 'trust-account-of-another-partner');
    // One of the partner's own accounts is taken as it is.
    await dialog.getByLabel('Account ID').fill('acme-01');
    await dialog.getByLabel('Office 365 Tenant Name').fill('acme.onmicrosoft.com');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await customersTable().getByText('acme-01').waitFor();
  });

  it('applies a retained removal made while the delete clean-up runs, through the one sync queued behind it', async () => {
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('contoso');
    await customersTable().getByText('Contoso Ltd').click();
    await page.getByRole('button', { name: 'Phone Numbers' }).click();
    await removeNumber('+12125550100', true);
    await page.getByText('The backend clean-up sync has started.').waitFor();
    await removeNumber('+12125550101', false);
    await page.getByText(QUEUED).waitFor();
    await screenshot(page, 'trust-removal-queued');

    // Sync is pressed in Customers, with Contoso selected, while the first clean-up still runs.
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('table', { name: 'Customers' }).waitFor();
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Sync', exact: true }).click();
    await dialog.getByText(QUEUED).waitFor();
    await screenshot(page, 'trust-sync-queued');
    // The dialog follows the queued run to its end.
    await dialog.getByRole('table', { name: 'Numbers by status' }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'trust-sync-queued-done');
    // Gone before the list's Sync is pressed: while it closes, its own Sync is the only one a user (or the test) can reach.
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    // A further sync brings neither number back.
    await page.getByRole('button', { name: 'Sync', exact: true }).click();
    const again = page.getByRole('dialog');
    await again.getByRole('button', { name: 'Sync', exact: true }).click();
    await again.getByRole('table', { name: 'Numbers by status' }).waitFor({ timeout: 60_000 });
    await again.getByRole('button', { name: 'Close' }).click();
    await again.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Phone Numbers' }).click();
    await row('+12125550102').waitFor();
    expect(await row('+12125550100').count()).toBe(0);
    expect(await row('+12125550101').count()).toBe(0);
  }, 120_000);

  async function removeNumber(e164: string, deleteFromBackend: boolean) {
    await row(e164).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Remove numbers' });
    if (deleteFromBackend) await dialog.getByRole('switch').check();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
});
