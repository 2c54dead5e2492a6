import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium, screenshot } from './support/chromium';
import { startPortal, type PortalProcess } from './support/portal-process';

const OLIVIA = 'Olivia Operator (demo)';
const ROLE_REFUSAL = /This needs the Operator role; you are a Viewer of Northwind Telecom \(demo partner\)\. Ask an admin of Northwind Telecom \(demo partner\) for access\./;

/**
 * Roles in Chromium against the app as `npm start` runs it: Olivia, an
 * Operator of the demo partner, has Contoso's Phone Numbers open with Remove;
 * the Admin makes her a Viewer in Members; her next Remove is refused with the
 * role's sentence and the button goes; signed in again she sees no Add or
 * Remove; and the API refuses the removal with her token, removing nothing.
 */
describe('roles in a browser', () => {
  let portal: PortalProcess;
  let browser: Browser;
  let adminContext: BrowserContext;
  let oliviaContext: BrowserContext;
  let admin: Page;
  let olivia: Page;

  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchChromium();
    // Two people, two browsers.
    adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    oliviaContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    adminContext.setDefaultTimeout(20_000);
    oliviaContext.setDefaultTimeout(20_000);
    admin = await adminContext.newPage();
    olivia = await oliviaContext.newPage();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });
  const signedIn = (page: Page) => page.getByRole('group', { name: 'Signed in' });

  async function signInAsOlivia() {
    await olivia.goto(portal.url);
    await olivia.getByLabel('Sign in as').selectOption({ label: `${OLIVIA} (Operator)` });
    await olivia.getByRole('button', { name: 'Sign in' }).click();
  }

  async function openContosoNumbers(page: Page, { selectable = true } = {}) {
    await page.getByRole('table', { name: 'Customers' }).getByText('Contoso Ltd').click();
    await page.getByRole('button', { name: 'Phone Numbers' }).click();
    const numbers = page.getByRole('table', { name: 'Phone numbers of Contoso Ltd' });
    await visible(selectable ? numbers.getByRole('checkbox', { name: 'Select +12125550100' }) : numbers.getByText('+12125550100'));
  }

  it('Olivia, an Operator, has the Phone Numbers of Contoso open with Add and Remove', async () => {
    await signInAsOlivia();
    await visible(signedIn(olivia).getByText(`${OLIVIA} · Operator`));
    await openContosoNumbers(olivia);
    expect(await olivia.getByRole('button', { name: 'Add' }).count()).toBe(1);
    expect(await olivia.getByRole('button', { name: 'Remove' }).count()).toBe(1);
    // No Members for an Operator.
    expect(await olivia.getByRole('tab', { name: 'Members' }).count()).toBe(0);
  }, 60_000);

  it('the Admin makes Olivia a Viewer in Members', async () => {
    await admin.goto(portal.url);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await visible(signedIn(admin).getByText('Local developer · Admin'));
    await admin.getByRole('tab', { name: 'Members' }).click();
    const members = admin.getByRole('table', { name: /Members of Northwind Telecom/ });
    const oliviaRow = members.getByRole('row', { name: /Olivia Operator/ });
    await visible(oliviaRow.getByRole('cell', { name: 'Operator', exact: true }));
    await members.getByRole('radio', { name: `Select ${OLIVIA}` }).click();
    await admin.getByRole('button', { name: 'Change role' }).click();
    const dialog = admin.getByRole('dialog', { name: `Change role of ${OLIVIA}` });
    await dialog.getByRole('radio', { name: /^Viewer:/ }).click();
    await screenshot(admin, 'roles-01-change-role');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await visible(admin.getByText(`${OLIVIA} is now Viewer, from their next request.`));
    await visible(oliviaRow.getByRole('cell', { name: 'Viewer', exact: true }));
    await screenshot(admin, 'roles-02-members');
  }, 60_000);

  it("Olivia's next Remove is refused with the role's sentence, and Remove and Add go", async () => {
    await olivia.getByRole('checkbox', { name: 'Select +12125550100' }).click();
    await olivia.getByRole('button', { name: 'Remove' }).click();
    const dialog = olivia.getByRole('alertdialog', { name: 'Remove numbers' });
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await visible(dialog.getByText(ROLE_REFUSAL));
    await screenshot(olivia, 'roles-03-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await visible(signedIn(olivia).getByText(`${OLIVIA} · Viewer`));
    expect(await olivia.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await olivia.getByRole('button', { name: 'Add' }).count()).toBe(0);
    // Nothing was removed.
    await visible(olivia.getByRole('table', { name: 'Phone numbers of Contoso Ltd' }).getByText('+12125550100'));
  }, 60_000);

  it('signed in again, the Viewer sees no New, Sync, Add or Remove', async () => {
    await olivia.reload();
    await visible(signedIn(olivia).getByText(`${OLIVIA} · Viewer`));
    await visible(olivia.getByRole('table', { name: 'Customers' }).getByText('Contoso Ltd'));
    expect(await olivia.getByRole('button', { name: 'New' }).count()).toBe(0);
    expect(await olivia.getByRole('button', { name: 'Sync' }).count()).toBe(0);
    await openContosoNumbers(olivia, { selectable: false });
    expect(await olivia.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await olivia.getByRole('button', { name: 'Add' }).count()).toBe(0);
    // Nothing to select for: no checkboxes.
    expect(await olivia.getByRole('checkbox', { name: 'Select +12125550100' }).count()).toBe(0);
    await screenshot(olivia, 'roles-04-viewer-numbers');
  }, 60_000);

  it("the API refuses the removal with the Viewer's token and removes nothing", async () => {
    // The few fields of the answers the test reads.
    type Answer = {
      items: { id: string; name: string; tenantId: string; e164: string }[];
      token: string;
      error: { code: string; message: string; details: unknown };
    };
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const response = await fetch(`${portal.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Answer };
    };
    const partners = await call('GET', '/api/v1/dev/partners');
    const tenantId = partners.body.items.find((p) => p.name.startsWith('Northwind'))!.tenantId;
    const { token } = (await call('POST', '/api/v1/dev/token', undefined, { tenantId, userId: 'demo-operator' })).body;
    const customers = await call('GET', '/api/v1/customers?search=Contoso', token);
    const contoso = customers.body.items[0]!.id;

    const refused = await call('POST', `/api/v1/customers/${contoso}/numbers/remove`, token, { numbers: ['+12125550100'], mode: 'retain' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'role_required', details: { requiredRole: 'operator', role: 'viewer' } });
    expect(refused.body.error.message).toMatch(ROLE_REFUSAL);
    const numbers = await call('GET', `/api/v1/customers/${contoso}/numbers?search=5550100`, token);
    expect(numbers.body.items.map((n) => n.e164)).toEqual(['+12125550100']);
  }, 30_000);
});
