import type { Locator } from 'playwright-core';
import { screenshot } from './support/chromium';
import { portalSession } from './support/portal-session';

/**
 * Scheduled sync in Chromium against the app as `npm start` runs it: the
 * Admin gives Contoso a daily schedule in its Details, sets the partner
 * default in Members, and sees another customer follow the default.
 */
describe('scheduled sync in a browser', () => {
  const session = portalSession({ timezoneId: 'Europe/Berlin', locale: 'en-GB' });

  const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });

  async function openDetails(customer: string) {
    await session.page.getByRole('tab', { name: 'Customers' }).click();
    await session.page.getByRole('table', { name: 'Customers' }).getByText(customer).click();
    await session.page.getByRole('button', { name: 'Details' }).click();
    await visible(session.page.getByRole('heading', { name: `Details: ${customer}` }));
  }

  it('sets a customer a daily schedule in its time zone and shows the next run', async () => {
    await session.page.goto(session.portal.url);
    await session.page.getByRole('button', { name: 'Sign in' }).click();
    await openDetails('Contoso Ltd');
    const form = session.page.getByRole('form', { name: 'Change the scheduled sync' });
    await visible(session.page.getByText('Off (partner default) · no run scheduled'));
    await form.getByRole('combobox', { name: 'Scheduled sync' }).selectOption('daily');
    await form.getByLabel('At').fill('02:30');
    // The browser's own time zone is offered first.
    expect(await form.getByRole('combobox', { name: 'Time zone' }).inputValue()).toBe('Europe/Berlin');
    await form.getByRole('button', { name: 'Save schedule' }).click();
    await visible(session.page.getByText('Schedule saved.'));
    await visible(session.page.getByText(/Every day at 02:30 \(Europe\/Berlin\) · next run .*02:30/));
    await screenshot(session.page, 'schedule-01-daily');

    // A cron expression closer than 15 minutes is refused at its field.
    await form.getByRole('combobox', { name: 'Scheduled sync' }).selectOption('cron');
    await form.getByLabel('Cron expression').fill('*/5 * * * *');
    await form.getByRole('button', { name: 'Save schedule' }).click();
    await visible(session.page.getByText(/at most every 15 minutes/).first());
    await screenshot(session.page, 'schedule-02-refused');
  }, 90_000);

  it('sets the partner default in Members, which a customer without its own follows', async () => {
    await session.page.getByRole('tab', { name: 'Members' }).click();
    const section = session.page.getByRole('region', { name: 'Default sync schedule' });
    await section.getByRole('combobox', { name: 'Scheduled sync' }).selectOption('hourly');
    await section.getByLabel('At minute').fill('20');
    await section.getByRole('button', { name: 'Save schedule' }).click();
    await visible(section.getByText('Default schedule saved.'));
    await visible(section.getByText(/Customers without a schedule of their own: Every hour at :20 · next run/));
    await screenshot(session.page, 'schedule-03-default');

    await openDetails('Fabrikam Inc');
    await visible(session.page.getByText(/Every hour at :20 \(partner default\) · next run/));
  }, 90_000);
});
