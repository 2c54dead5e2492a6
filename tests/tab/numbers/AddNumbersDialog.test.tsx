import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type AddNumbersResult, type CustomerView } from '../../../tab/src/api/portal-api';
import { AddNumbersDialog } from '../../../tab/src/numbers/AddNumbersDialog';
import { jobView } from '../../support/views';
import { fakeApi, renderAs, renderInFluent } from '../support/render';

const customer = { id: 'c1', accountId: 'ACME-1', name: 'Acme' } as CustomerView;

const everyOutcome: AddNumbersResult = {
  results: [
    { input: '+1 555 010 0001', e164: '+15550100001', outcome: 'added' },
    { input: '+1 555 010 0002', e164: '+15550100002', outcome: 'added' },
    { input: '5550100003', e164: '+15550100003', outcome: 'already-present', reason: 'already on this customer' },
    { input: '+1 555 010 0004', e164: '+15550100004', outcome: 'owned-elsewhere', reason: 'another customer has this number' },
    { input: '12', outcome: 'invalid', reason: 'too short to be a phone number' },
  ],
  summary: { added: 2, 'already-present': 1, 'owned-elsewhere': 1, invalid: 1 },
};

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

function setup() {
  const api = fakeApi();
  const onAdded = jest.fn();
  const onClose = jest.fn();
  const user = userEvent.setup();
  renderInFluent(<AddNumbersDialog api={api} customer={customer} open onAdded={onAdded} onClose={onClose} />);
  const dialog = screen.getByRole('dialog', { name: 'Add numbers to Acme' });
  const box = within(dialog).getByRole('textbox', { name: /Numbers/ });
  return { api, onAdded, onClose, user, dialog, box };
}

