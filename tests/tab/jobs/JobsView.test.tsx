import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { JobsView } from '../../../tab/src/jobs/JobsView';
import { jobView } from '../../support/views';
import { fakeApi, renderAs } from '../support/render';

describe('JobsView', () => {
  it('lists the recent jobs with what they are, their state, rows and result, and opens one with its failed rows', async () => {
    const api = fakeApi();
    const imported = jobView({
      id: 'job-2',
      kind: 'customers.import',
      customerId: null,
      customerLabel: null,
      fileName: 'customers.csv',
      state: 'done',
      total: 3,
      done: 3,
      successOutcomes: ['created'],
      inputLabel: 'Account ID',
      outcomes: { created: 2, 'duplicate-account-id': 1, 'duplicate-in-file': 0, invalid: 0 },
    });
    api.listJobs.mockResolvedValue({ items: [imported, jobView({ done: 600 })], total: 2, page: 1, pageSize: 25 });
    api.getJob.mockResolvedValue(imported);
    api.listJobRows.mockResolvedValue({
      items: [{ row: 3, line: 4, input: 'taken-1', outcome: 'duplicate-account-id', message: 'You already have a customer with Account ID taken-1' }],
      total: 1,
      page: 1,
      pageSize: 20,
    });
    renderAs('viewer', <JobsView api={api} jobPollMs={5} />);
    const table = await screen.findByRole('table', { name: 'Jobs' });
    const rows = within(table).getAllByRole('row').map((row) => row.textContent);
    expect(rows[1]).toMatch(/^Import customers from customers\.csvDone3 of 32 created, 1 Account ID already usedAnn Admin/);
    expect(rows[2]).toMatch(/^Add numbers to ContosoRunning600 of 1,200Nothing done yetAnn Admin/);

    const user = userEvent.setup();
    await user.click(within(table).getByRole('button', { name: 'Open Import customers from customers.csv' }));
    const dialog = await screen.findByRole('dialog', { name: 'Import customers from customers.csv' });
    const failed = await within(dialog).findByRole('table', { name: 'Rows that did not go through' });
    expect(within(failed).getAllByRole('row').map((row) => row.textContent)).toEqual([
      'LineAccount IDOutcomeReason',
      '4taken-1Account ID already usedYou already have a customer with Account ID taken-1',
    ]);
    expect(within(dialog).getByRole('button', { name: 'Download failed rows (1)' })).toBeInTheDocument();
    // A viewer cannot cancel, and this job has ended anyway.
    expect(within(dialog).queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
  });

  it('says when there are no jobs yet', async () => {
    const api = fakeApi();
    api.listJobs.mockResolvedValue({ items: [], total: 0, page: 1, pageSize: 25 });
    renderAs('viewer', <JobsView api={api} />);
    expect(await screen.findByText(/No jobs yet/)).toBeInTheDocument();
  });
});
