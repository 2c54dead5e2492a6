import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError, type ImportPreview } from '../../../tab/src/api/portal-api';
import { ImportDialog } from '../../../tab/src/imports/ImportDialog';
import { jobView } from '../../support/views';
import { fakeApi, renderAs } from '../support/render';

const preview: ImportPreview = {
  dryRun: true,
  total: 1203,
  summary: { added: 1200, 'already-present': 1, 'owned-elsewhere': 1, invalid: 1 },
  failures: [
    { line: 4, input: '+12125550100', outcome: 'owned-elsewhere', message: 'this number belongs to another customer' },
    { line: 9, input: '12345', outcome: 'invalid', message: 'too short to be a phone number' },
  ],
  ignoredColumns: ['Site'],
};

const file = () => new File(['number\n+12125550100\n'], 'contoso.csv', { type: 'text/csv' });

function setup() {
  const api = fakeApi();
  const onProgress = jest.fn();
  const onClose = jest.fn();
  const user = userEvent.setup();
  renderAs(
    'operator',
    <ImportDialog
      api={api}
      open
      title="Import numbers to Contoso"
      kind="numbers.add"
      hint="A header row with a column named number"
      preview={(f) => api.importNumbers('c1', f, true)}
      start={(f) => api.importNumbers('c1', f, false)}
      onProgress={onProgress}
      onClose={onClose}
      jobPollMs={5}
    />,
  );
  const dialog = screen.getByRole('dialog', { name: 'Import numbers to Contoso' });
  return { api, onProgress, onClose, user, dialog };
}

describe('ImportDialog', () => {
  it('checks a picked file with a dry run: counts by outcome, the ignored columns and the first rows that would fail', async () => {
    const { api, user, dialog } = setup();
    api.importNumbers.mockResolvedValue(preview as never);
    expect(within(dialog).getByRole('button', { name: 'Import' })).toBeDisabled();
    await user.upload(within(dialog).getByLabelText('CSV file'), file());
    expect(api.importNumbers).toHaveBeenCalledWith('c1', expect.objectContaining({ name: 'contoso.csv' }), true);
    expect(await within(dialog).findByRole('status')).toHaveTextContent(
      '1,203 rows. If you import now: 1,200 added, 1 already present, 1 owned by another customer, 1 invalid.',
    );
    expect(within(dialog).getByText('Columns not imported: Site.')).toBeInTheDocument();
    const table = within(dialog).getByRole('table', { name: 'The first 2 of 3 rows that would not be imported' });
    expect(within(table).getAllByRole('row').map((row) => row.textContent)).toEqual([
      'LineValueOutcomeReason',
      '4+12125550100owned by another customerthis number belongs to another customer',
      '912345invalidtoo short to be a phone number',
    ]);
    expect(within(dialog).getByRole('button', { name: 'Import 1,203 rows' })).toBeEnabled();
  });

  it("says how many rows of a customers file the dry run did not check with the carrier's backend", async () => {
    const { api, user, dialog } = setup();
    api.importNumbers.mockResolvedValue({ ...preview, accountsNotChecked: 203 } as never);
    await user.upload(within(dialog).getByLabelText('CSV file'), file());
    expect(
      await within(dialog).findByText("203 rows not checked with the carrier's backend in this preview; the import checks every row."),
    ).toBeInTheDocument();
  });

  it('takes a dropped file too, and shows the API’s refusal of a bad file so another can be picked', async () => {
    const { api, dialog } = setup();
    api.importNumbers.mockRejectedValue(new ApiError(400, 'csv_unbalanced_quote', 'A quote opened on line 3 is never closed'));
    fireEvent.drop(within(dialog).getByText('Drop a CSV file here'), { dataTransfer: { files: [file()] } });
    expect(await within(dialog).findByText(/A quote opened on line 3 is never closed/)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Choose file' })).toBeEnabled();
    expect(within(dialog).getByRole('button', { name: 'Import' })).toBeDisabled();
  });

  it('imports: follows the job with a progress bar, reads the list again as rows land, and offers the failed rows', async () => {
    const { api, onProgress, user, dialog } = setup();
    const running = jobView({ fileName: 'contoso.csv', total: 1203 });
    api.importNumbers.mockImplementation(((_c: string, _f: File, dryRun: boolean) =>
      Promise.resolve(dryRun ? preview : { job: running, ignoredColumns: ['Site'] })) as never);
    api.getJob
      .mockResolvedValueOnce({ ...running, done: 600, outcomes: { added: 600, 'already-present': 0, 'owned-elsewhere': 0, invalid: 0 } })
      .mockResolvedValue({
        ...running,
        state: 'done',
        done: 1203,
        outcomes: { added: 1200, 'already-present': 1, 'owned-elsewhere': 1, invalid: 1 },
      });
    api.listJobRows.mockResolvedValue({ items: [{ row: 8, line: 9, input: '12345', outcome: 'invalid', message: 'too short' }], total: 1, page: 1, pageSize: 20 });
    const saved = jest.fn();
    api.downloadFailedRows.mockResolvedValue({ blob: new Blob(['Number,Outcome\r\n']), fileName: 'contoso-failed-rows.csv' });
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved(this.download);
    });
    URL.createObjectURL = jest.fn(() => 'blob:x');
    URL.revokeObjectURL = jest.fn();

    await user.upload(within(dialog).getByLabelText('CSV file'), file());
    await user.click(await within(dialog).findByRole('button', { name: 'Import 1,203 rows' }));
    expect(api.importNumbers).toHaveBeenLastCalledWith('c1', expect.objectContaining({ name: 'contoso.csv' }), false);
    const following = await screen.findByRole('dialog', { name: 'Import numbers to Contoso' });
    expect(await within(following).findByText('The 1,203 rows of contoso.csv are imported by a job, in batches.')).toBeInTheDocument();
    expect(within(following).getByRole('progressbar')).toBeInTheDocument();
    expect(await within(following).findByText('1,203 of 1,203 rows')).toBeInTheDocument();
    await waitFor(() => expect(onProgress).toHaveBeenCalledTimes(2));
    const table = await within(following).findByRole('table', { name: 'Rows that did not go through' });
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent('912345invalidtoo short');
    await user.click(within(following).getByRole('button', { name: 'Download failed rows (3)' }));
    await waitFor(() => expect(saved).toHaveBeenCalledWith('contoso-failed-rows.csv'));
    expect(api.downloadFailedRows).toHaveBeenCalledWith('job-1');
    click.mockRestore();
  });

  it('keeps the checked file when the import cannot start, to try again', async () => {
    const { api, user, dialog } = setup();
    api.importNumbers.mockImplementation(((_c: string, _f: File, dryRun: boolean) =>
      dryRun ? Promise.resolve(preview) : Promise.reject(new ApiError(0, 'network', 'The portal cannot be reached.'))) as never);
    await user.upload(within(dialog).getByLabelText('CSV file'), file());
    await user.click(await within(dialog).findByRole('button', { name: 'Import 1,203 rows' }));
    expect(await within(dialog).findByText(/The portal cannot be reached/)).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Import 1,203 rows' })).toBeEnabled();
  });
});