describe('AddNumbersDialog', () => {
  it('has one Numbers box that says one number per line, with Add and Cancel', () => {
    const { dialog, box } = setup();
    expect(box.tagName).toBe('TEXTAREA');
    expect(within(dialog).getByText(/one number per line/i)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Add' })).toBeEnabled();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeEnabled();
  });

  it('sends the text, shows progress, then the outcome of every line and a summary', async () => {
    const { api, onAdded, onClose, user, dialog, box } = setup();
    const answer = deferred<AddNumbersResult>();
    api.addNumbers.mockReturnValue(answer.promise);
    const typed = everyOutcome.results.map((line) => line.input).join('\n');

    await user.type(box, typed);
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));

    expect(api.addNumbers).toHaveBeenCalledWith('c1', typed);
    expect(within(dialog).getByText('Adding the numbers')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Add' })).toBeDisabled();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toBeDisabled();

    answer.resolve(everyOutcome);
    expect(await within(dialog).findByRole('status')).toHaveTextContent(
      '2 added, 1 already present, 1 owned by another customer, 1 invalid',
    );
    const table = within(dialog).getByRole('table', { name: 'Outcome of every line' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent))).toEqual([
      ['+1 555 010 0001', '+15550100001', 'Added', ''],
      ['+1 555 010 0002', '+15550100002', 'Added', ''],
      ['5550100003', '+15550100003', 'Already present', 'already on this customer'],
      ['+1 555 010 0004', '+15550100004', 'Belongs to another customer', 'another customer has this number'],
      ['12', '', 'Not a valid number', 'too short to be a phone number'],
    ]);
    expect(onAdded).toHaveBeenCalledTimes(1);
    expect(onClose).not.toHaveBeenCalled();

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('sends pasted commas and semicolons as they are: the API splits them', async () => {
    const { api, user, dialog, box } = setup();
    api.addNumbers.mockResolvedValue({
      results: [],
      summary: { added: 0, 'already-present': 0, 'owned-elsewhere': 0, invalid: 0 },
    });

    await user.click(box);
    await user.paste('+15550100001, +15550100002; +15550100003');
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));

    expect(api.addNumbers).toHaveBeenCalledWith('c1', '+15550100001, +15550100002; +15550100003');
    expect(await within(dialog).findByRole('status')).toHaveTextContent('No numbers were found in the text.');
  });

  it('keeps the typed text and says what went wrong when the request fails', async () => {
    const { api, onAdded, user, dialog, box } = setup();
    api.addNumbers.mockRejectedValue(new ApiError(0, 'network', 'The portal cannot be reached. Check your connection and try again.'));

    await user.type(box, '+15550100001{Enter}+15550100002');
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'The portal cannot be reached. Check your connection and try again.',
    );
    expect(box).toHaveValue('+15550100001\n+15550100002');
    expect(within(dialog).getByRole('button', { name: 'Add' })).toBeEnabled();
    expect(onAdded).not.toHaveBeenCalled();

    // Trying again sends the same text.
    api.addNumbers.mockResolvedValue(everyOutcome);
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));
    expect(api.addNumbers).toHaveBeenLastCalledWith('c1', '+15550100001\n+15550100002');
    await waitFor(() => expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument());
    expect(await within(dialog).findByRole('status')).toBeInTheDocument();
  });

  it("shows the API's message about the numbers under the field on a 400", async () => {
    const { api, user, dialog, box } = setup();
    api.addNumbers.mockRejectedValue(
      new ApiError(400, 'invalid_request', 'The request is not valid', [
        { field: 'numbers', message: 'at most 3 numbers at once; split the list' },
      ]),
    );

    await user.type(box, '1{Enter}2{Enter}3{Enter}4');
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));

    expect(await within(dialog).findByText('at most 3 numbers at once; split the list')).toBeInTheDocument();
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(box).toHaveValue('1\n2\n3\n4');
    expect(within(dialog).queryByRole('alert')).toHaveTextContent('at most 3 numbers at once; split the list');
  });

  it('asks for a number before sending an empty box', async () => {
    const { api, user, dialog } = setup();
    await user.click(within(dialog).getByRole('button', { name: 'Add' }));
    expect(within(dialog).getByText('Enter at least one number.')).toBeInTheDocument();
    expect(api.addNumbers).not.toHaveBeenCalled();
  });

  it('Cancel closes without sending', async () => {
    const { api, onClose, user, dialog, box } = setup();
    await user.type(box, '+15550100001');
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalledTimes(1);
    expect(api.addNumbers).not.toHaveBeenCalled();
  });

  describe('more than 1,000 numbers: a job', () => {
    const pasted = '+1 555 010 0001\n12';
    const jobDialog = () => screen.findByRole('dialog', { name: 'Add numbers to Acme' });
    function setupJob(role: 'operator' | 'viewer' = 'operator') {
      const api = fakeApi();
      const onAdded = jest.fn();
      const onClose = jest.fn();
      const user = userEvent.setup();
      renderAs(role, <AddNumbersDialog api={api} customer={customer} open onAdded={onAdded} onClose={onClose} jobPollMs={5} />);
      const dialog = screen.getByRole('dialog', { name: 'Add numbers to Acme' });
      return { api, onAdded, onClose, user, dialog };
    }

    it('follows the job with a progress bar to its counts and the rows that did not go through', async () => {
      const { api, onAdded, user, dialog } = setupJob();
      api.addNumbers.mockResolvedValue({ job: jobView() });
      api.getJob
        .mockResolvedValueOnce(jobView({ done: 600, outcomes: { added: 599, 'already-present': 0, 'owned-elsewhere': 0, invalid: 1 } }))
        .mockResolvedValue(
          jobView({ state: 'done', done: 1200, finishedAt: '2026-12-06T10:00:05.000Z', outcomes: { added: 1198, 'already-present': 1, 'owned-elsewhere': 0, invalid: 1 } }),
        );
      api.listJobRows.mockImplementation((_id, { outcome }) =>
        Promise.resolve({
          items:
            outcome === 'invalid'
              ? [{ row: 12, line: null, input: '12', outcome: 'invalid', message: 'too short to be a phone number' }]
              : [{ row: 40, line: null, input: '+1 555 010 0001', outcome: 'already-present', message: 'listed more than once' }],
          total: 1,
          page: 1,
          pageSize: 20,
        }),
      );
      await user.type(within(dialog).getByRole('textbox', { name: /Numbers/ }), pasted);
      await user.click(within(dialog).getByRole('button', { name: 'Add' }));
      // The dialog follows the job now: the same title, its own content.
      const following = await jobDialog();
      expect(await within(following).findByText('1,200 numbers are added by a job, in batches: the list shows each batch as it lands.')).toBeInTheDocument();
      expect(within(following).getByRole('progressbar')).toBeInTheDocument();
      expect(await within(following).findByText('600 of 1,200 rows')).toBeInTheDocument();
      expect(await within(following).findByText('1,200 of 1,200 rows')).toBeInTheDocument();
      expect(within(following).getByRole('status')).toHaveTextContent('1,198 added, 1 already present, 1 invalid');
      const problems = await within(following).findByRole('table', { name: 'Rows that did not go through' });
      expect(within(problems).getAllByRole('row').map((r) => r.textContent)).toEqual([
        'RowNumberOutcomeReason',
        '1212invalidtoo short to be a phone number',
        '40+1 555 010 0001already presentlisted more than once',
      ]);
      expect(api.listJobRows).toHaveBeenCalledWith('job-1', { outcome: 'invalid', page: 1, pageSize: 20 });
      // When the job started, and each time more rows had landed (600, then 1,200).
      await waitFor(() => expect(onAdded).toHaveBeenCalledTimes(3));
      expect(within(following).queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
      expect(within(following).getByRole('button', { name: 'Done' })).toBeInTheDocument();
    });

    it('cancels the job, and Close leaves a running job running', async () => {
      const { api, onClose, user, dialog } = setupJob();
      api.addNumbers.mockResolvedValue({ job: jobView() });
      api.getJob.mockResolvedValue(jobView({ done: 0 }));
      // As the API does: once cancelled, the job says so on every read.
      api.cancelJob.mockImplementation(async () => {
        api.getJob.mockResolvedValue(jobView({ done: 0, cancelRequested: true }));
        return jobView({ cancelRequested: true });
      });
      await user.type(within(dialog).getByRole('textbox', { name: /Numbers/ }), pasted);
      await user.click(within(dialog).getByRole('button', { name: 'Add' }));
      // The dialog follows the job now: the same title, its own content.
      const following = await jobDialog();
      await user.click(await within(following).findByRole('button', { name: 'Cancel job' }));
      expect(api.cancelJob).toHaveBeenCalledWith('job-1');
      expect(await within(following).findByRole('button', { name: 'Stopping after the batch under way…' })).toBeDisabled();
      expect(within(following).getByText(/Closing this leaves the job running/)).toBeInTheDocument();
      await user.click(within(following).getByRole('button', { name: 'Close' }));
      expect(onClose).toHaveBeenCalled();
    });

    it('offers no Cancel job to a Viewer', async () => {
      const { api, user, dialog } = setupJob('viewer');
      api.addNumbers.mockResolvedValue({ job: jobView() });
      api.getJob.mockResolvedValue(jobView());
      await user.type(within(dialog).getByRole('textbox', { name: /Numbers/ }), pasted);
      await user.click(within(dialog).getByRole('button', { name: 'Add' }));
      // The dialog follows the job now: the same title, its own content.
      const following = await jobDialog();
      expect(await within(following).findByText('0 of 1,200 rows')).toBeInTheDocument();
      expect(within(following).queryByRole('button', { name: 'Cancel job' })).not.toBeInTheDocument();
    });
  });
});
