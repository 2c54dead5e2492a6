import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium, screenshot } from './support/chromium';
import { startPortal, type PortalProcess } from './support/portal-process';
import { watchCspViolations } from './support/csp-violations';

/**
 * Co-management in Chromium against the app as `npm start` runs it (with the
 * Microsoft simulator): the partner sends Contoso's activation link; Contoso's
 * administrator signs in, grants consent and allows co-management on the
 * activation page; the partner syncs Contoso, opens Manage, assigns a number to
 * a user (pending at Microsoft, then done), sees it on the Phone Numbers tab,
 * and a failing assignment shows Microsoft's reason. When the customer switches
 * co-management off, the partner's tab says so and Manage turns off.
 */
describe('co-management in a browser', () => {
  let portal: PortalProcess;
  let browser: Browser;
  let partnerContext: BrowserContext;
  let customerContext: BrowserContext;
  let partner: Page;
  let customer: Page;
  let activationLink = '';
  let cspViolations: string[] = [];

  beforeAll(async () => {
    // Microsoft takes a moment per assignment, as it does, so "pending" is seen.
    portal = await startPortal({ SIMULATOR_OPERATION_MS: '1500' });
    browser = await launchChromium();
    partnerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The customer's administrator is another person in another browser.
    customerContext = await browser.newContext({ viewport: { width: 1000, height: 1100 } });
    partnerContext.setDefaultTimeout(20_000);
    customerContext.setDefaultTimeout(20_000);
    partner = await partnerContext.newPage();
    customer = await customerContext.newPage();
    cspViolations = watchCspViolations(partnerContext, customerContext);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  const customersTable = () => partner.getByRole('table', { name: 'Customers' });
  const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });

  it('the partner creates the activation link from the customer\'s Details', async () => {
    await partner.goto(portal.url);
    await partner.getByRole('button', { name: 'Sign in' }).click();
    await customersTable().getByText('Contoso Ltd').click();
    // Not allowed yet: Manage is off.
    expect(await partner.getByRole('button', { name: 'Manage' }).isDisabled()).toBe(true);
    await partner.getByRole('button', { name: 'Details' }).click();
    await partner.getByRole('button', { name: 'Send activation link' }).click();
    const field = partner.getByLabel('Activation link for Contoso Ltd');
    await visible(field);
    activationLink = await field.inputValue();
    expect(activationLink).toMatch(/\/activate\.html#link=[\w-]{20,}$/);
    await screenshot(partner, 'co-01-activation-link');
    await partner.getByRole('button', { name: 'Close' }).first().click();
  }, 60_000);

  it("Contoso's administrator signs in, grants consent and allows co-management", async () => {
    await customer.goto(activationLink);
    await visible(customer.getByRole('heading', { name: /co-manage your Microsoft Teams phone service/ }));
    // The link's token leaves the address bar at once.
    expect(customer.url()).not.toContain('#link=');
    await screenshot(customer, 'co-02-activation-page');

    await customer.getByRole('button', { name: 'Sign in with Microsoft' }).click();
    await customer.getByRole('button', { name: /Adele Vance/ }).click();
    await visible(customer.getByText(/Signed in as/));
    await customer.getByRole('button', { name: 'Grant consent' }).click();
    await visible(customer.getByRole('heading', { name: 'Permissions requested' }));
    await customer.getByRole('button', { name: 'Accept' }).click();
    await visible(customer.getByText(/Consent granted by/));

    await customer.getByRole('switch', { name: 'Allow carrier to co-manage your service' }).click();
    await visible(customer.getByText(/Switched on by Adele Vance/));
    await screenshot(customer, 'co-03-allowed');
  }, 60_000);

  it('the partner syncs Contoso, opens Manage and assigns a number to a user', async () => {
    await partner.reload();
    await customersTable().getByText('Contoso Ltd').click();
    // Sync first: only synced numbers can be assigned.
    await partner.getByRole('button', { name: 'Sync' }).click();
    const sync = partner.getByRole('dialog');
    await sync.getByRole('button', { name: 'Sync' }).click();
    await sync.getByRole('table', { name: 'Numbers by status' }).waitFor({ timeout: 30_000 });
    await sync.getByRole('button', { name: 'Close' }).click();

    await partner.getByRole('button', { name: 'Manage' }).click();
    const users = partner.getByRole('table', { name: 'Users of Contoso Ltd' });
    await visible(users.getByText('Lee Gu'));
    await visible(users.getByRole('row').filter({ hasText: 'Alex Wilber' }).getByText('+12125550100'));
    await screenshot(partner, 'co-04-users');

    await users.getByRole('row').filter({ hasText: 'Lee Gu' }).click();
    await partner.getByRole('button', { name: 'Assign number', exact: true }).click();
    const dialog = partner.getByRole('dialog', { name: 'Assign a number to Lee Gu' });
    await dialog.getByRole('combobox', { name: 'Number' }).click();
    await partner.getByRole('option', { name: '+12125550101' }).click();
    await screenshot(partner, 'co-05-assign');
    await dialog.getByRole('button', { name: 'Assign' }).click();
    const lee = users.getByRole('row').filter({ hasText: 'Lee Gu' });
    await visible(lee.getByText(/Assigning \+12125550101/));
    await screenshot(partner, 'co-06-pending');
    await visible(lee.getByText('+12125550101', { exact: true }));
    await visible(partner.getByText('+12125550101 is assigned to Lee Gu.'));
  }, 90_000);

  it("an assignment Microsoft refuses shows Microsoft's reason", async () => {
    const users = partner.getByRole('table', { name: 'Users of Contoso Ltd' });
    await users.getByRole('row').filter({ hasText: 'Megan Bowen' }).click();
    await partner.getByRole('button', { name: 'Assign number', exact: true }).click();
    const dialog = partner.getByRole('dialog', { name: 'Assign a number to Megan Bowen' });
    await dialog.getByRole('combobox', { name: 'Number' }).click();
    await partner.getByRole('option', { name: '+12125550102' }).click();
    await dialog.getByRole('button', { name: 'Assign' }).click();
    await visible(partner.getByText(/could not be assigned to Megan Bowen: .*Teams Phone license/).first());
    await screenshot(partner, 'co-07-failed');
  }, 60_000);

  it('the Phone Numbers tab joins Microsoft and the portal, with what needs attention', async () => {
    await partner.getByRole('tab', { name: 'Phone Numbers' }).click();
    const numbers = partner.getByRole('table', { name: 'Phone numbers of Contoso Ltd in Teams' });
    await visible(numbers.getByRole('row').filter({ hasText: '+12125550101' }).getByText(/Lee Gu/));
    await visible(numbers.getByRole('row').filter({ hasText: '+12125550109' }).getByText(/not one of this customer's numbers/));
    await partner.getByRole('radio', { name: /Needs attention/ }).click();
    await visible(numbers.getByRole('row').filter({ hasText: '+12125550103' }).getByText(/not synced/));
    // Lee Gu has it now, as the backend routes it: nothing to look at.
    await numbers.getByRole('row').filter({ hasText: '+12125550101' }).waitFor({ state: 'detached' });
    await screenshot(partner, 'co-08-phone-numbers');
  }, 60_000);

  it('the customer switches co-management off: the partner is refused and Manage turns off', async () => {
    await customer.getByRole('switch', { name: 'Allow carrier to co-manage your service' }).click();
    await visible(customer.getByText(/Switched off by Adele Vance/));
    await partner.getByRole('tab', { name: 'Users' }).click();
    await visible(partner.getByText('Co-management is off'));
    expect(await partner.getByRole('button', { name: 'Assign number', exact: true }).isDisabled()).toBe(true);
    await screenshot(partner, 'co-09-switched-off');
    await partner.getByRole('button', { name: 'Close' }).first().click();
    await customersTable().getByText('Contoso Ltd').click();
    await partner.waitForFunction(() => {
      const manage = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Manage');
      return manage?.disabled === true || manage?.getAttribute('aria-disabled') === 'true';
    });
  }, 60_000);

  it('broke no rule of the Content-Security-Policy on the way', () => {
    expect(cspViolations).toEqual([]);
  });
});
