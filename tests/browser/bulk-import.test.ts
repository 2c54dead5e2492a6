import fs from 'node:fs';
import type { Locator } from 'playwright-core';
import { screenshot } from './support/chromium';
import { portalSession } from './support/portal-session';

/** `count` distinct valid NANP numbers from +1 646 300 0000 on. */
const numbersFrom = (start: number, count: number) =>
  Array.from({ length: count }, (_, i) => `+1646${String(3_000_000 + start + i).padStart(7, '0')}`);

/**
 * A bulk import in Chromium against the app as `npm start` runs it: the
 * Admin opens Contoso's Phone Numbers, imports a CSV file of 1,502 rows
 * (1,500 new numbers, one Contoso has already, one that is no number), sees
 * the dry run, imports, watches the job finish, downloads the failed rows,
 * finds the job in Jobs, and exports the numbers.
 */
describe('importing numbers from a CSV file in a browser', () => {
  const session = portalSession({ acceptDownloads: true });

  const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });
  const file = ['Site;Phone Number', ...numbersFrom(0, 1500).map((n, i) => `Office ${i};${n}`), 'Main;+1 212 555 0100', 'Fax;12345', ''].join(
    '\r\n',
  );

  it('checks the file with a dry run, imports it as a job, and offers the failed rows as CSV', async () => {
    await session.page.goto(session.portal.url);
    await session.page.getByRole('button', { name: 'Sign in' }).click();
    await session.page.getByRole('table', { name: 'Customers' }).getByText('Contoso Ltd').click();
    await session.page.getByRole('button', { name: 'Phone Numbers' }).click();
    await visible(session.page.getByRole('table', { name: 'Phone numbers of Contoso Ltd' }).getByText('+12125550100'));

    await session.page.getByRole('button', { name: 'Import' }).click();
    const dialog = session.page.getByRole('dialog', { name: 'Import numbers to Contoso Ltd' });
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'contoso-numbers.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await visible(dialog.getByText('1,502 rows. If you import now: 1,500 added, 1 already present, 1 invalid.'));
    await visible(dialog.getByText('Columns not imported: Site.'));
    await visible(dialog.getByRole('table', { name: 'Rows that would not be imported' }).getByRole('cell', { name: '12345' }));
    await screenshot(session.page, 'bulk-01-dry-run');

    await dialog.getByRole('button', { name: 'Import 1,502 rows' }).click();
    await visible(dialog.getByText('The 1,502 rows of contoso-numbers.csv are imported by a job, in batches.'));
    await visible(dialog.getByRole('progressbar'));
    await visible(dialog.getByText('1,502 of 1,502 rows'));
    await visible(dialog.getByText('1,500 added, 1 already present, 1 invalid'));
    await screenshot(session.page, 'bulk-02-done');

    const [download] = await Promise.all([session.page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download failed rows (2)' }).click()]);
    expect(download.suggestedFilename()).toBe('contoso-numbers-failed-rows.csv');
    const saved = fs.readFileSync((await download.path())!, 'utf8');
    const lines = saved.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('Number,Outcome,Message,Line,Row');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual(["'+1 212 555 0100,already-present", '12345,invalid']);
    expect(lines[2]).toMatch(/,1503,1502$/);

    await dialog.getByRole('button', { name: 'Done' }).click();
    // The list has the numbers now.
    await visible(session.page.getByText(/Phone Numbers of Contoso Ltd \(1,50\d numbers\)/));
  }, 120_000);

  it('lists the import in Jobs, and exports the numbers as CSV', async () => {
    const [exported] = await Promise.all([session.page.waitForEvent('download'), session.page.getByRole('button', { name: 'Export' }).click()]);
    expect(exported.suggestedFilename()).toMatch(/^numbers-.+\.csv$/);
    const rows = fs.readFileSync((await exported.path())!, 'utf8').trimEnd().split('\r\n');
    expect(rows.length).toBeGreaterThan(1501);
    expect(rows).toContain(rows.find((row) => row.startsWith(`'${numbersFrom(0, 1)[0]},pending,`)));

    await session.page.getByRole('tab', { name: 'Jobs' }).click();
    const jobs = session.page.getByRole('table', { name: 'Jobs' });
    await visible(jobs.getByRole('row', { name: /Import numbers to Contoso Ltd from contoso-numbers\.csv\s*Done\s*1,502 of 1,502/ }));
    await screenshot(session.page, 'bulk-03-jobs');
  }, 60_000);
});
